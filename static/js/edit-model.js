// edit-model.js: the rules of a show file as the editor checks them before
// sending (the same rules as controller/validate.go, with messages in
// Vietnamese), and the helpers to read and write times and ids.

import { pad2 } from './util.js';

export const KINDS = ['welcome', 'performance', 'speech', 'video', 'launch', 'break', 'closing', 'other'];
export const ON_ZERO = ['overtime', 'hold', 'advance'];
const MAX_TITLE = 200;
const MAX_NOTES = 20000;
const ID_RE = /^[a-z0-9][a-z0-9_-]*$/;

// fmtSec writes seconds as m:ss or h:mm:ss for a time field.
export function fmtSec(sec) {
  const s = Math.max(0, Math.round(Number(sec) || 0));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}:${pad2(m)}:${pad2(s % 60)}` : `${m}:${pad2(s % 60)}`;
}

// parseSec reads a time field: "7:30" (m:ss), "1:00:00" (h:mm:ss) or a
// plain number of minutes ("15", "1,5"). It returns NaN when unreadable.
export function parseSec(text) {
  const t = String(text).trim().replace(',', '.');
  if (t === '') return NaN;
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 60);
  const parts = t.split(':');
  if (parts.length < 2 || parts.length > 3 || parts.some((x) => !/^\d+$/.test(x))) return NaN;
  const n = parts.map(Number);
  if (n[n.length - 1] > 59 || (n.length === 3 && n[1] > 59)) return NaN;
  return n.length === 3 ? n[0] * 3600 + n[1] * 60 + n[2] : n[0] * 60 + n[1];
}

// slugify turns a Vietnamese title into a segment id: "Văn nghệ chào mừng"
// → "van-nghe-chao-mung".
export function slugify(title) {
  const s = String(title).normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48).replace(/-+$/, '');
  return s || 'muc';
}

// uniqueId makes an id from title that no other segment of show uses.
export function uniqueId(show, title, except = -1) {
  const base = slugify(title);
  const taken = new Set(show.segments.filter((_, i) => i !== except).map((g) => g.id));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

// newSegment is the segment the "add" button creates.
export function newSegment(show) {
  return { id: uniqueId(show, 'muc-moi'), title: 'Mục mới', kind: 'other', durationSec: 300, speaker: '', notes: '', warnSec: 60, dangerSec: 30, onZero: 'overtime' };
}

const len = (s) => [...String(s || '')].length;

// isDate is whether s is a day of the calendar written YYYY-MM-DD, as the
// server's time.Parse(time.DateOnly) reads it: "2025-02-30" is not.
function isDate(s) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

// validate returns the errors of a show: [{field, message}], in the order
// of the form. An empty list means the server should accept it.
export function validate(show) {
  const errs = [];
  const add = (field, message) => errs.push({ field, message });
  const text = (field, v, required, max = MAX_TITLE) => {
    if (required && !String(v || '').trim()) add(field, 'Không được để trống.');
    else if (len(v) > max) add(field, `Dài quá ${max} ký tự (hiện có ${len(v)}).`);
  };
  text('title', show.title, true);
  for (const f of ['subtitle', 'organizer', 'venue']) text(f, show[f], false);
  text('launch.caption', show.launch.caption, false);
  if (show.date && !isDate(show.date)) add('date', 'Ngày phải có dạng năm-tháng-ngày.');
  const start = String(show.startTime || '').trim();
  if (start && !/^([01]\d|2[0-3]):[0-5]\d$/.test(start)) add('startTime', 'Giờ bắt đầu phải có dạng giờ:phút, ví dụ 07:30.');
  const l = show.launch;
  // 0 or absent takes the server's default (controller's show normalising).
  const given = (v) => v !== undefined && v !== null && v !== 0;
  if (given(l.requiredPresses) && (!Number.isInteger(l.requiredPresses) || l.requiredPresses < 1 || l.requiredPresses > 16)) add('launch.requiredPresses', 'Số nút phải bấm từ 1 đến 16.');
  if (given(l.windowMs) && (!Number.isInteger(l.windowMs) || l.windowMs < 0 || l.windowMs > 60000)) add('launch.windowMs', 'Thời gian chờ phải từ 0 đến 60 giây.');
  if (given(l.leadMs) && (!Number.isInteger(l.leadMs) || l.leadMs < 50 || l.leadMs > 5000)) add('launch.leadMs', 'Độ trễ đồng bộ phải từ 50 đến 5000 ms.');
  if (show.segments.length === 0) add('segments', 'Chương trình cần ít nhất một mục.');
  if (show.segments.length > 500) add('segments', 'Chương trình có tối đa 500 mục.');
  const seen = new Map();
  show.segments.forEach((g, i) => {
    const p = `segments[${i}]`;
    if (!g.id) add(`${p}.id`, 'Mã mục không được để trống.');
    else if (g.id.length > 64 || !ID_RE.test(g.id)) add(`${p}.id`, 'Mã mục chỉ gồm chữ thường không dấu, số, "-" hoặc "_" (tối đa 64 ký tự).');
    else if (seen.has(g.id)) add(`${p}.id`, `Mã mục bị trùng với mục số ${seen.get(g.id) + 1}.`);
    seen.set(g.id, i);
    text(`${p}.title`, g.title, true);
    if (!KINDS.includes(g.kind)) add(`${p}.kind`, 'Loại mục không hợp lệ.');
    if (!ON_ZERO.includes(g.onZero)) add(`${p}.onZero`, 'Cách xử lý khi hết giờ không hợp lệ.');
    const d = g.durationSec;
    const unread = 'Không đọc được: hãy nhập số phút (15) hoặc phút:giây (7:30).';
    if (Number.isNaN(d)) add(`${p}.durationSec`, unread);
    else if (!Number.isInteger(d) || d <= 0) add(`${p}.durationSec`, 'Thời lượng phải lớn hơn 0 (ví dụ 15 hoặc 7:30).');
    else if (d > 86400) add(`${p}.durationSec`, 'Thời lượng tối đa là 24 giờ.');
    if (Number.isNaN(g.warnSec)) add(`${p}.warnSec`, unread);
    else if (!Number.isInteger(g.warnSec) || g.warnSec < 0 || (Number.isInteger(d) && g.warnSec > d)) add(`${p}.warnSec`, 'Mốc báo vàng phải từ 0 đến hết thời lượng của mục.');
    if (Number.isNaN(g.dangerSec)) add(`${p}.dangerSec`, unread);
    else if (!Number.isInteger(g.dangerSec) || g.dangerSec < 0 || g.dangerSec > g.warnSec) add(`${p}.dangerSec`, 'Mốc báo đỏ phải từ 0 đến mốc báo vàng.');
    text(`${p}.speaker`, g.speaker, false);
    text(`${p}.notes`, g.notes, false, MAX_NOTES);
  });
  return errs;
}

// FIELD_HINTS explain, by the last part of a field path, what the server
// refused when the editor's own check did not catch it.
const FIELD_HINTS = {
  title: 'Tên không hợp lệ.',
  id: 'Mã mục không hợp lệ hoặc bị trùng.',
  durationSec: 'Thời lượng không hợp lệ.',
  warnSec: 'Mốc báo vàng không hợp lệ.',
  dangerSec: 'Mốc báo đỏ không hợp lệ.',
  kind: 'Loại mục không hợp lệ.',
  onZero: 'Cách xử lý khi hết giờ không hợp lệ.',
  date: 'Ngày không hợp lệ.',
  requiredPresses: 'Số nút phải bấm không hợp lệ.',
  windowMs: 'Thời gian chờ không hợp lệ.',
  leadMs: 'Độ trễ đồng bộ không hợp lệ.',
};

// serverFieldMessage is the Vietnamese message for a field the server
// refused: the editor's own message for it when it has one.
export function serverFieldMessage(show, field) {
  if (!field) return 'Nội dung không đúng định dạng tệp chương trình (JSON).';
  if (field === 'format' || field === 'version') return 'Không phải tệp chương trình của phatdong, hoặc phiên bản tệp không được hỗ trợ.';
  if (/\.media(\.|$)/.test(field)) return 'Tệp phim hoặc ảnh của mục không hợp lệ: hãy chọn lại tệp («Đổi tệp…»).';
  const mine = show ? validate(show).find((e) => e.field === field) : null;
  if (mine) return mine.message;
  const last = String(field).split('.').pop().replace(/\[\d+\]$/, '');
  return FIELD_HINTS[last] || 'Giá trị không hợp lệ.';
}

// fieldLabel names a field path for an error summary: "Mục 4 – Thời lượng".
export function fieldLabel(field) {
  const names = {
    title: 'Tên', subtitle: 'Dòng phụ', organizer: 'Đơn vị tổ chức', venue: 'Địa điểm', date: 'Ngày', startTime: 'Giờ bắt đầu', caption: 'Dòng chữ phát động',
    requiredPresses: 'Số nút phải bấm', windowMs: 'Thời gian chờ', leadMs: 'Độ trễ đồng bộ', id: 'Mã mục', kind: 'Loại',
    durationSec: 'Thời lượng', speaker: 'Người phụ trách', notes: 'Ghi chú', warnSec: 'Báo vàng', dangerSec: 'Báo đỏ', onZero: 'Khi hết giờ',
    segments: 'Các mục', format: 'Định dạng tệp', version: 'Phiên bản tệp', media: 'Phim hoặc ảnh',
  };
  const m = /^segments\[(\d+)\]\.(\w+)(\.\w+)?$/.exec(field);
  if (m) return `Mục ${Number(m[1]) + 1} – ${names[m[2]] || m[2]}`;
  const last = String(field).split('.').pop();
  return names[last] || field || 'Tệp';
}
