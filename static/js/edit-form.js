// edit-form.js: the editor's form. Every input names the field of the show
// file it edits (data-path, the same path the API's errors use, such as
// "segments[3].durationSec"), so an error lands next to its field.

import { el } from './util.js';
import { KIND_LABELS, ZERO_LABELS } from './countdown.js';
import { KINDS, ON_ZERO, fmtSec, parseSec } from './edit-model.js';
import { mediaSlot } from './edit-media.js';

// field builds a labelled input. type: text, textarea, int, sec (m:ss),
// seconds (ms edited as seconds), date, time (HH:MM), select (opts: [[value, label]]).
function field(label, path, value, type = 'text', opts = {}) {
  let input;
  if (type === 'textarea') {
    input = el('textarea', { rows: opts.rows || 3 }, value || '');
  } else if (type === 'select') {
    input = el('select', {}, opts.options.map(([v, l]) => el('option', { value: v, selected: v === value }, l)));
  } else {
    const shown = type === 'sec' ? fmtSec(value) : type === 'seconds' ? String((value || 0) / 1000) : value ?? '';
    const html = { int: 'number', seconds: 'number', date: 'date', time: 'time' }[type] || 'text';
    input = el('input', { type: html, value: shown, inputmode: type === 'sec' ? 'numeric' : null, step: type === 'seconds' ? '0.5' : null, placeholder: opts.placeholder || null });
  }
  input.dataset.path = path;
  input.dataset.type = type;
  if (opts.id) input.id = opts.id;
  if (opts.readonly) input.readOnly = true;
  return el('label', { class: `field ${opts.cls || ''}` }, el('span', { class: 'lbl' }, label), input, el('span', { class: 'err' }));
}

// readInput is the value an input holds, in the type of its field.
export function readInput(input) {
  const v = input.value;
  switch (input.dataset.type) {
    case 'int':
      return v.trim() === '' ? NaN : Number(v);
    case 'sec':
      return parseSec(v);
    case 'seconds':
      return v.trim() === '' ? NaN : Math.round(Number(v.replace(',', '.')) * 1000);
    default:
      return v;
  }
}

// setPath writes value at a path such as "segments[2].title" in obj.
export function setPath(obj, path, value) {
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) o = o[k];
  o[keys[keys.length - 1]] = value;
}

// showFields is the form of the show's title block and launch settings.
export function showFields(show) {
  const l = show.launch;
  return [
    el('section', { class: 'card' }, el('h2', {}, 'Thông tin buổi lễ'),
      el('div', { class: 'grid2' },
        field('Tên buổi lễ', 'title', show.title, 'text', { cls: 'wide', id: 'f-title' }),
        field('Dòng phụ', 'subtitle', show.subtitle),
        field('Đơn vị tổ chức', 'organizer', show.organizer),
        field('Địa điểm', 'venue', show.venue, 'text', { cls: 'wide' }),
        field('Ngày', 'date', show.date, 'date'),
        field('Giờ bắt đầu', 'startTime', show.startTime, 'time', { id: 'f-start' }))),
    el('section', { class: 'card' }, el('h2', {}, 'Nghi thức bấm nút phát động'),
      el('div', { class: 'grid4' },
        field('Số nút phải bấm', 'launch.requiredPresses', l.requiredPresses, 'int', { id: 'f-required' }),
        field('Thời gian chờ giữa các nút (giây)', 'launch.windowMs', l.windowMs, 'seconds'),
        field('Độ trễ đồng bộ màn hình (ms)', 'launch.leadMs', l.leadMs, 'int'),
        field('Dòng chữ trên màn hình khi phát động', 'launch.caption', l.caption, 'text', { cls: 'wide' }))),
  ];
}

const kindOptions = KINDS.map((k) => [k, KIND_LABELS[k]]);
const zeroOptions = ON_ZERO.map((z) => [z, ZERO_LABELS[z]]);

// segmentCard is the form of one segment, with its move, insert and
// remove buttons (data-act), a badge on the segment now on the stage, and
// its media slot; a film sets the duration, which is then read-only.
export function segmentCard(g, i, count, currentId) {
  const p = `segments[${i}]`;
  const live = g.id === currentId;
  const film = Boolean(g.media && g.media.kind === 'video');
  return el('article', { class: `seg card${live ? ' live' : ''}`, dataset: { index: i } },
    el('div', { class: 'seg-head' },
      el('span', { class: 'seg-n' }, `${i + 1}`),
      live ? el('span', { class: 'live-badge' }, 'Đang diễn ra') : null,
      el('span', { class: 'grow' }),
      el('button', { class: 'btn icon', type: 'button', dataset: { act: 'up' }, disabled: i === 0, title: 'Đưa lên' }, '↑'),
      el('button', { class: 'btn icon', type: 'button', dataset: { act: 'down' }, disabled: i === count - 1, title: 'Đưa xuống' }, '↓'),
      el('button', { class: 'btn icon', type: 'button', dataset: { act: 'insert' }, title: 'Chèn một mục mới sau mục này' }, '+'),
      el('button', { class: 'btn icon danger', type: 'button', dataset: { act: 'remove' }, disabled: count === 1, title: 'Xóa mục' }, '✕')),
    el('div', { class: 'seg-grid' },
      field('Tên mục', `${p}.title`, g.title, 'text', { cls: 'span3' }),
      field('Loại', `${p}.kind`, g.kind, 'select', { options: kindOptions }),
      film
        ? field('Thời lượng: theo độ dài phim', `${p}.durationSec`, g.durationSec, 'sec', { readonly: true, cls: 'by-film' })
        : field('Thời lượng (phút:giây)', `${p}.durationSec`, g.durationSec, 'sec'),
      field('Người phụ trách / phát biểu', `${p}.speaker`, g.speaker, 'text', { cls: 'span2' }),
      field('Báo vàng khi còn', `${p}.warnSec`, g.warnSec, 'sec'),
      field('Báo đỏ khi còn', `${p}.dangerSec`, g.dangerSec, 'sec'),
      field('Khi hết giờ', `${p}.onZero`, g.onZero, 'select', { options: zeroOptions }),
      field('Mã mục', `${p}.id`, g.id, 'text', { placeholder: 'vd: van-nghe' }),
      field('Lời dẫn, ghi chú cho MC', `${p}.notes`, g.notes, 'textarea', { cls: 'span4', rows: 2 }),
      mediaSlot(g)));
}

// showErrors marks the fields of errs ([{field, message}]) and returns the
// errors that have no field on the form.
export function showErrors(root, errs) {
  for (const f of root.querySelectorAll('.field.bad')) {
    f.classList.remove('bad');
    f.querySelector('.err').textContent = '';
  }
  const loose = [];
  for (const e of errs) {
    const input = root.querySelector(`[data-path="${CSS.escape(e.field)}"]`);
    const box = input && input.closest('.field');
    if (!box) {
      loose.push(e);
      continue;
    }
    if (box.classList.contains('bad')) continue;
    box.classList.add('bad');
    box.querySelector('.err').textContent = e.message;
  }
  return loose;
}
