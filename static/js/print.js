// print.js: the run sheet (/print), the MC's paper copy on A4: every
// segment with its planned clock time (the state's plan, from the show's
// start time), its length, who performs it and the MC's notes, then the
// steps of the launch. It reads the public GET /api/v1/show and
// /api/v1/state once; reload the page for a newer rundown. When drawn it
// sets body[data-ready] (the tests print it to PDF then).

import { $, el, fmtClock, fmtDate, fmtMinutes, pad2 } from './util.js';
import { KIND_LABELS } from './countdown.js';

async function getJSON(path) {
  const res = await fetch(path, { cache: 'no-store' });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return res.json();
}

// clockOf is segment i's planned clock time, "" without a plan.
function clockOf(plan, i) {
  return plan && plan.starts[i] ? fmtClock(plan.starts[i], false) : '';
}

function drawHead(show, plan) {
  $('pr-org').textContent = show.organizer || '';
  $('pr-title').textContent = show.title;
  $('pr-sub').textContent = show.subtitle || '';
  const total = show.segments.reduce((ms, g) => ms + g.durationSec * 1000, 0);
  const meta = [];
  if (show.date) meta.push(fmtDate(show.date));
  if (plan) {
    const n = show.segments.length - 1;
    meta.push(`Bắt đầu ${clockOf(plan, 0)} – kết thúc dự kiến ${fmtClock(plan.starts[n] + show.segments[n].durationSec * 1000, false)}`);
  }
  meta.push(`${show.segments.length} mục · ${fmtMinutes(total)}`);
  if (show.venue) meta.push(show.venue);
  $('pr-meta').replaceChildren(...meta.map((m, i) => [i ? ' · ' : '', m]).flat());
  document.title = `Kịch bản – ${show.title}`;
}

function drawRows(show, plan) {
  $('pr-rows').replaceChildren(...show.segments.map((g, i) => el('tr', { class: g.kind === 'launch' ? 'launch' : '' },
    el('td', { class: 'c-n' }, String(i + 1)),
    el('td', { class: 'c-time' }, clockOf(plan, i)),
    el('td', { class: 'c-title' }, el('b', {}, g.title), el('span', { class: 'pr-kind' }, KIND_LABELS[g.kind] || g.kind)),
    el('td', { class: 'c-dur' }, fmtMinutes(g.durationSec * 1000)),
    el('td', { class: 'c-who' }, g.speaker || ''),
    el('td', { class: 'c-notes' }, el('div', { class: 'pr-notes' }, g.notes || '')))));
}

// launchSteps is what the MC does at the launch, in order.
export function launchSteps(show, plan) {
  const i = show.segments.findIndex((g) => g.kind === 'launch');
  if (i < 0) return ['Chương trình không có mục bấm nút phát động.'];
  const g = show.segments[i];
  const l = show.launch || {};
  const k = l.requiredPresses || 1;
  const at = clockOf(plan, i);
  const steps = [
    'Trước giờ khai mạc: trên máy tính bảng MC, thẻ «Thiết bị», kiểm tra nút phát động và mọi màn hình sân khấu đã kết nối.',
    `Khi vào mục ${i + 1} «${g.title}»${at ? ` (dự kiến ${at})` : ''}: thẻ «Phát động», bấm «Kích hoạt nút phát động».`,
    `Mời ${g.speaker || 'lãnh đạo'} bấm nút: cần ${k} nút bấm${k > 1 ? ` trong vòng ${Math.round((l.windowMs || 0) / 1000)} giây` : ''}.`,
  ];
  if (l.caption) steps.push(`Mọi màn hình cùng lúc hiện «${l.caption}».`);
  steps.push('Dự phòng: nếu nút không hoạt động, MC giữ nút «PHÁT ĐỘNG» trên máy tính bảng 1,5 giây.');
  return steps;
}

async function main() {
  try {
    const [{ show }, { state }] = await Promise.all([getJSON('/api/v1/show'), getJSON('/api/v1/state')]);
    const plan = state.plan && state.plan.starts.length === show.segments.length ? state.plan : null;
    drawHead(show, plan);
    drawRows(show, plan);
    $('pr-steps').replaceChildren(...launchSteps(show, plan).map((s) => el('li', {}, s)));
    const d = new Date();
    $('pr-foot').textContent = `In lúc ${fmtClock(d.getTime(), false)}, ${fmtDate(`${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`)}`;
    $('pr-status').textContent = plan ? 'Kịch bản đã sẵn sàng để in.' : 'Chương trình chưa có giờ bắt đầu: cột «Giờ» để trống (đặt giờ ở trang Soạn chương trình).';
  } catch (err) {
    $('pr-status').textContent = 'Không tải được kịch bản từ máy chủ. Hãy tải lại trang.';
    $('pr-status').parentElement.classList.add('bad');
    console.warn('print:', err);
  }
  if (document.fonts) await document.fonts.ready;
  document.body.dataset.ready = 'true';
}

$('pr-print').addEventListener('click', () => window.print());
main();
