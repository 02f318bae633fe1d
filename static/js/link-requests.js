// link-requests.js: the bookkeeping of the link's requests (commands and
// presses) for static/js/link.js: each gets a ref, waits for the answer with
// that ref, is sent again on every new connection until answered, and
// fails with a LinkError on a refusal, a timeout or a stop. It never
// touches the socket itself: it sends through the function it is given.

import { LinkError } from './link-error.js';

// Requests holds the requests waiting for their answer.
export class Requests {
  #send;
  #timeoutMs;
  #pending = new Map(); // ref → {msg, resolve, reject, timer}
  #refs = 0;

  // send(msg) sends a message if it can; timeoutMs is how long a request
  // waits for its answer.
  constructor(send, timeoutMs) {
    this.#send = send;
    this.#timeoutMs = timeoutMs;
  }

  // open sends body with a new ref (prefix and a number) and returns the
  // promise of its answer. The caller checks for a connection first.
  open(prefix, body) {
    const ref = prefix + ++this.#refs;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(ref);
        reject(new LinkError('timeout', 'Máy chủ không trả lời; hãy kiểm tra kết quả rồi thử lại.'));
      }, this.#timeoutMs);
      const p = { msg: { ...body, ref }, resolve, reject, timer };
      this.#pending.set(ref, p);
      this.#send(p.msg);
    });
  }

  // resend sends every unanswered request again, with the same ref, after
  // a new welcome: the server applies each id once.
  resend() {
    for (const p of this.#pending.values()) this.#send(p.msg);
  }

  // answer settles the request msg.ref with msg, an answer message
  // ({ref, answer, error?}): it fails on msg.error or msg.answer.error.
  // It returns whether a request was waiting for that ref.
  answer(msg) {
    const p = this.#pending.get(msg.ref);
    if (!p) return false;
    this.#pending.delete(msg.ref);
    clearTimeout(p.timer);
    const err = msg.error || (msg.answer && msg.answer.error);
    if (err) p.reject(new LinkError(err.code || 'internal', err.message || 'Máy chủ từ chối lệnh.', msg.answer));
    else p.resolve(msg.answer || {});
    return true;
  }

  // stop fails every request in flight: the link stopped before the answer.
  stop() {
    for (const [ref, p] of this.#pending) {
      this.#pending.delete(ref);
      clearTimeout(p.timer);
      p.reject(new LinkError('stopped', 'Trang đã ngắt kết nối trước khi máy chủ trả lời; hãy kiểm tra kết quả.'));
    }
  }
}
