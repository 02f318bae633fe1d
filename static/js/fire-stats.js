// fire-stats.js: the figures of one moment on this screen (window.
// phatdongFire): how many frames the browser drew, at what rate, its
// longest gaps and the quality it chose. The tests read them, the stage
// logs them and reports them to the server for the MC's devices panel.

import { QUALITY } from './fire-quality.js';

// EARLY_MS is the start of the moment left out of maxGapAfterMs: the first
// frame may wait on the instant's own work.
export const EARLY_MS = 100;

/**
 * momentStats starts the figures of one moment.
 * @param {string} fireId
 * @param {number} late ms the screen joined after the moment began
 * @param {import('./fire-quality.js').Governor} governor
 * @param {object} caption the caption's layout, for the tests
 * @param {string} audio the audio state at the start
 */
export function momentStats(fireId, late, governor, caption, audio) {
  return {
    fireId,
    late: Math.round(late),
    sounds: 0,
    audio,
    frames: 0,
    ms: 0,
    fps: 0,
    medianMs: 0,
    maxGapMs: 0,
    maxGapAfterMs: 0,
    lastGap: 0,
    gaps: [],
    intervals: [],
    drawMs: 0,
    startQuality: governor.level,
    quality: governor.level,
    qualityName: QUALITY[governor.level].name,
    qualityChanges: governor.changes,
    frameMs: Math.round(governor.frameMs * 10) / 10,
    done: false,
    caption,
    first: 0,
    last: 0,
    finish(now, level) {
      finish(this, now, level);
    },
  };
}

/**
 * recordFrame notes a frame drawn at `now`, t ms into the moment.
 * @param {ReturnType<typeof momentStats>} st
 * @param {number} now
 * @param {number} t
 */
export function recordFrame(st, now, t) {
  if (st.last) {
    const gap = now - st.last;
    st.lastGap = gap;
    st.intervals.push(Math.round(gap * 10) / 10);
    st.maxGapMs = Math.max(st.maxGapMs, gap);
    if (t - gap >= EARLY_MS) st.maxGapAfterMs = Math.max(st.maxGapAfterMs, gap);
    // Where the long frames fell, for whoever tunes the animation.
    if (gap > 40 && st.gaps.length < 20) st.gaps.push([Math.round(t), Math.round(gap)]);
  }
  if (!st.first) st.first = now;
  st.last = now;
  st.frames++;
}

function finish(st, now, level) {
  const round = (x) => Math.round(x * 10) / 10;
  st.ms = Math.round(now - st.first);
  st.fps = st.ms > 0 ? round(((st.frames - 1) * 1000) / st.ms) : 0;
  const sorted = st.intervals.slice().sort((a, b) => a - b);
  st.medianMs = sorted.length ? round(sorted[sorted.length >> 1]) : 0;
  st.maxGapMs = round(st.maxGapMs);
  st.maxGapAfterMs = round(st.maxGapAfterMs);
  // drawMs becomes the mean time the script spent drawing one frame.
  st.drawMs = round(st.drawMs / Math.max(1, st.frames - 1));
  st.quality = level;
  st.qualityName = QUALITY[level].name;
  st.done = true;
}
