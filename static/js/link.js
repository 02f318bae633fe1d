// link.js: the one websocket client of every page. It implements
// docs/protocol.md: the hello, the full state on every (re)connect, clock
// sync, reports, the launch moment, commands and presses. Its API is the
// contract of docs/link-js.md.
//
// This module is the Link class and the public entry point; it re-exports
// the constants and LinkError. Its helpers, one job each, are link-const.js
// (timing constants), link-error.js (LinkError), link-events.js (listeners
// and replay), link-requests.js (commands and presses awaiting answers),
// link-at.js (at()), link-remaining.js (remaining()), link-follow.js and
// link-servers.js (following the primary of a pair) and link-util.js.
//
// Local time is always performance.timeOrigin + performance.now(), never
// Date.now(): the wall clock of a screen can jump, the monotonic one cannot.

import { ClockSync, localNow } from './clocksync.js';
import { RECONNECT_MIN_MS, RECONNECT_MAX_MS, REFUSED_RETRY_MS, COMMAND_TIMEOUT_MS } from './link-const.js';
import { REPORT_INTERVAL_MS, TIME_TIMEOUT_MS, SILENCE_MS, WATCHDOG_MS, STABLE_MS } from './link-const.js';
import { LinkError } from './link-error.js';
import { Events } from './link-events.js';
import { Requests } from './link-requests.js';
import { Follow } from './link-follow.js';
import { at } from './link-at.js';
import { remaining } from './link-remaining.js';
import { hello, parse } from './link-util.js';
import { uid } from './util.js';

// The public API: pages import all of it from here, never from link-*.js.
export { RECONNECT_MIN_MS, RECONNECT_MAX_MS, REFUSED_RETRY_MS, COMMAND_TIMEOUT_MS } from './link-const.js';
export { REPORT_INTERVAL_MS, TIME_TIMEOUT_MS, SILENCE_MS, WATCHDOG_MS, STABLE_MS, SPIN_MS } from './link-const.js';
export { LinkError };

/**
 * Link is a page's connection to the server. Register listeners with on(),
 * then call start(). It reconnects by itself until stop().
 */
export class Link {
  #opts;
  #ws = null;
  #url = ''; // the address of #ws
  #follow; // the pair: where to connect, when to switch (link-follow.js)
  #running = false;
  #connected = false;
  #refused = false; // the server refused the hello: retry slowly
  #attempt = 0;
  #welcomedAt = 0;
  #events = new Events();
  #clock = new ClockSync();
  #kept = null; // a ready offset from an earlier connection
  #rough = null; // offset from the welcome's serverTime, before any sample
  #timeT0 = null; // t0 of the time request in flight
  #timers = { reconnect: 0, time: 0, report: 0, watchdog: 0 };
  #lastHeard = 0; // performance.now() of the last message or of the open
  #fires = new Set();
  #requests; // commands and presses waiting for their answer
  #presses = 0;
  #fireReport = null; // a fire report waiting for a connection
  #framesReport = null; // a frame report waiting for a connection
  #online = () => this.#reconnectNow();

  /**
   * @param {{role: string, name: string, token?: string, key?: string, button?: string, url?: string, commandTimeoutMs?: number, follow?: boolean}} opts
   */
  constructor(opts) {
    if (!opts || !opts.role) throw new Error('link: a role is required');
    this.#opts = { commandTimeoutMs: COMMAND_TIMEOUT_MS, ...opts };
    if (!this.#opts.url) {
      const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
      this.#opts.url = `${scheme}://${location.host}/ws`;
    }
    this.#requests = new Requests((msg) => this.#send(msg), this.#opts.commandTimeoutMs);
    // In a pair, the link switches to the primary (link-follow.js), unless follow is false.
    const to = (url) => this.#running && (this.#drop(false), this.#connect(url));
    this.#follow = new Follow(this.#opts.url, to, this.#opts.follow !== false);
  }

  /**
   * on adds a listener for an event: state, show, devices, fire, status or
   * error. A listener added after a state, show, devices, status or fire
   * gets the latest one at once (in a microtask). Returns a function that
   * removes the listener.
   * @param {string} event
   * @param {Function} fn
   * @returns {() => void}
   */
  on(event, fn) {
    return this.#events.on(event, fn);
  }

  /** start connects, and keeps reconnecting until stop(). */
  start() {
    if (this.#running) return;
    this.#running = true;
    globalThis.addEventListener?.('online', this.#online);
    this.#timers.watchdog = setInterval(() => this.#watch(), WATCHDOG_MS);
    this.#connect();
  }

  /** stop closes the connection for good and fails every command in flight. */
  stop() {
    this.#running = false;
    globalThis.removeEventListener?.('online', this.#online);
    clearInterval(this.#timers.watchdog);
    clearTimeout(this.#timers.reconnect);
    this.#drop(false);
    this.#requests.stop();
  }

  /** connected is true between the server's welcome and the loss of the socket. */
  get connected() {
    return this.#connected;
  }

  /** synced is true while connected with a ready clock estimate. */
  get synced() {
    return this.#connected && this.#clock.ready;
  }

  /** offset is how far the server's clock is ahead of this page's, in ms. */
  get offset() {
    if (this.#clock.ready) return this.#clock.offset;
    if (this.#kept !== null) return this.#kept;
    if (this.#clock.count > 0) return this.#clock.offset;
    return this.#rough ?? 0;
  }

  /** rtt is the lowest round trip of the kept samples, in ms (Infinity before any). */
  get rtt() {
    return this.#clock.rtt;
  }

  /** uncertainty bounds the error of offset, in ms (Infinity before any sample). */
  get uncertainty() {
    return this.#clock.uncertainty;
  }

  /** serverNow is the server's clock now, in Unix ms (a float). */
  serverNow() {
    return localNow() + this.offset;
  }

  /**
   * remaining is the ms left on the view's clock at `now` (server time,
   * default serverNow()), negative in overtime. It is controller.Timer's
   * Remaining, except that a clock that holds at zero never reads below 0.
   * @param {object} view a state (controller.View)
   * @param {number} [now]
   * @returns {number}
   */
  remaining(view, now = this.serverNow()) {
    return remaining(view, now);
  }

  /**
   * at calls fn(lateMs) when serverNow() reaches serverMs: a timer until a
   * few ms before, then a spin that yields to the page between checks. The
   * offset is read again at every check. If serverMs is already past, fn is
   * called at once with how late it is. Returns a function that cancels.
   * @param {number} serverMs
   * @param {(lateMs: number) => void} fn
   * @returns {() => void}
   */
  at(serverMs, fn) {
    return at(() => this.serverNow(), serverMs, fn);
  }

  /**
   * reportFire tells the server when this screen actually started the
   * moment, in server time. Without a connection it is sent on the next one.
   * @param {string} fireId
   * @param {number} startedAtServerMs
   */
  reportFire(fireId, startedAtServerMs) {
    const msg = { type: 'report', ...this.#clockFigures(), fireId, startedAt: startedAtServerMs };
    this.#fireReport = this.#connected && this.#send(msg) ? null : msg;
  }

  /**
   * reportFrames tells the server how smoothly this screen drew its last
   * moment (window.phatdongFire, js/fire-stats.js), for the MC's devices
   * panel. Without a connection it is sent on the next one.
   * @param {{fps: number, medianMs: number, maxGapAfterMs: number, quality: number}} st
   */
  reportFrames({ fps, medianMs, maxGapAfterMs, quality }) {
    const msg = { type: 'report', fps, medianMs, maxGapMs: maxGapAfterMs, quality };
    this.#framesReport = this.#connected && this.#send(msg) ? null : msg;
  }

  /**
   * reportMedia tells the server how far this screen has loaded a media
   * item (protocol.MediaReadiness), with the clock figures. Returns
   * whether it was sent (not without a connection).
   * @param {{hash: string, state: string, progress: number, durationMs?: number, error?: string}} media
   */
  reportMedia(media) {
    return this.#connected && this.#send({ type: 'report', ...this.#clockFigures(), media });
  }

  /**
   * command sends an operator command (the body of POST /api/v1/commands).
   * It gets an id when it has none, so a resend after a reconnect is
   * applied once. Rejects with a LinkError on a refusal, when not
   * connected, or after the timeout.
   * @param {object} cmd
   * @returns {Promise<object>} the answer: {seq, outcome?}
   */
  command(cmd) {
    if (!cmd || typeof cmd.type !== 'string') {
      return Promise.reject(new LinkError('invalid', 'Lệnh không hợp lệ.'));
    }
    const command = { ...cmd, id: cmd.id || `${this.#opts.role}-${uid()}` };
    return this.#request('r', { type: 'command', command });
  }

  /**
   * press sends a press of this button. pressId defaults to a new id;
   * pass the same one to retry the same physical press.
   * @param {string} [pressId]
   * @returns {Promise<object>} the answer: {seq, outcome: 'counted'|'fired'}
   */
  press(pressId) {
    const at = Math.round(this.serverNow());
    const id = pressId || `${this.#opts.button || 'nut'}-${at}-${++this.#presses}`;
    return this.#request('p', { type: 'press', pressId: id, pressedAt: at });
  }

  #request(prefix, body) {
    if (!this.#connected) {
      return Promise.reject(new LinkError('offline', 'Mất kết nối với máy chủ; lệnh chưa được gửi.'));
    }
    const p = this.#requests.open(prefix, body);
    // A standby refused it: find the primary now (nothing is resent).
    p.catch((err) => err.code === 'not_primary' && this.#follow.probeNow());
    return p;
  }

  #connect(url = this.#follow.target()) {
    clearTimeout(this.#timers.reconnect);
    let ws;
    try {
      ws = new WebSocket(url);
    } catch (err) {
      this.#events.emit('error', { code: 'invalid', message: `Địa chỉ máy chủ không hợp lệ: ${err.message}` });
      this.#retry();
      return;
    }
    this.#ws = ws;
    this.#url = url;
    this.#lastHeard = performance.now();
    ws.onopen = () => {
      this.#lastHeard = performance.now();
      this.#send(hello(this.#opts));
    };
    ws.onmessage = (ev) => {
      const t3 = localNow();
      if (ws !== this.#ws) return;
      this.#lastHeard = performance.now();
      const msg = parse(ev.data);
      if (msg) this.#handle(msg, t3);
    };
    ws.onclose = () => {
      if (ws === this.#ws) this.#drop(true);
    };
  }

  #handle(msg, t3) {
    if (this.#follow.hold(msg, t3)) return; // in a pair, until a state shows the server is not stale
    switch (msg.type) {
      case 'welcome':
        return this.#welcome(msg, t3);
      case 'servers':
        return this.#follow.servers(msg);
      case 'state':
        return this.#state(msg);
      case 'fire':
        return this.#fire(msg);
      case 'show':
        return this.#events.emit('show', msg.show, msg.showRev);
      case 'identify':
        return this.#events.emit('identify', msg);
      case 'devices':
        return this.#events.emit('devices', msg);
      case 'time':
        return this.#time(msg, t3);
      case 'answer':
        return this.#requests.answer(msg);
      case 'error':
        return this.#error(msg);
    }
  }

  #welcome(msg, t3) {
    this.#connected = true;
    this.#refused = false;
    this.#welcomedAt = performance.now();
    this.#follow.welcome(msg, this.#url);
    if (this.#clock.ready) this.#kept = this.#clock.offset;
    this.#clock = new ClockSync();
    if (Number.isFinite(msg.serverTime)) this.#rough = msg.serverTime - t3;
    this.#sendTime();
    clearInterval(this.#timers.report);
    this.#timers.report = setInterval(() => this.#report(), REPORT_INTERVAL_MS);
    this.#requests.resend();
    if (this.#fireReport) this.reportFire(this.#fireReport.fireId, this.#fireReport.startedAt);
    if (this.#framesReport && this.#send(this.#framesReport)) this.#framesReport = null;
    this.#status();
  }

  #state(msg) {
    const view = msg.state;
    if (!view) return;
    if (!this.#follow.state(view)) return this.#drop(true); // stale: move away
    for (const [m, t3] of this.#follow.release()) this.#handle(m, t3);
    this.#events.emit('state', view, msg.serverTime);
    const l = view.launch;
    if (l && l.phase === 'fired' && l.fireId) {
      this.#fire({ fireId: l.fireId, fireAt: l.fireAt || l.firedAt, caption: view.show && view.show.caption });
    }
  }

  #fire(msg) {
    if (!msg.fireId || this.#fires.has(msg.fireId)) return;
    this.#fires.add(msg.fireId);
    this.#events.emit('fire', { fireId: msg.fireId, fireAt: msg.fireAt, caption: msg.caption || '' });
  }

  #sendTime() {
    clearTimeout(this.#timers.time);
    if (!this.#connected) return;
    const req = this.#clock.request(localNow());
    this.#timeT0 = req.t0;
    this.#send(req);
    this.#timers.time = setTimeout(() => this.#sendTime(), TIME_TIMEOUT_MS);
  }

  #time(msg, t3) {
    if (msg.t0 !== this.#timeT0) return; // an answer given up on, or from before
    this.#timeT0 = null;
    clearTimeout(this.#timers.time);
    this.#clock.addReply(msg, t3);
    this.#timers.time = setTimeout(() => this.#sendTime(), this.#clock.nextDelay());
    this.#status();
  }

  #error(msg) {
    const err = msg.error || { code: 'internal', message: 'Lỗi không rõ từ máy chủ.' };
    if (msg.ref && this.#requests.answer({ ref: msg.ref, error: err })) return; // a request refused
    if (!this.#connected) this.#refused = true; // the hello was refused
    this.#events.emit('error', err);
  }

  #report() {
    if (this.#clock.ready) this.#send({ type: 'report', ...this.#clockFigures() });
  }

  // clockFigures is the clock part of a report: all three figures, or none
  // before the first sample (the server takes them only together).
  #clockFigures() {
    const { offset, rtt, uncertainty } = this;
    return Number.isFinite(rtt) && Number.isFinite(uncertainty) ? { offset, rtt, uncertainty } : {};
  }

  #send(msg) {
    const ws = this.#ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(msg));
    return true;
  }

  // watch closes a socket that stopped talking, or one that never got a
  // welcome: the browser may take minutes to notice a dead network.
  #watch() {
    if (this.#ws && performance.now() - this.#lastHeard > SILENCE_MS) this.#drop(true);
  }

  // drop forgets the socket and everything learnt on it; with retry, a
  // new connection is tried after a pause.
  #drop(retry) {
    const ws = this.#ws;
    this.#ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      if (ws.readyState === WebSocket.CONNECTING || ws.readyState === WebSocket.OPEN) ws.close();
    }
    const was = this.#connected;
    this.#connected = false;
    this.#follow.lost();
    // A connection that lasted is no failure: the next try is quick. One
    // that drops at once keeps backing off, up to RECONNECT_MAX_MS.
    if (was && performance.now() - this.#welcomedAt > STABLE_MS) this.#attempt = 0;
    this.#timeT0 = null;
    clearTimeout(this.#timers.time);
    clearInterval(this.#timers.report);
    this.#events.forget('state', 'show', 'devices');
    if (was) this.#status();
    if (retry) this.#retry();
  }

  #retry() {
    if (!this.#running) return;
    const cap = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** this.#attempt);
    const delay = this.#refused ? REFUSED_RETRY_MS : cap / 2 + (Math.random() * cap) / 2;
    this.#attempt = Math.min(this.#attempt + 1, 16);
    clearTimeout(this.#timers.reconnect);
    this.#timers.reconnect = setTimeout(() => this.#connect(), delay);
  }

  #reconnectNow() {
    if (this.#running && !this.#ws) this.#connect();
  }

  #status() {
    const { connected, synced, offset, rtt, uncertainty } = this;
    this.#events.emit('status', { connected, synced, offset, rtt, uncertainty });
  }
}
