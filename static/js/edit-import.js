// edit-import.js: "Nhập từ Excel/CSV" in the editor (/edit). The chosen
// CSV or XLSX file is read by the server without saving (?dryRun=1) and
// shown as a table, each error at its row and column; "Lưu" sends the file
// again to be saved, which replaces the programme (the show's title and
// launch settings stay).

import { $, el } from './util.js';
import { toast, confirmDialog } from './ui.js';
import { vnError } from './errors.js';
import { upload } from './edit-api.js';
import { fmtSec } from './edit-model.js';

const COLUMNS = [
  ['stt', 'STT'], ['title', 'Nội dung'], ['duration', 'Thời lượng'],
  ['speaker', 'Người thực hiện'], ['kind', 'Loại'], ['notes', 'Ghi chú'],
];

const KIND_LABELS = {
  welcome: 'Chào mừng', performance: 'Văn nghệ', speech: 'Phát biểu', video: 'Phóng sự',
  launch: 'Phát động', break: 'Giải lao', closing: 'Kết thúc', other: 'Khác',
};

// mountImport wires the button, the file chooser and the preview panel.
// onSaved reloads the editor; isDirty and running come from the editor.
export function mountImport({ onSaved, isDirty, running }) {
  const panel = $('ed-sheet-panel');
  let file = null;

  const close = () => {
    panel.hidden = true;
    panel.replaceChildren();
    file = null;
  };

  async function preview(f) {
    file = f;
    panel.hidden = false;
    panel.replaceChildren(el('p', { class: 'muted' }, `Đang đọc tệp «${f.name}»…`));
    try {
      const body = await upload('/api/v1/show/import?dryRun=1', f);
      if (file === f) draw(f, body);
    } catch (err) {
      if (file === f) failed(f, err);
    }
  }

  function failed(f, err) {
    const msg = err.code === 'invalid' ? err.message : vnError(err);
    panel.replaceChildren(el('h2', {}, `Không nhập được tệp «${f.name}»`),
      el('p', { class: 'sh-fail', id: 'ed-sheet-fail' }, msg), actions(false));
  }

  function draw(f, body) {
    const errs = body.errors || [];
    const lines = body.lines || [];
    const total = lines.reduce((a, l) => a + (l.segment.durationSec || 0), 0);
    const bad = new Map(errs.map((e) => [`${e.row}:${e.key}`, e.message]));
    const badRows = new Set(errs.map((e) => e.row));
    const head = el('tr', {}, el('th', {}, 'Dòng'), COLUMNS.map(([, label]) => el('th', {}, label)));
    const rows = lines.map((l) => el('tr', { class: badRows.has(l.row) ? 'bad' : null, dataset: { row: l.row } },
      el('td', { class: 'sh-row' }, l.row),
      COLUMNS.map(([key]) => cellOf(l, key, bad.get(`${l.row}:${key}`)))));
    panel.replaceChildren(
      el('h2', {}, `Xem trước: «${f.name}»`),
      errs.length
        ? el('div', { class: 'sh-errors', id: 'ed-sheet-errors' },
          el('b', {}, `Tệp có ${errs.length} lỗi, chương trình chưa thay đổi. Hãy sửa trong tệp rồi chọn lại:`),
          el('ul', {}, errs.map((e) => el('li', {}, `Dòng ${e.row}, cột ${e.column}: ${e.message}`))))
        : el('p', { class: 'sh-ok', id: 'ed-sheet-summary' },
          `${lines.length} mục · tổng ${fmtSec(total)}. Bấm «Lưu» để thay các mục của chương trình bằng bảng này.`),
      el('div', { class: 'sh-wrap' }, el('table', { class: 'sh-table', id: 'ed-sheet-table' }, el('thead', {}, head), el('tbody', {}, rows))),
      actions(!errs.length && body.show));
  }

  function cellOf(line, key, error) {
    const raw = line.cells[key] ?? '';
    let shown = raw;
    if (!error && key === 'duration') shown = fmtSec(line.segment.durationSec);
    if (!error && key === 'kind') shown = KIND_LABELS[line.segment.kind] || raw;
    return el('td', { class: error ? `bad sh-${key}` : `sh-${key}`, title: error || null, dataset: { key } },
      shown, error ? el('span', { class: 'sh-err' }, error) : null);
  }

  function actions(canSave) {
    return el('div', { class: 'sh-actions' },
      el('button', { class: 'btn', type: 'button', id: 'ed-sheet-cancel', onclick: close }, 'Đóng'),
      canSave ? el('button', { class: 'btn primary', type: 'button', id: 'ed-sheet-save', onclick: save }, 'Lưu') : null);
  }

  async function save() {
    const f = file;
    if (!f) return;
    let force = false;
    if (isDirty() && !(await confirmDialog('Bỏ các thay đổi chưa lưu?',
      'Chương trình sẽ được thay bằng bảng vừa nhập; các thay đổi chưa lưu trong trang này sẽ mất.', 'Tiếp tục', 'danger'))) return;
    const ask = () => confirmDialog('Một mục đang chạy đồng hồ',
      'Lưu ngay bây giờ? Màn hình sân khấu và màn hình người phát biểu sẽ cập nhật theo chương trình mới.', 'Lưu và cập nhật màn hình');
    if (running()) {
      if (!(await ask())) return;
      force = true;
    }
    const b = $('ed-sheet-save');
    b.disabled = true;
    try {
      try {
        await upload(`/api/v1/show/import${force ? '?force=1' : ''}`, f);
      } catch (err) {
        if (err.code !== 'conflict' || force || !(await ask())) throw err;
        await upload('/api/v1/show/import?force=1', f);
      }
      close();
      toast(`Đã nhập chương trình từ tệp «${f.name}».`, 'ok');
      await onSaved();
    } catch (err) {
      toast(err.code === 'invalid' ? err.message : vnError(err), 'error');
      b.disabled = false;
    }
  }

  $('ed-sheet').addEventListener('click', () => $('ed-sheet-file').click());
  $('ed-sheet-file').addEventListener('change', (e) => {
    const f = e.target.files[0];
    e.target.value = '';
    if (f) preview(f);
  });
}
