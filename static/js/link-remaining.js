// link-remaining.js: the time left on a state's clock, for Link.remaining
// (static/js/link.js). It mirrors controller.Timer's Remaining; a Go test
// (display/linkjs_remaining_test.go) compares the two on a table of timers.

// remaining is the ms left on the view's clock at now (server time, Unix
// ms), negative in overtime, except that a clock that holds at zero never
// reads below 0.
export function remaining(view, now) {
  const t = view && view.timer;
  if (!t) return 0;
  let elapsed = 0;
  if (t.phase !== 'ready' && t.startedAt) {
    const end = t.phase === 'paused' || t.phase === 'done' ? t.pausedAt || 0 : now;
    elapsed = Math.max(end - t.startedAt - (t.pausedMs || 0), 0);
  }
  const left = (t.durationMs || 0) + (t.addedMs || 0) - elapsed;
  const holds = t.phase === 'done' || (view.current && view.current.onZero === 'hold');
  return holds ? Math.max(left, 0) : left;
}
