// moment.js: starts the launch moment on this screen at the instant the
// server chose (fireAt, in server time), so every screen in the hall starts
// it in the same frame. It knows nothing of the DOM: the stage page draws
// the animation in onStart; the spread test records the instant.

/**
 * Starts later than this, in ms, are not reported to the server: such a
 * screen joined after the moment (a reload, a late connect), and its start
 * says nothing about how well the screens agree.
 */
export const REPORT_LATE_MS = 5000;

/**
 * startMoment calls onStart(fireId, lateMs, info) once per fire, when the
 * link's server clock reaches the fire's fireAt, and reports the start to
 * the server. lateMs is how far past fireAt the start is: about 0 normally,
 * more for a screen that learnt of the fire late, which should join the
 * animation that far into it. info is {fireAt, caption, startedAt}, with
 * startedAt in server time.
 * @param {import('./link.js').Link} link
 * @param {(fireId: string, lateMs: number, info: {fireAt: number, caption: string, startedAt: number}) => void} onStart
 * @returns {() => void} a function that stops listening and cancels pending starts
 */
export function startMoment(link, onStart) {
  const cancels = new Map();
  const off = link.on('fire', ({ fireId, fireAt, caption }) => {
    if (cancels.has(fireId)) return;
    cancels.set(fireId, link.at(fireAt, (late) => {
      const startedAt = link.serverNow();
      try {
        onStart(fireId, late, { fireAt, caption, startedAt });
      } finally {
        if (late <= REPORT_LATE_MS) link.reportFire(fireId, startedAt);
      }
    }));
  });
  return () => {
    off();
    for (const cancel of cancels.values()) cancel();
  };
}
