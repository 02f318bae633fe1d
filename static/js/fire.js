// fire.js: the launch moment on the stage: the overlay with the canvas, the
// caption and the fanfare, for FIRE_MS, then it fades into the closing
// slide beneath. play() may start late (a reload, a late fire message): it
// then begins at that point of the moment, with the same frame the other
// screens show.

import { FireCanvas, FIRE_MS } from './fire-canvas.js';
import { playFanfare, audioState } from './fanfare.js';

// FireOverlay owns the #fire element.
export class FireOverlay {
  constructor(root) {
    this.root = root;
    this.canvas = root.querySelector('canvas');
    this.text = root.querySelector('.fire-text');
    this.raf = 0;
    this.fireId = '';
    this.onDone = null;
    // stats of the last moment, read by the tests and shown in the log:
    // how many frames the browser drew and at what rate.
    this.stats = null;
    window.addEventListener('resize', () => {
      if (!this.painter) return;
      this.painter.resize();
      this.size = `${window.innerWidth}x${window.innerHeight}`;
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
    this.fireId = fireId;
    this.text.textContent = caption || 'PHÁT ĐỘNG';
    this.root.style.setProperty('--fire-ms', `${FIRE_MS}ms`);
    this.root.style.setProperty('--late', `${-late}ms`);
    this.root.hidden = false;
    // Restart the CSS animations from the beginning (with the new delay).
    this.root.classList.remove('play');
    void this.root.offsetWidth;
    this.root.classList.add('play');
    this.prepare(this.text.textContent);
    this.painter.seed(fireId);
    const cap = this.painter.caption;
    const st = {
      fireId, late: Math.round(late), sounds: 0, audio: audioState(), frames: 0, ms: 0, fps: 0, maxGapMs: 0, gaps: [], drawMs: 0, maxDrawMs: 0, done: false,
      caption: { lines: cap.lines, px: cap.px, widest: Math.round(cap.widest), canvasWidth: this.painter.w, canvasHeight: this.painter.h },
    };
    this.stats = st;
    window.phatdongFire = st;
    // Only what the first frame needs is done at the instant; the first
    // frame draws the canvas, and the fanfare is scheduled just after,
    // from the moment's own clock, so it sounds in time all the same. On
    // the instant the processor belongs to the start, on this screen and
    // on any other sharing it.
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
    let last = 0;
    const frame = (now) => {
      const t = now - begin;
      if (last) {
        st.maxGapMs = Math.max(st.maxGapMs, now - last);
        // Where the long frames fell, for whoever tunes the animation.
        if (now - last > 40 && st.gaps.length < 20) st.gaps.push([Math.round(t), Math.round(now - last)]);
      }
      if (!st.first) st.first = now;
      last = now;
      st.frames++;
      if (t >= FIRE_MS) {
        this.finish(now);
        return;
      }
      const t0 = performance.now();
      this.painter.draw(t);
      const spent = performance.now() - t0;
      st.drawMs += spent;
      st.maxDrawMs = Math.max(st.maxDrawMs, spent);
      this.raf = requestAnimationFrame(frame);
    };
    this.raf = requestAnimationFrame(frame);
    return true;
  }

  finish(now) {
    const st = this.stats;
    st.ms = Math.round(now - st.first);
    st.fps = st.ms > 0 ? Math.round(((st.frames - 1) * 1000 * 10) / st.ms) / 10 : 0;
    st.maxGapMs = Math.round(st.maxGapMs * 10) / 10;
    // drawMs becomes the mean time the script spent drawing one frame.
    st.drawMs = Math.round((st.drawMs / Math.max(1, st.frames - 1)) * 10) / 10;
    st.maxDrawMs = Math.round(st.maxDrawMs * 10) / 10;
    st.done = true;
    console.info(`phatdong: moment ${st.fireId}: ${st.frames} frames in ${st.ms} ms (${st.fps} fps, longest gap ${st.maxGapMs} ms, drawing ${st.drawMs} ms a frame, joined ${st.late} ms late)`);
    this.stop();
    if (this.onDone) this.onDone(st);
  }

  // prepare paints, ahead of the moment, what does not move in it (the
  // ground and the caption), so that its first frames come on time. The
  // stage calls it when the launch is armed; play calls it again, which
  // costs nothing when nothing changed.
  prepare(caption) {
    const text = caption || 'PHÁT ĐỘNG';
    const size = `${window.innerWidth}x${window.innerHeight}`;
    if (this.painter && this.painter.text === text && this.size === size) return;
    this.painter = new FireCanvas(this.canvas, text);
    this.size = size;
    this.painter.draw(FIRE_MS);
    try {
      this.painter.ctx.getImageData(0, 0, 1, 1); // makes the browser draw it now
    } catch {
      // Nothing to warm up then.
    }
  }

  // still shows the frame at t ms into a moment with this caption, and
  // stays on it: a preview of the moment on this screen, without firing.
  still(caption, t) {
    this.stop();
    this.text.textContent = caption || 'PHÁT ĐỘNG';
    this.root.hidden = false;
    this.prepare(this.text.textContent);
    this.painter.draw(Math.min(Math.max(0, t), FIRE_MS));
  }

  // stop removes the overlay at once.
  stop() {
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;

    this.root.hidden = true;
    this.root.classList.remove('play');
  }
}
