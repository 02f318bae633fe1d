// link-follow.js: how the link (static/js/link.js) follows the primary of
// a pair (docs/protocol.md, *Following the primary*). It remembers the
// servers of each welcome and probe, asks every one of them GET
// /api/v1/pair each PROBE_MS while connected, tells the link where to
// switch (link-servers.js decides), keeps the epoch rule, and picks where
// to reconnect. For a server alone it does nothing: no probe, no request,
// every connection to the page's own address.

import { PROBE_MS, PROBE_TIMEOUT_MS } from './link-const.js';
import { baseOf, wsOf, find, merge, choose, rotation } from './link-servers.js';

// Follow is the link's knowledge of the pair.
export class Follow {
  #ownWs; // the websocket address of the page's own server
  #own; // its base URL
  #switchTo; // (wsUrl) => void: close the socket, connect there
  #enabled; // false: the page stays on its own server, as if alone
  #servers = []; // records (link-servers.js)
  #epoch = 0; // the highest epoch of a state taken
  #base = ''; // the server the socket is on, while welcomed
  #turn = 0; // the next reconnection attempt, in rotation()
  #timer = 0;
  #probing = false;
  #held = null; // in a pair, what the socket said before its first state

  constructor(ownWs, switchTo, enabled = true) {
    this.#ownWs = ownWs;
    this.#own = baseOf(ownWs);
    this.#switchTo = switchTo;
    this.#enabled = enabled;
  }

  // pair is true once the page knows of another server.
  get pair() {
    return this.#servers.length >= 2;
  }

  // servers is a copy of the records, for tests and diagnostics.
  get servers() {
    return this.#servers.map((r) => ({ ...r, urls: [...r.urls] }));
  }

  // target is the websocket address of the next connection attempt: the
  // page's own server alone; in a pair, in turn the own server and the
  // other's URLs.
  target() {
    if (!this.pair) return this.#ownWs;
    const list = rotation(this.#own, this.#servers);
    const base = list[this.#turn++ % list.length];
    return base === this.#own ? this.#ownWs : wsOf(base);
  }

  // welcome notes the welcome of the socket opened to url, and starts
  // probing in a pair. A welcome without servers from a server of a known
  // pair is a primary alone (a standby that took over, its peer gone).
  welcome(msg, url) {
    this.#base = baseOf(url);
    this.servers(msg);
  }

  // servers takes the servers of a welcome or of a servers message (the
  // pair changed while the socket was on: a standby joined, a takeover)
  // from the server the socket is on, and starts probing, or probes anew,
  // in a pair: a page that connected while its server was alone learns of
  // the other without a reload.
  servers(msg) {
    if (!this.#enabled) return;
    if (Array.isArray(msg.servers) && msg.servers.length) {
      this.#servers = merge(this.#servers, msg.servers, this.#base);
    } else if (this.#servers.length) {
      this.#servers = this.#alone(this.#servers, this.#base);
    }
    clearInterval(this.#timer);
    this.#timer = 0;
    if (!this.pair) return;
    this.#timer = setInterval(() => this.#probe(), PROBE_MS);
    this.#probe();
  }

  // state takes a state's epoch (absent: 0). In a pair, a state below the
  // highest epoch taken is stale: state returns false, and the link drops
  // it and moves away.
  state(view) {
    const epoch = Number.isSafeInteger(view.epoch) && view.epoch > 0 ? view.epoch : 0;
    const rec = find(this.#servers, this.#base);
    if (rec) rec.epoch = epoch;
    if (this.pair && epoch < this.#epoch) return false;
    this.#epoch = Math.max(this.#epoch, epoch);
    return true;
  }

  // lost: the socket is gone; no probe until the next welcome. In a
  // pair, the next socket's welcome, servers, show, devices and fire are held
  // until its first state shows it is not stale.
  lost() {
    clearInterval(this.#timer);
    this.#timer = 0;
    this.#base = '';
    this.#held = this.pair ? [] : null;
  }

  // hold keeps a message back while the socket is held; false: handle it.
  hold(msg, t3) {
    if (!this.#held || !['welcome', 'servers', 'show', 'devices', 'fire'].includes(msg.type)) return false;
    this.#held.push([msg, t3]);
    return true;
  }

  // release ends the hold (a state was taken) and hands what was held.
  release() {
    const held = this.#held || [];
    this.#held = null;
    return held;
  }

  // probeNow probes at once, when connected in a pair (a command refused
  // with not_primary).
  probeNow() {
    if (this.#timer) this.#probe();
  }

  // alone marks the server at base a primary alone, at the epoch known.
  #alone(servers, base) {
    const rec = find(servers, base);
    return merge(servers, [{ urls: [], role: 'primary', epoch: rec ? rec.epoch : 0, self: true }], base);
  }

  // probe asks every server, then switches if choose() says so.
  async #probe() {
    const base = this.#base;
    if (this.#probing || !base) return;
    this.#probing = true;
    try {
      const answers = await Promise.all(this.#servers.map((r) => ask(r, base)));
      if (base !== this.#base) return; // the link moved meanwhile
      let servers = this.#servers.map((r, i) => (answers[i] ? r : { ...r, ok: false }));
      for (const a of answers) {
        if (a) servers = a.servers.length ? merge(servers, a.servers, a.reached) : this.#alone(servers, a.reached);
      }
      this.#servers = servers;
      const to = choose(servers, base, this.#epoch);
      if (to) this.#switchTo(to === this.#own ? this.#ownWs : wsOf(to));
    } finally {
      this.#probing = false;
    }
  }
}

// ask is a server's GET /api/v1/pair, trying its URLs in turn (current
// first when it is this server): {reached, servers}, or null when none
// answered within PROBE_TIMEOUT_MS.
async function ask(rec, current) {
  const urls = rec.urls.includes(current) ? [current, ...rec.urls.filter((u) => u !== current)] : rec.urls;
  for (const url of urls) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), PROBE_TIMEOUT_MS);
    try {
      const res = await fetch(`${url}/api/v1/pair`, { cache: 'no-store', credentials: 'omit', signal: abort.signal });
      const body = res.ok ? await res.json() : null;
      if (body && Array.isArray(body.servers)) return { reached: url, servers: body.servers };
    } catch {
      // unreachable, too slow, or not a phatdong server: the next URL
    } finally {
      clearTimeout(timer);
    }
  }
  return null;
}
