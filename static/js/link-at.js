// link-at.js: calling a function at an instant of the server's clock, for
// Link.at (static/js/link.js): a timer until SPIN_MS before, then a spin
// that yields to the page between checks.

import { SPIN_MS } from './link-const.js';

// at calls fn(lateMs) when now() reaches serverMs; now is read again at
// every check, so a new clock offset counts at once. If serverMs is already
// past, fn is called at once with how late it is. Returns a function that
// cancels.
export function at(now, serverMs, fn) {
  const chan = new MessageChannel();
  let timer = 0;
  let done = false;
  const check = () => {
    if (done) return;
    const left = serverMs - now();
    if (left <= 0) {
      done = true;
      chan.port1.close();
      fn(-left);
    } else if (left > SPIN_MS) {
      timer = setTimeout(check, Math.min(left - SPIN_MS, 1000));
    } else {
      chan.port2.postMessage(0);
    }
  };
  chan.port1.onmessage = check;
  check();
  return () => {
    done = true;
    clearTimeout(timer);
    chan.port1.close();
  };
}
