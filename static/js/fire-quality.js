// fire-quality.js: how much the launch moment draws on this screen, and
// the governor that lowers it when frames run long. A weak screen (an
// office PC or a Raspberry Pi without GPU rasterisation) stays smooth
// rather than rich and jerky.
//
// The governor only ever lowers the level during a moment, and never
// before its first frame: the frame at fireAt costs what it costs at the
// level the screen starts with. The level a screen settles on is kept, so
// a rehearsal teaches the screen what it can draw on the night.

/**
 * QUALITY lists the levels, lowest first. scale is the size of the
 * canvas's backing store relative to full quality (scaled up by the
 * compositor, so the picture gets softer, not smaller), share the part of
 * the fireworks' and confetti's particles drawn, glow whether the flashes
 * and the additive light are drawn. The two upper levels keep the caption
 * sharp.
 */
export const QUALITY = Object.freeze([
  Object.freeze({ name: 'tối giản', scale: 0.5, share: 0.3, glow: false }),
  Object.freeze({ name: 'nhẹ', scale: 0.75, share: 0.45, glow: false }),
  Object.freeze({ name: 'vừa', scale: 1, share: 0.6, glow: true }),
  Object.freeze({ name: 'đầy đủ', scale: 1, share: 1, glow: true }),
]);

/** FULL is the highest level. */
export const FULL = QUALITY.length - 1;

/** WINDOW is how many frame intervals the governor judges at a time. */
export const WINDOW = 6;

/**
 * SLOW is how much longer than the display's frame a window's median
 * interval may be before the level drops: past it, at least half the
 * frames of the window missed their refresh.
 */
export const SLOW = 1.4;

const STORE_KEY = 'phatdong.fireQuality';

/**
 * Governor watches the frame intervals of one moment and lowers the level
 * when a window of WINDOW intervals has its median beyond SLOW frames.
 */
export class Governor {
  /**
   * @param {number} level the level to start at (0…FULL)
   * @param {number} frameMs the display's refresh interval, ms
   */
  constructor(level, frameMs) {
    this.level = clampLevel(level);
    this.frameMs = frameMs > 0 ? frameMs : 1000 / 60;
    this.window = [];
    /** @type {Array<[number, number]>} [ms into the moment, new level] */
    this.changes = [];
  }

  /**
   * frame notes the interval since the previous frame, t ms into the
   * moment, and returns the level to draw the next frame at.
   * @param {number} intervalMs
   * @param {number} t
   * @returns {number}
   */
  frame(intervalMs, t) {
    this.window.push(intervalMs);
    if (this.window.length < WINDOW) return this.level;
    const sorted = this.window.slice().sort((a, b) => a - b);
    this.window = [];
    const median = (sorted[(WINDOW - 1) >> 1] + sorted[WINDOW >> 1]) / 2;
    if (median > this.frameMs * SLOW && this.level > 0) {
      this.level--;
      this.changes.push([Math.round(t), this.level]);
    }
    return this.level;
  }
}

/**
 * clampLevel makes any value a valid level (FULL when it is not a number).
 * @param {unknown} level
 * @returns {number}
 */
export function clampLevel(level) {
  const n = Number(level);
  if (level === null || level === undefined || level === '' || !Number.isFinite(n)) return FULL;
  return Math.max(0, Math.min(FULL, Math.round(n)));
}

/**
 * startLevel is the level a moment starts at: ?quality=N when the page
 * says so (a kiosk set up by hand, the screenshots), else one above the
 * level this screen settled on last time (a moment on a busy machine does
 * not hold the screen down for good), else FULL.
 * @param {URLSearchParams} search
 * @returns {number}
 */
export function startLevel(search) {
  if (search.has('quality')) return clampLevel(search.get('quality'));
  try {
    const kept = localStorage.getItem(STORE_KEY);
    return kept === null ? FULL : clampLevel(clampLevel(kept) + 1);
  } catch {
    return FULL;
  }
}

/**
 * keepLevel remembers the level this screen settled on.
 * @param {number} level
 */
export function keepLevel(level) {
  try {
    localStorage.setItem(STORE_KEY, String(clampLevel(level)));
  } catch {
    // Private mode: the next moment starts at full quality again.
  }
}

/**
 * measureRefresh resolves with the display's refresh interval in ms: the
 * lower quartile of `frames` animation-frame intervals, which is the
 * refresh even when a few frames are late.
 * @param {number} [frames]
 * @returns {Promise<number>}
 */
export function measureRefresh(frames = 16) {
  return new Promise((done) => {
    const gaps = [];
    let last = 0;
    const step = (now) => {
      if (last) gaps.push(now - last);
      last = now;
      if (gaps.length < frames) {
        requestAnimationFrame(step);
        return;
      }
      gaps.sort((a, b) => a - b);
      done(gaps[gaps.length >> 2]);
    };
    requestAnimationFrame(step);
  });
}
