// fanfare.js: the launch moment's fanfare, made with the Web Audio API (no
// sound file): a timpani roll and boom, a brass call built from detuned
// sawtooth oscillators through a filter whose opening makes them "blow",
// and cymbal crashes made of filtered noise.

let ctx = null;

// audio returns the page's AudioContext, created on first use. A kiosk
// started with --autoplay-policy=no-user-gesture-required may play at once;
// elsewhere the first click or key on the page unlocks it.
export function audio() {
  if (ctx) return ctx;
  const AC = window.AudioContext || window.webkitAudioContext;
  if (!AC) return null;
  ctx = new AC({ latencyHint: 'interactive' });
  const unlock = () => {
    if (ctx.state === 'suspended') ctx.resume().catch(() => {});
  };
  for (const ev of ['pointerdown', 'keydown', 'touchstart']) window.addEventListener(ev, unlock, { passive: true });
  return ctx;
}

// The call: [start s, frequency Hz, length s]. G-G-G-C, then E-G, then the
// C major chord held.
const G4 = 392, C5 = 523.25, E5 = 659.25, G5 = 783.99, C4 = 261.63, E4 = 329.63;
const CALL = [
  [0.0, G4, 0.13], [0.16, G4, 0.13], [0.32, G4, 0.13], [0.48, C5, 0.55],
  [1.08, E5, 0.22], [1.34, G5, 1.6], [1.34, E5, 1.6], [1.34, C5, 1.6], [1.34, C4, 1.6], [1.34, E4, 1.6],
];

// playFanfare plays the fanfare starting `lateMs` into it (notes already
// past are skipped), `delay` seconds from now. It returns how many sounds it
// scheduled (0 when audio cannot play here).
export function playFanfare(lateMs = 0, delay = 0.01) {
  const ac = audio();
  if (!ac) return 0;
  if (ac.state === 'suspended') ac.resume().catch(() => {});
  const late = lateMs / 1000;
  const t0 = ac.currentTime + delay - late;
  const out = master(ac);
  const at = (s) => t0 + s;
  let n = timpani(ac, out, at(0), late);
  n += crash(ac, out, at(0.48), 1.6, late, t0);
  n += crash(ac, out, at(1.34), 2.4, late, t0);
  for (const [s, f, len] of CALL) {
    if (s < late - 0.05) continue;
    brass(ac, out, at(s), f, len);
    n++;
  }
  return n;
}

// audioState is the state of the page's audio: running, suspended (waiting
// for a click), closed, or none.
export function audioState() {
  return ctx ? ctx.state : 'none';
}

function master(ac) {
  const comp = ac.createDynamicsCompressor();
  comp.threshold.value = -14;
  comp.ratio.value = 4;
  const gain = ac.createGain();
  gain.gain.value = 0.8;
  gain.connect(comp).connect(ac.destination);
  return gain;
}

// brass is one note: two detuned saws and a square an octave down, through
// a low-pass filter that opens at the attack.
function brass(ac, out, when, freq, len) {
  const start = Math.max(when, ac.currentTime);
  const filter = ac.createBiquadFilter();
  filter.type = 'lowpass';
  filter.Q.value = 2;
  filter.frequency.setValueAtTime(freq * 1.5, start);
  filter.frequency.linearRampToValueAtTime(freq * 6, start + 0.06);
  filter.frequency.exponentialRampToValueAtTime(freq * 3, start + len);
  const env = ac.createGain();
  env.gain.setValueAtTime(0.0001, start);
  env.gain.exponentialRampToValueAtTime(0.16, start + 0.035);
  env.gain.setValueAtTime(0.13, start + Math.max(0.05, len - 0.08));
  env.gain.exponentialRampToValueAtTime(0.0001, start + len + 0.25);
  filter.connect(env).connect(out);
  for (const [type, mult, detune] of [['sawtooth', 1, -7], ['sawtooth', 1, 7], ['square', 0.5, 0]]) {
    const o = ac.createOscillator();
    o.type = type;
    o.frequency.value = freq * mult;
    o.detune.value = detune;
    o.connect(filter);
    o.start(start);
    o.stop(start + len + 0.3);
  }
}

// timpani is a low boom with a falling pitch.
function timpani(ac, out, when, late) {
  if (late > 0.3) return 0;
  const start = Math.max(when, ac.currentTime);
  const o = ac.createOscillator();
  o.type = 'sine';
  o.frequency.setValueAtTime(110, start);
  o.frequency.exponentialRampToValueAtTime(48, start + 0.5);
  const g = ac.createGain();
  g.gain.setValueAtTime(0.0001, start);
  g.gain.exponentialRampToValueAtTime(0.9, start + 0.01);
  g.gain.exponentialRampToValueAtTime(0.0001, start + 1.4);
  o.connect(g).connect(out);
  o.start(start);
  o.stop(start + 1.5);
  return 1;
}

let noiseBuf = null;

function noise(ac) {
  if (noiseBuf) return noiseBuf;
  const n = Math.floor(ac.sampleRate * 2.5);
  noiseBuf = ac.createBuffer(1, n, ac.sampleRate);
  const d = noiseBuf.getChannelData(0);
  let seed = 12345;
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    d[i] = (seed / 0x3fffffff - 1);
  }
  return noiseBuf;
}

// crash is a cymbal: high-passed noise with a long tail.
function crash(ac, out, when, len, late, t0) {
  if (when - t0 < late - 0.05) return 0;
  const start = Math.max(when, ac.currentTime);
  const src = ac.createBufferSource();
  src.buffer = noise(ac);
  const hp = ac.createBiquadFilter();
  hp.type = 'highpass';
  hp.frequency.value = 4500;
  const g = ac.createGain();
  g.gain.setValueAtTime(0.0001, start);
  g.gain.exponentialRampToValueAtTime(0.32, start + 0.008);
  g.gain.exponentialRampToValueAtTime(0.0001, start + len);
  src.connect(hp).connect(g).connect(out);
  src.start(start);
  src.stop(start + len + 0.05);
  return 1;
}
