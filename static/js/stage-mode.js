// stage-mode.js: which slide the stage shows for a state. A pure function
// of the view, so a reload at any moment shows the same slide as before.

// stageMode returns 'connecting', 'welcome', 'segment', 'launch' or
// 'closing'. The blackout and the moment's animation are layers above.
//
// After the fire the stage settles on the closing slide, and stays there
// for every segment that had already begun before the fire (the launch
// segment itself, the MC stepping back). A segment first started after the
// fire (the training session that follows the ceremony) is shown again as
// a normal segment.
export function stageMode(view) {
  if (!view || !view.current) return 'connecting';
  const kind = view.current.kind;
  const launch = view.launch || {};
  if (kind === 'closing') return 'closing';
  if (launch.phase === 'fired' && !startedAfterFire(view)) return 'closing';
  if (launch.phase === 'armed') return 'launch';
  if (kind === 'welcome') return 'welcome';
  return 'segment';
}

// startedAfterFire reports whether the current segment first started after
// the launch fired.
export function startedAfterFire(view) {
  const run = view.runs && view.runs[view.current.id];
  const firedAt = (view.launch && view.launch.firedAt) || 0;
  return Boolean(run && run.startedAt && firedAt && run.startedAt > firedAt);
}

// pressCount describes the presses counted toward the required number:
// {n, k} or null when one press is enough.
export function pressCount(view) {
  const l = (view && view.launch) || {};
  const k = l.required || 1;
  if (k <= 1) return null;
  return { n: (l.presses || []).length, k };
}
