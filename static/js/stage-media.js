// stage-media.js: a segment's film or still on the stage (issue #16). The
// still is the slide; the film plays in a <video> whose position is the
// segment's timer read on the page's corrected clock, so every screen shows
// the same frame. The current and the next segment's media are loaded
// ahead (one element per file), and their readiness is reported to the
// server. Sound only with ?audio=1 (the screens marked as sound outputs).

// TICK_MS is how often a playing film is compared with the timer.
const TICK_MS = 250;
// SEEK_MS: a film this far off the timer seeks; nearer, it changes pace.
const SEEK_MS = 1000;
// SETTLE_SEEK_MS: within SETTLE_MS of a start, a resume or a seek, a film
// this far off seeks again (a browser starts a film hundreds of ms after
// play(), too far to make up by pace alone); at most SETTLE_SEEKS times.
const SETTLE_SEEK_MS = 60;
const SETTLE_SEEKS = 3;
const SETTLE_MS = 2000;
// Pace: a film more than NUDGE_MS off plays up to MAX_NUDGE faster or
// slower, GAIN per second off, until it is within CLOSE_MS (the hysteresis
// keeps the pace from flapping around a frame).
const NUDGE_MS = 20;
// STALL_MS: a film this much further behind than a tick before stalled.
const STALL_MS = 50;
const CLOSE_MS = 5;
const MAX_NUDGE = 0.05;
const GAIN = 1;
// WAIT_MAX_MS: a paused film whose timer runs but has not yet reached the
// frame shown (a start or a resume scheduled ahead, controller.MediaLead)
// waits for the instant rather than seeking back.
const WAIT_MAX_MS = 1500;
// JUST_PAST_MS: a paused film this little behind a running timer starts
// where it is (its start instant has just passed) rather than seeking.
const JUST_PAST_MS = 100;
// Readiness reports: at most one every LOADING_MS while loading, and
// every READY_MS while a ready film buffers the rest.
const LOADING_MS = 500;
const READY_MS = 2000;

/**
 * filmPosition is where the view's film is at server time now, in ms: the
 * timer's elapsed time, negative before its start instant (a start is
 * scheduled ahead), 0 before a start, the paused position while paused.
 * @param {object} view a state
 * @param {number} now server time, Unix ms
 * @returns {number}
 */
export function filmPosition(view, now) {
  const t = (view && view.timer) || {};
  if (t.phase === 'ready' || !t.startedAt) return 0;
  const end = t.phase === 'paused' || t.phase === 'done' ? t.pausedAt || 0 : now;
  return end - t.startedAt - (t.pausedMs || 0);
}

/**
 * paceFor is the playback rate of a film diffMs ahead of the timer
 * (negative: behind); nudging says whether it is being brought back.
 * Returns the rate and whether it still nudges.
 * @param {number} diffMs
 * @param {boolean} nudging
 * @returns {{rate: number, nudging: boolean}}
 */
export function paceFor(diffMs, nudging) {
  const off = Math.abs(diffMs);
  if (off < CLOSE_MS || (!nudging && off <= NUDGE_MS)) return { rate: 1, nudging: false };
  const step = Math.min(MAX_NUDGE, (off / 1000) * GAIN);
  return { rate: diffMs > 0 ? 1 - step : 1 + step, nudging: true };
}

// errorText says in Vietnamese why a film cannot be played.
function errorText(el) {
  const codes = {
    1: 'Việc tải tệp bị hủy',
    2: 'Lỗi mạng khi tải tệp',
    3: 'Không giải mã được tệp',
    4: 'Trình duyệt không phát được tệp này',
  };
  const e = el.error;
  const what = (e && codes[e.code]) || 'Không tải được tệp';
  return e && e.message ? `${what} (${e.message})` : what;
}

// bufferedShare is how much of a film is buffered, 0…1.
function bufferedShare(v) {
  if (!(v.duration > 0) || !Number.isFinite(v.duration)) return 0;
  let s = 0;
  for (let i = 0; i < v.buffered.length; i++) s += v.buffered.end(i) - v.buffered.start(i);
  return Math.min(1, s / v.duration);
}

/**
 * StageMedia shows the current segment's media over the stage's slides and
 * keeps its film in step with the timer.
 */
export class StageMedia {
  #link;
  #root;
  #caption;
  #audio;
  #items = new Map(); // hash → {media, el, state, progress, sentAt, sent, timer}
  #view = null;
  #cur = null; // the item shown
  #shown = false;
  #cancelStart = null; // a scheduled start
  #startAt = 0; // its instant, server ms
  #settling = 0; // corrective seeks left after a start or a seek
  #settleUntil = 0; // until when, performance.now()
  #nudging = false;
  #lookAheadMs = 60; // how far ahead a seek aims: what the last seek took
  #afterSeek = false; // the film has not played since a seek of ours
  #last = null; // the last reading while playing: {diff, t}

  /**
   * @param {object} link the page's Link
   * @param {HTMLElement} root the element the media are drawn in
   * @param {{audio?: boolean}} opts audio: this screen plays the films' sound
   */
  constructor(link, root, opts = {}) {
    this.#link = link;
    this.#root = root;
    this.#audio = Boolean(opts.audio);
    this.#caption = document.createElement('div');
    this.#caption.className = 'media-caption';
    root.append(this.#caption);
    setInterval(() => this.#sync(), TICK_MS);
    // Every item again to a new connection, once its clock is synced.
    let synced = false;
    link.on('status', (s) => {
      if (s.synced && !synced) this.#resend();
      synced = s.synced;
    });
  }

  /** video is the film shown, or null. */
  get video() {
    return this.#cur && this.#cur.media.kind === 'video' ? this.#cur.el : null;
  }

  /**
   * position is where the film should be now, in ms on the page's
   * corrected clock.
   */
  position() {
    return filmPosition(this.#view, this.#link.serverNow());
  }

  /**
   * update takes a new state: the media of its current and next segments
   * are loaded, the current one shown when visible is true.
   * @param {object} view
   * @param {boolean} visible
   */
  update(view, visible) {
    this.#view = view;
    const cur = view && view.current && view.current.media;
    const next = view && view.next && view.next.media;
    const keep = new Set([cur, next].filter(Boolean).map((m) => m.hash));
    for (const [hash, item] of this.#items) if (!keep.has(hash)) this.#drop(hash, item);
    for (const m of [cur, next]) if (m && !this.#items.has(m.hash)) this.#load(m);
    const item = cur ? this.#items.get(cur.hash) : null;
    if (item !== this.#cur) this.#switch(item);
    this.#shown = Boolean(item && visible);
    this.#root.classList.toggle('shown', this.#shown);
    this.#caption.textContent = (view && view.current && view.current.title) || '';
    this.#sync();
  }

  // switch makes item the one shown; the film shown before stops.
  #switch(item) {
    this.#stop();
    if (this.#cur) this.#cur.el.classList.remove('on');
    this.#cur = item;
    if (item) item.el.classList.add('on');
    this.#root.dataset.kind = item ? item.media.kind : '';
  }

  // load starts loading a media item into an element of its own.
  #load(media) {
    const video = media.kind === 'video';
    const el = document.createElement(video ? 'video' : 'img');
    el.className = 'media-item';
    el.dataset.hash = media.hash;
    const item = { media, el, state: '', progress: -1, error: '', sentAt: 0, sent: '', timer: 0 };
    this.#items.set(media.hash, item);
    if (video) {
      el.muted = true;
      el.preload = 'auto';
      el.playsInline = true;
      el.disablePictureInPicture = true;
      const loading = () => item.state !== 'error' && this.#ready(item, item.state === 'ready' ? 'ready' : 'loading', bufferedShare(el));
      el.addEventListener('progress', loading);
      el.addEventListener('loadedmetadata', () => (loading(), this.#sync()));
      el.addEventListener('canplaythrough', () => this.#ready(item, 'ready', bufferedShare(el)));
      el.addEventListener('error', () => this.#failed(item, errorText(el)));
      el.addEventListener('seeked', () => this.#sync());
    } else {
      el.decoding = 'async';
      el.alt = '';
      el.addEventListener('load', () => this.#ready(item, 'ready', 1));
      el.addEventListener('error', () => this.#failed(item, 'Không tải được ảnh'));
    }
    this.#ready(item, 'loading', 0);
    el.src = `/media/${media.hash}`;
    this.#root.append(el);
  }

  // failed reports an item that cannot be shown. A browser names a file
  // the server does not have a format error: the server is asked first.
  async #failed(item, why) {
    try {
      const res = await fetch(`/media/${item.media.hash}`, { method: 'HEAD', cache: 'no-store' });
      if (res.status === 404) why = 'Máy chủ không có tệp này (404)';
      else if (!res.ok) why = `Máy chủ trả lời ${res.status} khi tải tệp`;
    } catch {
      why = 'Lỗi mạng khi tải tệp';
    }
    this.#ready(item, 'error', 0, why);
  }

  // drop forgets an item no longer current or next.
  #drop(hash, item) {
    if (item === this.#cur) this.#switch(null);
    clearTimeout(item.timer);
    this.#items.delete(hash);
    item.el.remove();
    if (item.el.tagName === 'VIDEO') {
      item.el.removeAttribute('src');
      item.el.load(); // frees the decoder and the buffer
    }
  }

  // ready records an item's readiness and reports it: at once when the
  // state changes, at most every LOADING_MS while it loads and every
  // READY_MS as a ready film buffers more.
  #ready(item, state, progress, error = '') {
    if (state === item.state && progress === item.progress && error === item.error) return;
    item.state = state;
    item.progress = progress;
    item.error = error;
    if (state === item.sent && state !== 'error') {
      if (item.timer) return;
      const wait = item.sentAt + (state === 'loading' ? LOADING_MS : READY_MS) - performance.now();
      if (wait > 0) {
        item.timer = setTimeout(() => ((item.timer = 0), this.#send(item)), wait);
        return;
      }
    }
    this.#send(item);
  }

  #send(item) {
    clearTimeout(item.timer);
    item.timer = 0;
    if (!this.#items.has(item.media.hash)) return;
    const m = { hash: item.media.hash, state: item.state, progress: Math.round(item.progress * 1000) / 1000 };
    const v = item.el;
    if (v.tagName === 'VIDEO' && v.duration > 0 && Number.isFinite(v.duration)) m.durationMs = Math.round(v.duration * 1000);
    if (item.error) m.error = item.error;
    item.sentAt = performance.now();
    item.sent = item.state;
    if (this.#link.synced && typeof this.#link.reportMedia === 'function') this.#link.reportMedia(m);
  }

  // resend tells a new connection where every item stands.
  #resend() {
    for (const item of this.#items.values()) this.#send(item);
  }

  // stop halts the film shown and any scheduled start.
  #stop() {
    this.#unschedule();
    const v = this.video;
    if (v) {
      v.pause();
      v.muted = true;
      v.playbackRate = 1;
    }
    this.#nudging = false;
    this.#last = null;
  }

  #unschedule() {
    if (this.#cancelStart) this.#cancelStart();
    this.#cancelStart = null;
    this.#startAt = 0;
  }

  // sync brings the film shown to the timer: waiting for a start instant,
  // held at the paused position, or playing at a pace that closes the gap.
  #sync() {
    const v = this.video;
    if (!v || v.readyState < 1 || !this.#view) return;
    v.muted = !(this.#audio && this.#shown);
    const t = this.#view.timer || {};
    const now = this.#link.serverNow();
    const endMs = v.duration * 1000;
    let pos = filmPosition(this.#view, now);
    if (t.phase !== 'running' || pos >= endMs) {
      this.#stop();
      pos = Math.min(Math.max(pos, 0), endMs);
      if (!v.seeking && Math.abs(v.currentTime * 1000 - pos) > 1) v.currentTime = pos / 1000;
      return;
    }
    if (v.seeking) return;
    const at = v.currentTime * 1000;
    if (v.paused) {
      const wait = at - pos; // until the timer reaches the frame shown
      if (pos < 0 || (wait > 0 && wait <= WAIT_MAX_MS)) {
        if (pos < 0 && at > 0) v.currentTime = 0;
        this.#schedule(now + Math.max(wait, -pos, 0));
        return;
      }
      this.#unschedule();
      // Just past the instant (this tick beat the scheduled start): play
      // from here; further off, from where the timer is.
      if (wait < -JUST_PAST_MS) this.#seek(pos);
      this.#play(v);
      return;
    }
    const diff = at - pos;
    const big = Math.abs(diff) > SEEK_MS;
    // A film that fell behind faster than any pace moves it stalled (its
    // renderer or decoder held up): it settles again, as after a start.
    const t0 = performance.now();
    if (this.#last && this.#last.diff - diff > STALL_MS + MAX_NUDGE * (t0 - this.#last.t)) {
      this.#settling = SETTLE_SEEKS;
      this.#settleUntil = t0 + SETTLE_MS;
    }
    this.#last = { diff, t: t0 };
    const settling = this.#settling > 0 && t0 < this.#settleUntil;
    if (big || (settling && Math.abs(diff) > SETTLE_SEEK_MS)) {
      // Off after a seek of ours: that seek took longer (or shorter) than
      // it aimed ahead by, and the next one aims by what it took.
      if (this.#afterSeek) this.#lookAheadMs = Math.min(1000, Math.max(0, this.#lookAheadMs - diff));
      this.#settling = big ? SETTLE_SEEKS : this.#settling - 1;
      this.#settleUntil = performance.now() + SETTLE_MS;
      this.#seek(pos);
      return;
    }
    this.#afterSeek = false;
    const pace = paceFor(diff, this.#nudging);
    this.#nudging = pace.nudging;
    if (v.playbackRate !== pace.rate) v.playbackRate = pace.rate;
  }

  // schedule plays the film at a server instant.
  #schedule(instant) {
    if (this.#cancelStart && Math.abs(this.#startAt - instant) < 5) return;
    this.#unschedule();
    this.#startAt = instant;
    this.#cancelStart = this.#link.at(instant, () => {
      this.#cancelStart = null;
      this.#startAt = 0;
      const v = this.video;
      if (!v || this.#view.timer.phase !== 'running') return;
      const pos = filmPosition(this.#view, this.#link.serverNow());
      if (Math.abs(v.currentTime * 1000 - pos) > 20) v.currentTime = Math.max(pos, 0) / 1000;
      this.#play(v);
    });
  }

  // seek moves the film to where the timer will be when the seek is done.
  #seek(pos) {
    const v = this.video;
    const end = v.duration * 1000;
    v.currentTime = Math.min(Math.max(pos + this.#lookAheadMs, 0), end) / 1000;
    this.#afterSeek = true;
    this.#last = null;
  }

  #play(v) {
    v.playbackRate = 1;
    this.#nudging = false;
    this.#settling = SETTLE_SEEKS;
    this.#settleUntil = performance.now() + SETTLE_MS;
    this.#afterSeek = false;
    this.#last = null;
    v.play().catch(() => {}); // a pause before it began refuses the promise
  }
}
