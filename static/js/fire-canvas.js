// fire-canvas.js: the launch moment, drawn on one opaque canvas: the red
// ground with its rays and the caption, both painted once into offscreen
// canvases that each frame only copies, then the flash, the shock rings,
// the fireworks and the confetti. One opaque layer is all the browser
// composites each frame, and it hides the page beneath, so the moment stays
// smooth where the compositor has no GPU (docs/performance.md: a ground,
// a moving layer and a caption as three layers measured 38-52 fps where
// this one canvas draws 58-59).
//
// Every particle's position is a closed-form function of the time since the
// moment began, from a random sequence seeded by the fire id: every screen
// draws the same picture at the same instant, and a screen that joins late
// draws the right frame at once.

import { paintBackground, paintCaption, paintGlow } from './fire-caption.js';
import { QUALITY, FULL } from './fire-quality.js';

// FIRE_MS is the length of the moment, in ms.
export const FIRE_MS = 5000;

// MAX_PIXELS caps the canvas's backing store at about one 1080p frame, so
// a 4K screen costs no more to draw than a 1080p one.
const MAX_PIXELS = 2.1e6;

const BURST_TIMES = [250, 620, 980, 1350, 1750, 2150, 2550, 2950, 3350, 3700];
const BURST_COLORS = ['#ffd54a', '#fff3b0', '#ff8a3d', '#ffe680', '#ffffff'];
const CONFETTI_COLORS = ['#ffd54a', '#fff3b0', '#ffffff', '#ffb300', '#ff8a3d'];
const PARTICLES = 90;
const LIFE = 1900; // ms a firework particle lives
const DRAG = 2.4; // 1/s
const CONFETTI = 170;
const RINGS = [80, 380, 700]; // ms each shock ring starts
const RING_MS = 1300;
const FLASH_MS = 600;
// CAPTION_IN is when the caption lands, ms into the moment.
const CAPTION_IN = [350, 1150];

// rng returns a deterministic random generator (mulberry32) seeded by text.
export function rng(seedText) {
  let h = 2166136261;
  for (const ch of String(seedText)) h = Math.imul(h ^ ch.codePointAt(0), 16777619);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// FireCanvas draws the moment at any time t (ms since it began), at a
// quality level (fire-quality.js).
export class FireCanvas {
  constructor(canvas, caption) {
    this.canvas = canvas;
    this.text = caption || '';
    this.ctx = canvas.getContext('2d', { alpha: false });
    this.glow = paintGlow(64);
    this.level = FULL;
    this.seed('phatdong');
    this.resize();
  }

  // seed lays out the fireworks and confetti of one fire. Every level draws
  // a prefix of the same lists, so a lower level is the same picture with
  // fewer particles, not another one.
  seed(fireId) {
    const r = rng(fireId || 'phatdong');
    // Positions are in units of the canvas (0…1); speeds in units of its
    // shorter side per second, so the picture keeps its shape on any screen.
    this.bursts = BURST_TIMES.map((t0, i) => {
      const side = i % 2 === 0 ? -1 : 1;
      const x = 0.5 + side * (0.12 + r() * 0.33);
      const y = 0.14 + r() * 0.32;
      const color = BURST_COLORS[i % BURST_COLORS.length];
      const speed = 0.42 + r() * 0.22;
      const parts = [];
      for (let k = 0; k < PARTICLES; k++) {
        const a = (k / PARTICLES) * Math.PI * 2 + r() * 0.12;
        const v = speed * (0.55 + 0.45 * Math.sqrt(r()));
        parts.push({ vx: Math.cos(a) * v, vy: Math.sin(a) * v, tw: r() * 6.28 });
      }
      // Interleaved, so a prefix still goes round the whole circle.
      return { t0, x, y, color, parts: spread(parts) };
    });
    this.confetti = [];
    for (let k = 0; k < CONFETTI; k++) {
      this.confetti.push({
        t0: 500 + r() * 1400, x: r(), vy: 0.16 + r() * 0.2, sway: 0.01 + r() * 0.03, ph: r() * 6.28,
        spin: (r() - 0.5) * 12, w: 0.006 + r() * 0.008, color: CONFETTI_COLORS[k % CONFETTI_COLORS.length],
      });
    }
  }

  // setLevel changes the quality level: the backing store follows its
  // scale; the ground and caption, painted for full scale, are copied
  // scaled down, never painted again during the moment.
  setLevel(level) {
    if (level === this.level) return;
    this.level = level;
    this.fit();
  }

  // resize paints the ground and the caption for the canvas's size on
  // screen (done ahead of the moment), then fits the backing store.
  resize() {
    const c = this.canvas;
    const w = c.clientWidth || window.innerWidth;
    const h = c.clientHeight || window.innerHeight;
    const full = Math.min(window.devicePixelRatio || 1, Math.sqrt(MAX_PIXELS / (w * h)));
    this.fullW = Math.max(1, Math.round(w * full));
    this.fullH = Math.max(1, Math.round(h * full));
    this.bg = document.createElement('canvas');
    this.bg.width = this.fullW;
    this.bg.height = this.fullH;
    paintBackground(this.bg);
    this.caption = paintCaption(this.fullW, this.fullH, this.text);
    this.fit();
  }

  // fit sizes the backing store for the level. Positions are in canvas
  // units, so the picture is the same at any scale, only softer.
  fit() {
    const scale = QUALITY[this.level].scale;
    this.canvas.width = Math.max(1, Math.round(this.fullW * scale));
    this.canvas.height = Math.max(1, Math.round(this.fullH * scale));
    this.w = this.canvas.width;
    this.h = this.canvas.height;
    this.u = Math.min(this.w, this.h);
    this.k = this.w / this.fullW; // from full-scale pixels to the store's
  }

  // draw renders the frame at t ms into the moment.
  draw(t) {
    const { ctx, w, h } = this;
    const q = QUALITY[this.level];
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.globalAlpha = 1;
    ctx.globalCompositeOperation = 'source-over';
    ctx.drawImage(this.bg, 0, 0, w, h);
    if (q.glow) this.drawFlash(t);
    this.drawRings(t);
    if (q.glow) ctx.globalCompositeOperation = 'lighter';
    const parts = Math.ceil(PARTICLES * q.share);
    for (const b of this.bursts) this.drawBurst(b, t, parts, q.glow);
    ctx.globalCompositeOperation = 'source-over';
    this.drawCaption(t);
    this.drawConfetti(t, Math.ceil(CONFETTI * q.share));
  }

  // drawCaption: the caption lands from afar (small, faint) with a slight
  // overshoot, then stays still.
  drawCaption(t) {
    const [t0, t1] = CAPTION_IN;
    if (t < t0) return;
    const { ctx, w, h, k } = this;
    const img = this.caption.canvas;
    const p = Math.min(1, (t - t0) / (t1 - t0));
    const back = 1.7; // overshoot of an ease-out-back curve
    const e = 1 + (back + 1) * Math.pow(p - 1, 3) + back * Math.pow(p - 1, 2);
    const s = (0.55 + 0.45 * e) * k;
    ctx.globalAlpha = Math.min(1, p * 2.5);
    ctx.drawImage(img, w / 2 - (img.width * s) / 2, h / 2 - (img.height * s) / 2, img.width * s, img.height * s);
    ctx.globalAlpha = 1;
  }

  // drawFlash: the burst of light at the start, a small glow painted once
  // and stretched, which is far cheaper than a gradient the size of the
  // screen in every frame. It grows as it fades.
  drawFlash(t) {
    if (t > FLASH_MS) return;
    const { ctx, w, h } = this;
    const k = 1 - t / FLASH_MS;
    const s = Math.max(w, h) * (0.9 + 0.5 * (1 - k));
    ctx.globalAlpha = k * k;
    ctx.drawImage(this.glow, w / 2 - s / 2, h / 2 - s / 2, s, s);
    ctx.globalAlpha = 1;
  }

  drawRings(t) {
    const { ctx, w, h, u } = this;
    for (const t0 of RINGS) {
      const dt = t - t0;
      if (dt < 0 || dt > RING_MS) continue;
      const p = dt / RING_MS;
      const r = u * 0.05 + Math.max(w, h) * 0.75 * (1 - (1 - p) * (1 - p));
      ctx.lineWidth = u * 0.018 * (1 - p) + 1;
      ctx.strokeStyle = `rgba(255,220,110,${0.85 * (1 - p)})`;
      ctx.beginPath();
      ctx.arc(w / 2, h / 2, r, 0, Math.PI * 2);
      ctx.stroke();
    }
  }

  // drawBurst draws the first n particles of one firework as short
  // streaks, all in one path: position follows a ballistic flight with air
  // drag, in closed form.
  drawBurst(b, t, n, glow) {
    const dt = (t - b.t0) / 1000;
    if (dt < 0 || dt * 1000 > LIFE) return;
    const { ctx, w, h, u } = this;
    const life = (dt * 1000) / LIFE;
    const g = 0.22; // gravity, in units per second²
    const tail = Math.max(0, dt - 0.07);
    const e1 = (1 - Math.exp(-DRAG * tail)) / DRAG;
    const e2 = (1 - Math.exp(-DRAG * dt)) / DRAG;
    const fall1 = (g / DRAG) * (tail - e1);
    const fall2 = (g / DRAG) * (dt - e2);
    const x0 = b.x * w;
    const y0 = b.y * h;
    ctx.strokeStyle = b.color;
    ctx.lineCap = 'round';
    ctx.lineWidth = Math.max(1.5, u * 0.006 * (1 - life * 0.6));
    ctx.globalAlpha = Math.max(0, 1 - life * life);
    ctx.beginPath();
    for (let i = 0; i < n; i++) {
      const p = b.parts[i];
      if (life > 0.6 && Math.sin(p.tw + dt * 40) < -0.3) continue; // twinkle at the end
      ctx.moveTo(x0 + p.vx * e1 * u, y0 + (p.vy * e1 + fall1) * u);
      ctx.lineTo(x0 + p.vx * e2 * u, y0 + (p.vy * e2 + fall2) * u);
    }
    ctx.stroke();
    if (glow && dt < 0.25) {
      // The burst's own flash.
      ctx.globalAlpha = 1 - dt / 0.25;
      ctx.fillStyle = '#fff8d0';
      ctx.beginPath();
      ctx.arc(x0, y0, u * 0.04 * (0.5 + dt * 4), 0, Math.PI * 2);
      ctx.fill();
    }
    ctx.globalAlpha = 1;
  }

  drawConfetti(t, n) {
    const { ctx, w, h, u } = this;
    for (let i = 0; i < n; i++) {
      const c = this.confetti[i];
      const dt = (t - c.t0) / 1000;
      if (dt < 0) continue;
      const y = (-0.05 + c.vy * dt) * h;
      if (y > h + u * 0.05) continue;
      const x = (c.x + Math.sin(c.ph + dt * 3) * c.sway) * w;
      const a = c.ph + c.spin * dt;
      const sw = c.w * u;
      const flip = Math.cos(a * 1.3);
      ctx.setTransform(Math.cos(a) * flip, Math.sin(a) * flip, -Math.sin(a), Math.cos(a), x, y);
      ctx.fillStyle = c.color;
      ctx.fillRect(-sw / 2, -sw, sw, sw * 2);
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
  }
}

// spread reorders a ring of particles so that every prefix is spread
// evenly round it (bit-reversal order of the indices).
function spread(parts) {
  const n = parts.length;
  const bits = Math.ceil(Math.log2(n));
  const order = [];
  for (let i = 0; i < 1 << bits; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) if (i & (1 << b)) r |= 1 << (bits - 1 - b);
    if (r < n) order.push(parts[r]);
  }
  return order;
}
