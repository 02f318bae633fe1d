// clocksync.js estimates how far the server's clock is ahead of this
// browser's clock, so that every screen starts the launch moment at the same
// server instant, within one video frame.
//
// It is the algorithm of the Go package display/clocksync, with the same
// constants; a Go test runs both on the same samples and requires them to
// agree. Change both together.
//
// The page sends request() over its socket as JSON, and hands each answer,
// {"type":"time","t0":…,"t1":…,"t2":…}, to addReply with the time it arrived.
// Times are Unix milliseconds as floats. This module touches neither the DOM
// nor the socket.

// WINDOW is how many recent samples a ClockSync keeps.
export const WINDOW = 16;
// MIN_SAMPLES is how many samples make an estimate ready, and the smallest window.
export const MIN_SAMPLES = 4;
// BEST_DIVISOR selects the 1/BEST_DIVISOR of the window with the lowest round trips.
export const BEST_DIVISOR = 4;
// STEP_SLACK_MS is the tolerance before a contradicting sample counts as a clock step.
export const STEP_SLACK_MS = 5;
// STEP_CONFIRM is how many contradicting samples in a row restart the estimate.
export const STEP_CONFIRM = 2;
// BURST_SAMPLES are taken BURST_INTERVAL_MS apart after connecting or a step.
export const BURST_SAMPLES = 8;
// BURST_INTERVAL_MS is the pause between two burst samples.
export const BURST_INTERVAL_MS = 40;
// STEADY_INTERVAL_MS is the pause between two samples after the burst.
export const STEADY_INTERVAL_MS = 3000;

// localNow is this browser's clock in Unix ms, with sub-ms precision.
export function localNow() {
  return performance.timeOrigin + performance.now();
}

// sampleOffset is what one exchange says the server is ahead, in ms.
export function sampleOffset(t0, t1, t2, t3) {
  return ((t1 - t0) + (t2 - t3)) / 2;
}

// sampleRtt is the time one exchange spent on the network, in ms.
export function sampleRtt(t0, t1, t2, t3) {
  return (t3 - t0) - (t2 - t1);
}

// sampleError explains why the timestamps cannot come from a real exchange,
// or returns "" when they can.
export function sampleError(t0, t1, t2, t3) {
  for (const v of [t0, t1, t2, t3]) {
    if (!Number.isFinite(v)) return `timestamp ${v} is not a finite number`;
  }
  if (t3 < t0) return "received before sent (t3 < t0)";
  if (t2 < t1) return "server answered before it received (t2 < t1)";
  if (sampleRtt(t0, t1, t2, t3) < 0) return "negative round trip";
  return "";
}

// nextDelay is how long to wait, in ms, before the next time request, given
// the estimator's count: at once, then a burst, then every few seconds. A
// clock step lowers the count, which starts a new burst.
export function nextDelay(count) {
  if (count <= 0) return 0;
  if (count < BURST_SAMPLES) return BURST_INTERVAL_MS;
  return STEADY_INTERVAL_MS;
}

// ClockSync keeps the recent samples and estimates the offset: the median
// offset of the lowest-RTT quarter (see the Go package for why).
export class ClockSync {
  #size;
  #samples = []; // {offset, rtt}, oldest first
  #pending = []; // contradicting samples waiting for confirmation
  #resets = 0;
  #offset = 0;
  #rtt = Infinity;
  #unc = Infinity;

  // size is the window; below 1 means WINDOW, below MIN_SAMPLES is raised.
  constructor(size = WINDOW) {
    if (!Number.isFinite(size) || size < 1) size = WINDOW;
    this.#size = Math.max(Math.floor(size), MIN_SAMPLES);
  }

  // request is the message to send: {type: "time", t0: now}.
  request(now = localNow()) {
    return { type: "time", t0: now };
  }

  // addReply adds the server's answer msg, received at t3; see addSample.
  addReply(msg, t3) {
    if (msg === null || typeof msg !== "object") return false;
    return this.addSample(msg.t0, msg.t1, msg.t2, t3);
  }

  // addSample adds one exchange. It returns false, and changes nothing, when
  // the sample is impossible (see sampleError). A sample that contradicts the
  // estimate is held back until STEP_CONFIRM of them restart the estimate (a
  // clock step), or dropped when the next sample agrees with the estimate.
  addSample(t0, t1, t2, t3) {
    if (sampleError(t0, t1, t2, t3) !== "") return false;
    const p = { offset: sampleOffset(t0, t1, t2, t3), rtt: sampleRtt(t0, t1, t2, t3) };
    if (this.#samples.length > 0 && !this.#agrees(p)) {
      if (!consistent(p, this.#pending)) this.#pending = [];
      this.#pending.push(p);
      if (this.#pending.length < STEP_CONFIRM) return true;
      this.#samples = this.#pending;
      this.#pending = [];
      this.#resets++;
    } else {
      this.#pending = [];
      this.#samples.push(p);
      if (this.#samples.length > this.#size) {
        this.#samples.splice(0, this.#samples.length - this.#size);
      }
    }
    this.#estimate();
    return true;
  }

  // #agrees reports whether p's interval, offset ± rtt/2, comes within
  // STEP_SLACK_MS of the estimate's, offset ± uncertainty.
  #agrees(p) {
    return Math.abs(p.offset - this.#offset) <= p.rtt / 2 + this.#unc + STEP_SLACK_MS;
  }

  // #estimate recomputes the estimate; ties in RTT go to the older sample,
  // as in Go, so that both pick the same samples.
  #estimate() {
    const s = this.#samples;
    const order = s.map((_, i) => i);
    order.sort((a, b) => (s[a].rtt < s[b].rtt ? -1 : s[a].rtt > s[b].rtt ? 1 : a - b));
    const k = Math.max(1, Math.floor(s.length / BEST_DIVISOR));
    const offsets = order.slice(0, k).map((i) => s[i].offset);
    offsets.sort((x, y) => x - y);
    const h = Math.floor(k / 2);
    this.#offset = k % 2 === 1 ? offsets[h] : (offsets[h - 1] + offsets[h]) / 2;
    this.#rtt = s[order[0]].rtt;
    this.#unc = this.#rtt / 2 + (offsets[k - 1] - offsets[0]);
  }

  // offset is the estimate in ms (server = local + offset), 0 before any sample.
  get offset() {
    return this.#offset;
  }

  // rtt is the lowest kept round trip in ms, Infinity before any sample.
  get rtt() {
    return this.#samples.length === 0 ? Infinity : this.#rtt;
  }

  // uncertainty bounds the error of offset in ms, Infinity before any sample.
  get uncertainty() {
    return this.#samples.length === 0 ? Infinity : this.#unc;
  }

  // count is how many samples make the estimate.
  get count() {
    return this.#samples.length;
  }

  // ready is true once count reaches MIN_SAMPLES.
  get ready() {
    return this.#samples.length >= MIN_SAMPLES;
  }

  // resets is how many times a clock step restarted the estimate.
  get resets() {
    return this.#resets;
  }

  // nextDelay is how long to wait, in ms, before the next time request.
  nextDelay() {
    return nextDelay(this.#samples.length);
  }

  // serverTime converts a local time to server time, both in Unix ms.
  serverTime(localMs) {
    return localMs + this.#offset;
  }

  // serverNow is the server's clock now, in Unix ms.
  serverNow() {
    return this.serverTime(localNow());
  }
}

// consistent reports whether p agrees with every point of others.
function consistent(p, others) {
  return others.every((o) => Math.abs(p.offset - o.offset) <= p.rtt / 2 + o.rtt / 2 + STEP_SLACK_MS);
}
