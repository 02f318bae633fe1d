// fire.js: the launch moment on the stage: the overlay with its canvas
// (fire-canvas.js) and the fanfare, for FIRE_MS, then a fade into the
// closing slide beneath. play() may start late (a reload, a late fire
// message): it then begins at that point of the moment, with the same
// frame the other screens show.
//
// Nothing animates the overlay's opacity before the fade: an animated
// opacity over the page makes the browser composite the whole page beneath
// every frame, which held the moment to 22-28 fps on screens without a GPU
// (docs/performance.md). The fade animates the canvas alone, in the last
// FADE_MS.

import { FireCanvas, FIRE_MS } from './fire-canvas.js';
import { CAPTION_FACE } from './fire-caption.js';
import { playFanfare, audioState } from './fanfare.js';
import { Governor, startLevel, keepLevel, measureRefresh } from './fire-quality.js';
import { momentStats, recordFrame } from './fire-stats.js';

// FADE_MS is the fade into the closing slide at the end of the moment.
const FADE_MS = 600;
// WARM_FRAMES is how many unseen frames warmUp draws.
const WARM_FRAMES = 12;

// FireOverlay owns the #fire element.
export class FireOverlay {
  constructor(root) {
    this.root = root;
    this.canvas = root.querySelector('canvas');
    this.text = root.querySelector('.fire-text');
    this.raf = 0;
    this.fireId = '';
    this.onDone = null;
    this.frameMs = 1000 / 60;
    this.fade = null;
    this.holding = false; // a still frame is shown (still())
    // stats of the last moment, read by the tests and shown in the log.
    this.stats = null;
    // A screen resized (a kiosk going full screen, a window moved to the
    // projector) paints for its new size: at once during a moment, else
    // when the resizing has settled.
    let settle = 0;
    window.addEventListener('resize', () => {
      if (!this.painter) return;
      if (this.playing) {
        this.painter.resize();
        return;
      }
      clearTimeout(settle);
      settle = setTimeout(() => this.prepare(this.text.textContent), 300);
    });
  }

  // playing reports whether a moment is on screen.
  get playing() {
    return this.raf !== 0;
  }

  // play starts the moment fireId with its caption, lateMs after its start.
  // It does nothing when the moment is already over (lateMs ≥ FIRE_MS).
  play(fireId, caption, lateMs = 0, { sound = true } = {}) {
    const late = Math.max(0, lateMs);
    if (late >= FIRE_MS) return false;
    // The moment's clock: started now, late ms ago.
    const begin = performance.now() - late;
    this.stop();
    this.root.classList.remove('warming');
    this.fireId = fireId;
    this.paint(caption);
    const governor = new Governor(startLevel(new URLSearchParams(location.search)), this.frameMs);
    this.painter.setLevel(governor.level);
    this.painter.seed(fireId);
    this.root.hidden = false;
    const cap = this.painter.caption;
    const st = momentStats(fireId, late, governor,
      { lines: cap.lines, px: cap.px, widest: Math.round(cap.widest), canvasWidth: this.painter.fullW, canvasHeight: this.painter.fullH },
      audioState());
    this.stats = st;
    window.phatdongFire = st;
    // Only what the first frame needs is done at the instant; the first
    // frame draws the canvas, and the fanfare is scheduled just after,
    // from the moment's own clock, so it sounds in time all the same.
    if (sound && late < 1500) {
      setTimeout(() => {
        if (this.fireId !== fireId || !this.raf) return;
        try {
          st.sounds = playFanfare(performance.now() - begin);
        } catch (err) {
          console.warn('fanfare', err);
        }
        st.audio = audioState();
      }, 0);
    }
    const frame = (now) => {
      const t = now - begin;
      recordFrame(st, now, t);
      if (t >= FIRE_MS) {
        this.finish(now);
        return;
      }
      // The governor judges from the second interval on: the first one
      // holds the instant's own work.
      if (st.frames > 2) this.painter.setLevel(governor.frame(st.lastGap, t));
      if (t >= FIRE_MS - FADE_MS && !this.fade) this.fadeOut(t);
      const t0 = performance.now();
      this.painter.draw(t);
      st.drawMs += performance.now() - t0;
      this.raf = requestAnimationFrame(frame);
    };
    this.raf = requestAnimationFrame(frame);
    return true;
  }

  finish(now) {
    const st = this.stats;
    st.finish(now, this.painter.level);
    keepLevel(this.painter.level);
    console.info(`phatdong: moment ${st.fireId}: ${st.frames} frames in ${st.ms} ms (${st.fps} fps, longest gap ${st.maxGapMs} ms, ${st.maxGapAfterMs} ms after the first 100 ms, quality ${st.quality} «${st.qualityName}», drawing ${st.drawMs} ms a frame, joined ${st.late} ms late)`);
    this.stop();
    if (this.onDone) this.onDone(st);
  }

  // prepare paints, ahead of the moment, what does not move in it (the
  // ground, and the caption in the embedded typeface once it is loaded)
  // and measures the display's refresh, so that the first frames come on
  // time. The stage calls it when idle; play paints what is missing.
  prepare(caption) {
    if (this.holding) return; // a still is on screen (still())
    const text = caption || 'PHÁT ĐỘNG';
    if (document.fonts && !document.fonts.check(CAPTION_FACE, text)) {
      document.fonts.load(CAPTION_FACE, text).then(() => this.playing || this.prepare(text), () => {});
      return;
    }
    if (this.paint(text)) this.warmUp();
  }

  // warmUp runs the moment once, unseen, over WARM_FRAMES frames spread
  // across it: the browser's first frames of a new overlay cost two or
  // three refreshes each (measured: 33-50 ms intervals for the first three
  // frames, then 16.7), which on the night would fall on the instant. It
  // measures the display's refresh meanwhile.
  warmUp() {
    if (this.playing || this.warming) return;
    this.warming = true;
    this.root.hidden = false;
    this.root.classList.add('warming');
    let n = 0;
    const step = () => {
      const taken = this.playing || this.holding; // a moment or a still took over
      if (taken || n >= WARM_FRAMES) {
        if (!taken) {
          if (this.fade) this.fade.cancel();
          this.fade = null;
          this.root.hidden = true;
        }
        this.warming = false;
        this.root.classList.remove('warming');
        return;
      }
      if (n === WARM_FRAMES / 2) this.fadeOut(FIRE_MS - FADE_MS);
      this.painter.draw((n++ * FIRE_MS) / WARM_FRAMES);
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
    measureRefresh().then((ms) => (this.frameMs = ms));
  }

  // paint makes the painter for this caption and screen size, unless it
  // is made already (the caption is measured in the embedded typeface when
  // it has loaded; a repaint follows if it loads later). It reports
  // whether it made a new one.
  paint(caption) {
    const text = caption || 'PHÁT ĐỘNG';
    this.text.textContent = text;
    const key = `${text}|${window.innerWidth}x${window.innerHeight}|${document.fonts ? document.fonts.check(CAPTION_FACE, text) : ''}`;
    if (this.painter && this.key === key) return false;
    this.painter = new FireCanvas(this.canvas, text);
    this.key = key;
    return true;
  }

  // fadeOut fades the canvas into the closing slide, t ms into the moment.
  fadeOut(t) {
    this.fade = this.canvas.animate([{ opacity: 1 }, { opacity: 0 }], { duration: FADE_MS, fill: 'forwards' });
    this.fade.currentTime = Math.max(0, t - (FIRE_MS - FADE_MS));
  }

  // still shows the frame at t ms into a moment with this caption, and
  // stays on it: a preview of the moment on this screen, without firing.
  still(caption, t) {
    this.stop();
    this.paint(caption);
    this.painter.setLevel(startLevel(new URLSearchParams(location.search)));
    this.root.classList.remove('warming');
    this.root.hidden = false;
    this.holding = true;
    this.painter.draw(Math.min(Math.max(0, t), FIRE_MS));
  }

  // stop removes the overlay at once.
  stop() {
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;
    if (this.fade) this.fade.cancel();
    this.fade = null;
    this.holding = false;
    this.root.hidden = true;
  }
}
