// link-util.js: small helpers of the link (static/js/link.js). They touch
// neither the DOM nor the socket.

import { HEARTBEAT_MS } from './link-const.js';

// call runs a listener; one that throws is reported, and the link goes on.
export function call(fn, args) {
  try {
    fn(...args);
  } catch (err) {
    if (globalThis.reportError) globalThis.reportError(err);
    else setTimeout(() => { throw err; });
  }
}

// defined drops the fields whose value is undefined or empty.
export function defined(obj) {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined && v !== ''));
}

// hello is the link's first message, for its options. A visible page
// promises a message every HEARTBEAT_MS (its time requests and reports),
// so the server can cut it if it freezes. A hidden one does not: its
// timers may be throttled to once a minute.
export function hello({ role, name, token, key, button }) {
  const heartbeatMs = globalThis.document && document.visibilityState === 'hidden' ? undefined : HEARTBEAT_MS;
  return defined({ type: 'hello', role, name, token, key, button, heartbeatMs });
}

// parse is a server's message, or null when it is not JSON.
export function parse(data) {
  try {
    return JSON.parse(data);
  } catch {
    return null;
  }
}
