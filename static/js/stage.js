// stage.js: the projector and LED wall page (/stage). It draws the slide
// the state asks for, a clock from absolute server timestamps, and the
// launch moment at the instant the server chose, on every screen at once.
// ?name=… names this screen in the MC's devices panel.

import { Link } from './link.js';
import { startMoment } from './moment.js';
import { $, params, setText, toggle, fmtClock, fmtDate } from './util.js';
import { readClock, LEVELS, PHASE_LABELS } from './countdown.js';
import { fit, fitAll, fitSoon, refit } from './fit.js';
import { stageMode, pressCount } from './stage-mode.js';
import { FireOverlay } from './fire.js';
import { audio } from './fanfare.js';
import { keepAwake } from './ui.js';
import { selfTest } from './stage-selftest.js';
import { StageMedia } from './stage-media.js';
import { Identify } from './identify.js';
import { screenToken, watchPairing } from './screen-pair.js';

const p = params();
const link = new Link({ role: 'stage', name: p.name || 'Màn hình sân khấu', token: screenToken() });
watchPairing(link);
Identify.follow(link);
// The link, for the browser console and the tests: its status, clock
// offset and events (docs/link-js.md).
window.phatdongLink = link;
const fire = new FireOverlay($('fire'));
// The segment's film or still, over the slide; its sound with ?audio=1.
const media = new StageMedia(link, $('media'), { audio: p.audio === '1' });
window.phatdongMedia = media; // for the tests
const body = document.body;
let view = null;
let netTimer = 0;

// Texts that, when they change, are fitted again to their box: at once,
// or a box a frame while the moment plays over the page.
function setFit(id, text) {
  const node = $(id);
  const s = String(text ?? '');
  if (node.textContent === s) return;
  node.textContent = s;
  if (fire.playing) fitSoon([node]);
  else fit(node);
}

function render() {
  const mode = stageMode(view);
  if (body.dataset.mode !== mode) {
    body.dataset.mode = mode;
    if (fire.playing) fitSoon();
    else fitAll();
  }
  $('blackout').hidden = !(view && view.blackout);
  media.update(view, mode === 'segment');
  if (!view) return;
  const show = view.show || {};
  const cur = view.current || {};
  const fired = view.launch && view.launch.phase === 'fired';
  setFit('w-organizer', show.organizer);
  setFit('w-title', show.title);
  setFit('w-subtitle', show.subtitle);
  setFit('w-venue', show.venue);
  setText($('w-date'), fmtDate(show.date));
  setFit('s-show', show.title);
  setFit('s-title', cur.title);
  setFit('s-speaker', cur.speaker);
  const count = pressCount(view);
  const countNode = $('l-count');
  countNode.replaceChildren();
  if (count) {
    const n = document.createElement('span');
    n.className = 'n';
    n.textContent = `${count.n}/${count.k}`;
    countNode.append('Đã bấm ', n, ' nút');
  } else {
    countNode.textContent = 'Sẵn sàng phát động';
  }
  fit(countNode);
  if (!fired) prepareSoon(show.caption || show.title);
  setFit('c-organizer', show.organizer);
  setFit('c-headline', fired ? show.caption || show.title : show.title);
  setFit('c-title', fired ? show.title : show.subtitle || show.venue);
  drawMoving(); // the new segment's clock with its title, not a frame later
}

// prepareSoon paints the still parts of the moment (fire.prepare) when
// the page is next idle, long before anyone arms: a launch armed and fired
// within a second must not find the screen busy painting them (painted at
// arming, five screens on two cores started such a fire up to 0.76 s late).
let prepareTask = 0;
function prepareSoon(caption) {
  if (prepareTask) return;
  const run = () => {
    prepareTask = 0;
    if (!fire.playing) fire.prepare(caption);
  };
  prepareTask = window.requestIdleCallback ? requestIdleCallback(run, { timeout: 1000 }) : setTimeout(run, 100);
}

// tick redraws what moves every frame.
function tick() {
  requestAnimationFrame(tick);
  drawMoving();
}

// drawMoving draws what moves: the clocks and the progress bar.
function drawMoving() {
  const mode = body.dataset.mode;
  if (mode === 'welcome') {
    setText($('w-clock'), fmtClock(link.serverNow()));
  } else if (mode === 'segment' && view) {
    const c = readClock(link, view);
    const clock = $('s-clock');
    const before = clock.textContent.length;
    setText(clock, c.text);
    if (clock.textContent.length !== before) fit(clock);
    for (const lv of LEVELS) toggle(clock, `lv-${lv}`, lv === c.level);
    const bar = $('s-bar');
    bar.style.transform = `scaleX(${c.progress.toFixed(4)})`;
    for (const lv of LEVELS) toggle(bar, `bar-${lv}`, lv === c.level);
    const phase = $('s-phase');
    setText(phase, c.phase === 'running' ? '' : c.level === 'over' ? '' : PHASE_LABELS[c.phase]);
    toggle(phase, 'paused', c.phase === 'paused');
  }
}

// A fire is announced a quarter of a second ahead, and the state of the
// fired launch follows its announcement at once. Drawing that state (new
// texts, fitted again) can hold the page for tens of ms on a slow screen,
// just before the instant, so it waits until the moment has started (the
// overlay covers the stage then), or a second past fireAt should the start
// never come.
let fireDue = 0; // fireAt of an announced fire not yet started, server ms
let renderTimer = 0;
link.on('fire', ({ fireAt }) => {
  if (fireAt > link.serverNow()) fireDue = fireAt;
});
function renderLater(ms) {
  clearTimeout(renderTimer);
  renderTimer = setTimeout(() => {
    renderTimer = 0;
    render();
  }, ms);
}

link.on('state', (v) => {
  view = v;
  const fired = v.launch && v.launch.phase === 'fired';
  const wait = fired && fireDue ? fireDue - link.serverNow() : 0;
  if (wait > 0) {
    renderLater(wait + 1000);
    return;
  }
  if (!fired) fireDue = 0;
  clearTimeout(renderTimer);
  renderTimer = 0;
  render();
});

link.on('status', (s) => {
  clearTimeout(netTimer);
  if (s.connected) $('net').hidden = true;
  else netTimer = setTimeout(() => ($('net').hidden = false), 3000);
});

// ?preview=fire shows the moment on this screen alone, without firing:
// played through (with its sound), or held at ?at=ms for a still.
function preview() {
  if (p.preview !== 'fire' || !view) return;
  p.preview = '';
  const caption = (view.show && view.show.caption) || view.show.title;
  if (p.at !== undefined) fire.still(caption, Number(p.at) || 0);
  else fire.play('xem-truoc', caption, 0);
}
link.on('state', preview);

// The moment: started by moment.js at fireAt on this screen's corrected
// clock (or at once, lateMs into it, for a screen that joins late).
startMoment(link, (fireId, lateMs, info) => {
  // Announced first, at the instant of the start, for whoever watches the
  // page (the spread test records the true time of each start from it).
  window.dispatchEvent(new CustomEvent('phatdong:moment', { detail: { fireId, lateMs, ...info } }));
  const caption = info.caption || (view && view.show && (view.show.caption || view.show.title)) || '';
  // Beneath the moment the slides change without their cross-fade: the
  // overlay hides them, and a fade beneath still costs frames.
  if (fire.play(fireId, caption, lateMs)) body.classList.add('moment');
  if (renderTimer) {
    fireDue = 0;
    renderLater(100); // the state held back for the instant, beneath the overlay
  }
});
fire.onDone = (st) => {
  body.classList.remove('moment');
  render();
  link.reportFrames(st);
};
if (p.selftest) selfTest(link, fire, () => view);

// Every weight of the typeface the stage uses, loaded now: a weight first
// needed by the closing slide, drawn beneath the moment, would otherwise be
// fetched and laid out during it.
for (const weight of [400, 600, 700, 800, 900]) {
  document.fonts.load(`${weight} 16px "Be Vietnam Pro"`, 'Ắ A').catch(() => {});
}
audio();
keepAwake();
window.addEventListener('resize', refit);
render();
link.start();
requestAnimationFrame(tick);
