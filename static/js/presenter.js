// presenter.js: the confidence monitor (/presenter): the remaining time in
// the stage's colours, the MC's message, the next segment.

import { Link } from './link.js';
import { $, el, params, setText, toggle, fmtClock } from './util.js';
import { readClock, LEVELS, PHASE_LABELS } from './countdown.js';
import { fit, fitAll } from './fit.js';
import { keepAwake } from './ui.js';
import { drawDrift } from './plan.js';
import { Identify } from './identify.js';
import { screenToken, watchPairing } from './screen-pair.js';

const p = params();
const link = new Link({ role: 'presenter', name: p.name || 'Màn hình diễn giả', token: screenToken() });
watchPairing(link);
Identify.follow(link);
let view = null;
let netTimer = 0;
let lastMsg = '';

function render() {
  if (!view) return;
  const cur = view.current || {};
  const now = $('p-now');
  const title = cur.speaker ? `${cur.title} — ${cur.speaker}` : cur.title || '';
  if (now.textContent !== title) {
    now.textContent = title;
    fit(now);
  }
  const msg = view.message || {};
  const hasMsg = Boolean(msg.text);
  const box = $('p-msg');
  if (hasMsg !== !box.hidden || msg.text !== lastMsg) {
    box.hidden = !hasMsg;
    toggle(document.body, 'has-msg', hasMsg);
    $('p-msg-text').textContent = msg.text || '';
    lastMsg = msg.text || '';
    fitAll();
  }
  toggle(box, 'blink', hasMsg && msg.blink);
  const next = $('p-next');
  next.replaceChildren();
  if (view.next) {
    next.append('Tiếp theo: ', el('b', {}, view.next.title), view.next.speaker ? ` — ${view.next.speaker}` : '');
  } else {
    next.append('Tiếp theo: hết chương trình');
  }
  fit(next);
  const badges = [];
  if (view.blackout) badges.push(el('span', { class: 'badge blackout' }, 'MÀN CHIẾU ĐANG TẮT'));
  if (view.launch && view.launch.phase === 'armed') badges.push(el('span', { class: 'badge armed' }, 'ĐÃ KÍCH HOẠT NÚT PHÁT ĐỘNG'));
  if (view.launch && view.launch.phase === 'fired') badges.push(el('span', { class: 'badge fired' }, 'ĐÃ PHÁT ĐỘNG'));
  if (view.rehearsal) badges.push(el('span', { class: 'badge rehearsal' }, 'TẬP DƯỢT'));
  $('p-badges').replaceChildren(...badges);
  drawMoving(); // the new clock with the new state, not a frame later
}

// tick redraws what moves every frame.
function tick() {
  requestAnimationFrame(tick);
  drawMoving();
}

// drawMoving draws what moves: the wall clock, the countdown, the bar.
function drawMoving() {
  setText($('p-wall'), fmtClock(link.serverNow(), false));
  if (!view) return;
  drawDrift($('p-plan'), view, link.serverNow());
  const c = readClock(link, view);
  const clock = $('p-clock');
  const before = clock.textContent.length;
  setText(clock, c.text);
  if (clock.textContent.length !== before) fit(clock);
  const bar = $('p-bar');
  bar.style.transform = `scaleX(${c.progress.toFixed(4)})`;
  for (const lv of LEVELS) {
    toggle(clock, `lv-${lv}`, lv === c.level);
    toggle(bar, `bar-${lv}`, lv === c.level);
  }
  const phase = $('p-phase');
  setText(phase, c.phase === 'running' || c.level === 'over' ? '' : PHASE_LABELS[c.phase]);
  toggle(phase, 'paused', c.phase === 'paused');
}

link.on('state', (v) => {
  view = v;
  render();
});

link.on('status', (s) => {
  clearTimeout(netTimer);
  if (s.connected) $('p-net').hidden = true;
  else netTimer = setTimeout(() => ($('p-net').hidden = false), 1500);
});

link.start();
keepAwake();
fitAll();
requestAnimationFrame(tick);
