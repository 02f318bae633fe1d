// fire-caption.js: the launch caption and the ground of the moment, each
// painted once into a canvas of its own that the compositor then shows as
// a still layer. The caption is broken into balanced lines and sized to
// fill its box on any screen shape, never cropped.

// CAPTION_FACE is the caption's face: the pages' embedded typeface
// (css/fonts.css), so it measures and looks the same on every screen.
export const CAPTION_FACE = '900 100px "Be Vietnam Pro"';
const FONT = '"Be Vietnam Pro", "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif';
const LINE = 1.18; // line height, in ems

function offscreen(w, h) {
  const c = document.createElement('canvas');
  c.width = Math.max(1, Math.round(w));
  c.height = Math.max(1, Math.round(h));
  return c;
}

// splits lists every way to cut words into n lines, in order.
function* splits(words, n) {
  if (n === 1) {
    yield [words.join(' ')];
    return;
  }
  for (let i = 1; i <= words.length - n + 1; i++) {
    for (const rest of splits(words.slice(i), n - 1)) yield [words.slice(0, i).join(' '), ...rest];
  }
}

// layoutCaption finds the lines and the font size (px) that make text as
// large as possible inside a boxW × boxH box, at most maxPx.
// A phrase in «…» is kept on one line; more lines are used only when they
// make the text clearly larger.
export function layoutCaption(ctx, text, boxW, boxH, maxPx) {
  const words = String(text).trim().match(/«[^»]*»|\S+/g) || [''];
  let best = { lines: [text], px: 8 };
  ctx.font = `900 100px ${FONT}`;
  for (let n = 1; n <= Math.min(4, words.length); n++) {
    let lines = null;
    let widest = Infinity;
    for (const cand of splits(words, n)) {
      const w = Math.max(...cand.map((l) => ctx.measureText(l).width));
      if (w < widest) {
        widest = w;
        lines = cand;
      }
    }
    const px = Math.min(maxPx, (boxW / widest) * 100, boxH / (n * LINE));
    if (px > best.px * 1.15) best = { lines, px };
  }
  best.px = Math.floor(best.px);
  return best;
}

// paintCaption draws the caption, gold with a glow, into a canvas just
// large enough for it, for a screen canvas of w × h. It returns that
// canvas and the layout.
export function paintCaption(w, h, text) {
  const wide = w / h >= 2.5;
  const u = Math.min(w, h);
  const probe = offscreen(1, 1).getContext('2d');
  const lay = layoutCaption(probe, text, w * (wide ? 0.9 : 0.88), h * (wide ? 0.78 : 0.62), u * (wide ? 0.2 : 0.13));
  const px = lay.px;
  probe.font = `900 ${px}px ${FONT}`;
  const widest = Math.max(...lay.lines.map((l) => probe.measureText(l).width));
  const margin = Math.ceil(px * 0.5);
  const textH = lay.lines.length * px * LINE;
  const c = offscreen(widest + 2 * margin, textH + 2 * margin);
  const ctx = c.getContext('2d');
  ctx.font = `900 ${px}px ${FONT}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const x = c.width / 2;
  const top = margin + (px * LINE) / 2;
  const grad = ctx.createLinearGradient(0, margin, 0, margin + textH);
  for (let i = 0; i < lay.lines.length; i++) {
    const y0 = i / lay.lines.length;
    const y1 = (i + 1) / lay.lines.length;
    grad.addColorStop(y0 + 0.001, '#fff6c8');
    grad.addColorStop((y0 + y1) / 2, '#ffd54a');
    grad.addColorStop(y1 - 0.001, '#f0a800');
  }
  lay.lines.forEach((line, i) => {
    const y = top + i * px * LINE;
    // A warm glow with a dark edge below, then the gold face.
    ctx.shadowColor = 'rgba(255, 190, 60, 0.7)';
    ctx.shadowBlur = px * 0.3;
    ctx.fillStyle = '#7a4a00';
    ctx.fillText(line, x, y + px * 0.06);
    ctx.shadowColor = 'rgba(50, 0, 0, 0.55)';
    ctx.shadowBlur = px * 0.2;
    ctx.shadowOffsetY = px * 0.08;
    ctx.fillStyle = grad;
    ctx.fillText(line, x, y);
    ctx.shadowColor = 'transparent';
    ctx.shadowOffsetY = 0;
  });
  return { canvas: c, px, lines: lay.lines, widest };
}

// paintBackground draws the moment's red ground with gold rays and a
// vignette on the whole of canvas c.
export function paintBackground(c) {
  const w = c.width;
  const h = c.height;
  const ctx = c.getContext('2d', { alpha: false });
  const cx = w / 2;
  const cy = h / 2;
  const r = Math.hypot(w, h) / 2;
  const base = ctx.createRadialGradient(cx, cy, 0, cx, cy, r);
  base.addColorStop(0, '#e01533');
  base.addColorStop(0.5, '#a30a22');
  base.addColorStop(1, '#4d000d');
  ctx.fillStyle = base;
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = 'rgba(255, 213, 74, 0.12)';
  ctx.beginPath();
  for (let a = 0; a < 360; a += 15) {
    const a0 = (a * Math.PI) / 180;
    const a1 = ((a + 6) * Math.PI) / 180;
    ctx.moveTo(cx, cy);
    ctx.lineTo(cx + Math.cos(a0) * r * 1.2, cy + Math.sin(a0) * r * 1.2);
    ctx.lineTo(cx + Math.cos(a1) * r * 1.2, cy + Math.sin(a1) * r * 1.2);
    ctx.closePath();
  }
  ctx.fill();
  const vig = ctx.createRadialGradient(cx, cy, 0, cx, cy, r);
  vig.addColorStop(0, 'rgba(255, 220, 120, 0.25)');
  vig.addColorStop(0.3, 'rgba(110, 0, 18, 0)');
  vig.addColorStop(1, 'rgba(60, 0, 10, 0.85)');
  ctx.fillStyle = vig;
  ctx.fillRect(0, 0, w, h);
  return c;
}

// paintGlow draws a round glow of light, size × size, to be stretched.
export function paintGlow(size) {
  const c = offscreen(size, size);
  const ctx = c.getContext('2d');
  const r = size / 2;
  const g = ctx.createRadialGradient(r, r, 0, r, r, r);
  g.addColorStop(0, 'rgba(255, 250, 220, 0.95)');
  g.addColorStop(0.35, 'rgba(255, 213, 74, 0.55)');
  g.addColorStop(1, 'rgba(255, 213, 74, 0)');
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, size, size);
  return c;
}
