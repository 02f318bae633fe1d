// link-util.js: small helpers of the link (static/js/link.js). They touch
// neither the DOM nor the socket.

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
