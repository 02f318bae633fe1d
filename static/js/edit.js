// edit.js: the rundown editor (/edit): edit the show and its segments,
// import and export the show file, switch rehearsal mode, and manage the
// devices' keys (edit-keys.js). Errors from the API name a field
// ("segments[3].durationSec"), shown next to it.

import { Link } from './link.js';
import { $, el, fmtMinutes } from './util.js';
import { toast, confirmDialog } from './ui.js';
import { vnError } from './errors.js';
import { call, authed } from './edit-api.js';
import { validate, newSegment, uniqueId, serverFieldMessage, fieldLabel } from './edit-model.js';
import { showFields, segmentCard, readInput, setPath, showErrors } from './edit-form.js';
import { mountKeys } from './edit-keys.js';
import { cuesCard } from './edit-cues.js';
import { mediaSlot, attachFile, clearMedia, ACCEPT } from './edit-media.js';
import { mountImport } from './edit-import.js';

let saved = null; // the show as the server has it
let savedRev = 0;
let draft = null;
let dirty = false;
let live = null; // the live state, from a monitor link
let picking = null; // the segment whose media slot opened the file chooser
const fresh = new WeakSet(); // segments added here: their id follows their title

const clone = (x) => JSON.parse(JSON.stringify(x));

function setStatus(text, cls = '') {
  const s = $('ed-status');
  s.textContent = text;
  s.className = `ed-status ${cls}`;
}

function markDirty(on) {
  dirty = on;
  setStatus(on ? 'Có thay đổi chưa lưu' : `Đã lưu (bản ${savedRev})`, on ? 'dirty' : 'saved');
  $('ed-export').title = on ? 'Tệp xuất ra là bản đã lưu trên máy chủ, chưa gồm các thay đổi chưa lưu.' : '';
}

function alertBox(title, errs = []) {
  const box = $('ed-alert');
  if (!title) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  box.hidden = false;
  box.replaceChildren(el('b', {}, title), errs.length
    ? el('ul', {}, errs.map((e) => el('li', {}, el('a', { href: '#', dataset: { field: e.field } }, fieldLabel(e.field)), `: ${e.message}`)))
    : null);
}

function totals() {
  const sec = draft.segments.reduce((a, g) => a + (Number.isFinite(g.durationSec) ? g.durationSec : 0), 0);
  $('ed-total').textContent = `· ${draft.segments.length} mục · tổng ${fmtMinutes(sec * 1000)}`;
}

function render() {
  $('ed-show').replaceChildren(...showFields(draft), cuesCard(draft, (redraw) => { markDirty(true); if (redraw) render(); }));
  const cur = live && live.current ? live.current.id : '';
  $('ed-segments').replaceChildren(...draft.segments.map((g, i) => segmentCard(g, i, draft.segments.length, cur)));
  totals();
  check();
}

// check shows the editor's own findings next to the fields.
function check() {
  const errs = validate(draft);
  showErrors($('ed-rundown'), errs);
  return errs;
}

async function load() {
  const body = await call('GET', '/api/v1/show');
  saved = body.show;
  savedRev = body.showRev;
  draft = clone(saved);
  for (const g of draft.segments) {
    g.speaker ??= '';
    g.notes ??= '';
  }
  render();
  markDirty(false);
}

function onInput(e) {
  const input = e.target.closest('[data-path]');
  if (!input || !draft) return;
  const path = input.dataset.path;
  setPath(draft, path, readInput(input));
  const m = /^segments\[(\d+)\]\.title$/.exec(path);
  if (m && fresh.has(draft.segments[Number(m[1])])) {
    const i = Number(m[1]);
    draft.segments[i].id = uniqueId(draft, draft.segments[i].title, i);
    const idInput = document.querySelector(`[data-path="segments[${i}].id"]`);
    if (idInput) idInput.value = draft.segments[i].id;
  }
  if (/\.id$/.test(path)) fresh.delete(draft.segments[Number(/\[(\d+)\]/.exec(path)[1])]);
  markDirty(true);
  totals();
  check();
}

async function onAction(e) {
  const b = e.target.closest('[data-act]');
  if (!b) return;
  const i = Number(b.closest('.seg').dataset.index);
  const segs = draft.segments;
  switch (b.dataset.act) {
    case 'up':
      [segs[i - 1], segs[i]] = [segs[i], segs[i - 1]];
      break;
    case 'down':
      [segs[i + 1], segs[i]] = [segs[i], segs[i + 1]];
      break;
    case 'insert': {
      const g = newSegment(draft);
      fresh.add(g);
      segs.splice(i + 1, 0, g);
      break;
    }
    case 'remove':
      if (!fresh.has(segs[i]) && !(await confirmDialog('Xóa mục?', `Xóa mục «${segs[i].title}» khỏi chương trình?`, 'Xóa', 'danger'))) return;
      segs.splice(i, 1);
      break;    case 'media-pick':
      picking = segs[i];
      $('ed-media-file').click();
      return;
    case 'media-remove':
      clearMedia(segs[i]);
      break;
  }
  markDirty(true);
  render();
}

// running reports whether the live state has a clock running.
function running() {
  return Boolean(live && live.timer && live.timer.phase === 'running');
}

// put sends a show (an object, or a file's text) and, when a segment's
// clock is running, asks before forcing it (the screens then update).
async function put(body, confirmed = false) {
  const ask = () => confirmDialog('Một mục đang chạy đồng hồ',
    'Lưu ngay bây giờ? Đồng hồ của mục đang diễn ra, màn hình sân khấu và màn hình người phát biểu sẽ cập nhật theo chương trình mới.',
    'Lưu và cập nhật màn hình');
  // Ask first when the live state says a clock runs; the server's refusal
  // (a clock started meanwhile) leads to the same question.
  if (running()) {
    return confirmed || (await ask()) ? authed('PUT', '/api/v1/show?force=1', body) : null;
  }
  try {
    return await authed('PUT', '/api/v1/show', body);
  } catch (err) {
    if (err.code !== 'conflict') throw err;
    return (await ask()) ? authed('PUT', '/api/v1/show?force=1', body) : null;
  }
}

// parsedShow reads a show file well enough for the editor's own checks to
// explain the server's refusal, or returns null.
function parsedShow(text) {
  try {
    const s = JSON.parse(text);
    if (!s || typeof s !== 'object' || !Array.isArray(s.segments) || !s.launch) return null;
    validate(s);
    return s;
  } catch {
    return null;
  }
}

// refused shows why the server refused a show: next to its field for the
// form (source), in the alert for an imported file.
function refused(err, source, file = null) {
  if (err.code !== 'invalid') {
    toast(vnError(err), 'error');
    return;
  }
  const e = { field: err.field, message: serverFieldMessage(source || file, err.field) };
  if (!source) {
    alertBox('Tệp không hợp lệ, chương trình chưa thay đổi.', [e]);
    return;
  }
  showErrors($('ed-rundown'), [...validate(source), e]);
  alertBox('Máy chủ chưa nhận chương trình: hãy sửa ô được đánh dấu.', [e]);
  const input = document.querySelector(`[data-path="${CSS.escape(err.field)}"]`);
  if (input) {
    input.scrollIntoView({ block: 'center' });
    input.focus();
  }
}

async function save() {
  const errs = check();
  if (errs.length) {
    alertBox('Chưa lưu: hãy sửa các ô được đánh dấu.', errs);
    $('ed-rundown').querySelector('.field.bad input, .field.bad select, .field.bad textarea')?.focus();
    return;
  }
  alertBox('');
  const b = $('ed-save');
  b.disabled = true;
  try {
    const ans = await put(draft);
    if (!ans) return;
    toast('Đã lưu chương trình.', 'ok');
    await load();
  } catch (err) {
    refused(err, draft);
  } finally {
    b.disabled = false;
  }
}

async function importFile(file) {
  if (!file) return;
  const ok = await confirmDialog('Nhập tệp chương trình?',
    `Thay toàn bộ chương trình bằng nội dung tệp «${file.name}»?${dirty ? ' Các thay đổi chưa lưu sẽ mất.' : ''}` +
    (running() ? ' Một mục đang chạy đồng hồ: màn hình sân khấu và màn hình người phát biểu sẽ cập nhật ngay.' : ''), 'Nhập tệp');
  if (!ok) return;
  alertBox('');
  const text = await file.text();
  try {
    const ans = await put(text, true);
    if (!ans) return;
    toast(`Đã nhập chương trình từ tệp «${file.name}».`, 'ok');
    await load();
  } catch (err) {
    refused(err, null, parsedShow(text));
  }
}

// redrawMedia draws a segment's media slot again during an upload, or the
// whole form once the item is attached.
function redrawMedia(g, attached) {
  const i = draft ? draft.segments.indexOf(g) : -1;
  if (i < 0) {
    // The rundown was loaded again meanwhile (someone else saved it).
    if (attached) toast('Chương trình vừa được tải lại: hãy chọn lại tệp cho mục này.', 'error');
    return;
  }
  if (attached) {
    markDirty(true);
    render();
    return;
  }
  document.querySelector(`.seg[data-index="${i}"] .media-slot`)?.replaceWith(mediaSlot(g));
}

async function setRehearsal(on) {
  try {
    await authed('POST', '/api/v1/commands', { type: 'rehearsal', on });
    toast(on ? 'Đã bật chế độ tập dượt.' : 'Đã tắt chế độ tập dượt.', 'ok');
  } catch (err) {
    $('ed-rehearsal').checked = !on;
    toast(vnError(err, 'rehearsal'), 'error');
  }
}

// follow keeps the live state: the rehearsal switch, the segment on stage,
// and a rundown changed by someone else.
function follow() {
  const link = new Link({ role: 'monitor', name: 'Trang soạn chương trình' });
  link.on('state', (v) => {
    live = v;
    $('ed-rehearsal').checked = Boolean(v.rehearsal);
    for (const card of document.querySelectorAll('.seg')) {
      const g = draft && draft.segments[Number(card.dataset.index)];
      const on = Boolean(g && g.id === v.current.id);
      if (card.classList.contains('live') !== on) {
        card.classList.toggle('live', on);
        const head = card.querySelector('.seg-head');
        head.querySelector('.live-badge')?.remove();
        if (on) head.children[0].after(el('span', { class: 'live-badge' }, 'Đang diễn ra'));
      }
    }
    if (saved && v.showRev !== savedRev) {
      if (!dirty) load().catch((err) => toast(vnError(err), 'error'));
      else setStatus(`Có thay đổi chưa lưu – bản trên máy chủ vừa đổi (bản ${v.showRev})`, 'dirty');
    }
  });
  link.start();
}

document.addEventListener('input', onInput);
document.addEventListener('change', (e) => {
  if (e.target.closest('[data-path]')) onInput(e);
});
$('ed-segments').addEventListener('click', onAction);
$('ed-add').addEventListener('click', () => {
  const g = newSegment(draft);
  fresh.add(g);
  draft.segments.push(g);
  markDirty(true);
  render();
  document.querySelector(`[data-path="segments[${draft.segments.length - 1}].title"]`)?.focus();
});
$('ed-save').addEventListener('click', save);
$('ed-revert').addEventListener('click', async () => {
  if (dirty && !(await confirmDialog('Bỏ thay đổi?', 'Các thay đổi chưa lưu sẽ mất.', 'Bỏ thay đổi', 'danger'))) return;
  alertBox('');
  load();
});
$('ed-import').addEventListener('click', () => $('ed-file').click());
$('ed-file').addEventListener('change', (e) => {
  importFile(e.target.files[0]);
  e.target.value = '';
});
$('ed-media-file').accept = ACCEPT;
$('ed-media-file').addEventListener('change', (e) => {
  const file = e.target.files[0];
  const g = picking;
  picking = null;
  e.target.value = '';
  if (file && g) attachFile(g, file, redrawMedia);
});
$('ed-rehearsal').addEventListener('change', (e) => setRehearsal(e.target.checked));
$('ed-alert').addEventListener('click', (e) => {
  const a = e.target.closest('[data-field]');
  if (!a) return;
  e.preventDefault();
  document.querySelector(`[data-path="${CSS.escape(a.dataset.field)}"]`)?.focus();
});
window.addEventListener('beforeunload', (e) => {
  if (dirty) e.preventDefault();
});
window.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key === 's') {
    e.preventDefault();
    save();
  }
});

mountKeys($('ed-keys'));
mountImport({ onSaved: load, isDirty: () => dirty, running });
load().then(follow).catch((err) => {
  setStatus('Không tải được chương trình', 'dirty');
  toast(vnError(err), 'error');
});
