// edit-keys.js: the editor's panel "Thiết bị và khoá". It lists every
// device's credential (the administrator's token, one key per button, per
// operator device and per district hall's server, the old shared button key) with its last use, makes keys
// (edit-keys-form.js), and revokes one with two clicks (not window.confirm,
// which blocks the page). Only the administrator's token manages keys: an
// operator's own token sees a note instead of the panel.

import { el, pad2 } from './util.js';
import { toast } from './ui.js';
import { vnError } from './errors.js';
import { call, authed } from './edit-api.js';
import { loadToken } from './token.js';
import { keyForm, KINDS } from './edit-keys-form.js';
import { delayCell } from './edit-keys-venue.js';

const PATH = '/api/v1/credentials';
const ARM_MS = 4000; // a first click on "Thu hồi" waits this long for the second
const DOUBLE_CLICK_MS = 400; // a second click sooner is one double click: ignored
const REFRESH_MS = 15000; // the list (its last uses) is fetched again this often

const HEADS = ['Tên', 'Loại', 'Mã nút / độ trễ', 'Giờ tạo', 'Lần dùng cuối', 'Trạng thái', ''];
const NOTE_FORBIDDEN = 'Chỉ mã quản trị mới tạo và thu hồi được khoá thiết bị.';
const SHARED_WHY = 'Khoá dùng chung kiểu cũ: mọi lần bấm bằng khoá này chỉ tính là một nút, dù thiết bị xưng là nút nào. ' +
  'Hãy tạo khoá riêng cho từng nút rồi thu hồi khoá này.';

let body = null; // #keys-body
let creds = [];
let seq = 0; // the latest list request: older answers are dropped
let armed = { id: '', at: 0, timer: 0 }; // the revoke button waiting for its second click
let refresh = 0;

// fmtStamp writes a Unix time (ms) as dd/mm/yyyy hh:mm, in local time.
export function fmtStamp(ms) {
  const d = new Date(ms);
  return `${pad2(d.getDate())}/${pad2(d.getMonth() + 1)}/${d.getFullYear()} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

// why is what went wrong with a call, in Vietnamese.
function why(err) {
  switch (err.code) {
    case 'offline':
      return 'mất kết nối với máy chủ.';
    case 'not_found':
      return 'không tìm thấy khoá này (có thể trang khác vừa thay đổi).';
    case 'conflict':
      return 'khoá này đã được thu hồi trước đó.';
  }
  return vnError(err);
}

// mountKeys builds the panel in section (its #keys-body) and loads the list.
export function mountKeys(section) {
  body = section.querySelector('#keys-body');
  body.addEventListener('click', onClick);
  // Without a remembered token, ask only when the user wants the list:
  // the editor itself opens without one.
  if (!loadToken()) login('Danh sách khoá thiết bị cần mã quản trị.');
  else reload();
}

// reload fetches the list; ask lets the token be asked for, loud reports
// every failure (a background refresh keeps quiet).
async function reload({ ask = false, loud = false } = {}) {
  const my = ++seq;
  try {
    const res = ask ? await authed('GET', PATH) : await call('GET', PATH, undefined, { auth: true });
    if (my !== seq) return;
    creds = res.credentials || [];
    ready();
    renderRows();
  } catch (err) {
    if (my !== seq) return;
    if (err.code === 'forbidden') forbidden();
    else if (err.code === 'unauthorized') login('Mã đang dùng trên máy này không mở được danh sách khoá.');
    else if (loud || !document.getElementById('keys-rows')) toast(`Không tải được danh sách khoá: ${why(err)}`, 'error');
  }
}

function stopRefresh() {
  clearInterval(refresh);
  refresh = 0;
}

function login(text) {
  stopRefresh();
  body.replaceChildren(el('p', {}, text),
    el('button', { class: 'btn', type: 'button', id: 'keys-login' }, 'Nhập mã quản trị để xem khoá'));
}

function forbidden() {
  stopRefresh();
  body.replaceChildren(el('p', { class: 'k-forbidden', id: 'keys-note' }, NOTE_FORBIDDEN));
}

// ready builds the panel once: the list, then the form.
function ready() {
  if (!refresh) {
    refresh = setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, REFRESH_MS);
  }
  if (document.getElementById('keys-rows')) return;
  body.replaceChildren(
    el('p', { class: 'muted' }, 'Mỗi nút bấm, mỗi máy điều khiển và mỗi điểm cầu có khoá riêng. Thu hồi một khoá thì thiết bị đó bị ngắt kết nối ngay.'),
    el('div', { class: 'k-table-wrap' },
      el('table', { class: 'k-table' },
        el('thead', {}, el('tr', {}, HEADS.map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', { id: 'keys-rows' }))),
    el('div', { class: 'k-tools' }, el('button', { class: 'btn', type: 'button', id: 'keys-refresh' }, 'Làm mới danh sách')),
    ...keyForm({ why, done: (outcome) => (outcome === 'forbidden' ? forbidden() : reload()) }));
}

function renderRows() {
  const rows = document.getElementById('keys-rows');
  if (rows) rows.replaceChildren(...creds.map(row));
}

function row(c) {
  const cls = [c.admin && 'admin', c.shared && 'shared', c.revokedAt && 'revoked'].filter(Boolean).join(' ');
  return el('tr', { class: cls, dataset: { id: c.id, kind: c.kind, button: c.button || '' } },
    el('td', { class: 'k-label' }, c.label, c.shared ? el('div', { class: 'k-why' }, SHARED_WHY) : null),
    el('td', {}, KINDS[c.kind] || (c.kind === 'screen' ? 'Màn hình (mã QR ở trang MC)' : c.kind)),
    el('td', { class: 'k-button' }, c.kind === 'venue' ? delayCell(c)
      : c.kind !== 'button' ? '—' : c.shared ? 'mọi nút (dùng chung)' : el('code', {}, c.button)),
    el('td', {}, c.createdAt ? fmtStamp(c.createdAt) : '—'),
    el('td', { class: 'k-used' }, c.lastUsedAt
      ? [fmtStamp(c.lastUsedAt), c.lastAddr ? el('span', { class: 'muted' }, ` · ${c.lastAddr}`) : null]
      : 'chưa dùng'),
    el('td', { class: 'k-status' }, c.revokedAt ? `Đã thu hồi lúc ${fmtStamp(c.revokedAt)}` : 'Đang dùng được'),
    el('td', { class: 'k-act' }, action(c)));
}

function action(c) {
  if (c.admin) return el('span', { class: 'muted' }, 'Mã quản trị — không thu hồi được; đổi bằng ', el('code', {}, '--operator-token'));
  if (c.revokedAt) return null;
  const on = armed.id === c.id;
  return el('button', { class: `btn danger small${on ? ' armed' : ''}`, type: 'button', id: `key-revoke-${c.id}`, dataset: { revoke: c.id } },
    on ? 'Bấm lần nữa để thu hồi' : 'Thu hồi');
}

function onClick(e) {
  const b = e.target.closest('button');
  if (!b) return;
  if (b.dataset.revoke) revokeClick(b.dataset.revoke);
  else if (b.id === 'keys-refresh') reload({ loud: true });
  else if (b.id === 'keys-login') reload({ ask: true, loud: true });
}

// revokeClick arms the key's button on a first click; a second click
// within ARM_MS revokes.
function revokeClick(id) {
  const now = performance.now();
  if (armed.id === id) {
    if (now - armed.at < DOUBLE_CLICK_MS) return;
    disarm();
    revoke(id);
    return;
  }
  clearTimeout(armed.timer);
  armed = { id, at: now, timer: setTimeout(disarm, ARM_MS) };
  renderRows();
  document.getElementById(`key-revoke-${id}`)?.focus();
}

function disarm() {
  clearTimeout(armed.timer);
  armed = { id: '', at: 0, timer: 0 };
  renderRows();
}

async function revoke(id) {
  const c = creds.find((x) => x.id === id);
  const name = c ? c.label : id;
  const b = document.getElementById(`key-revoke-${id}`);
  if (b) {
    b.disabled = true;
    b.textContent = 'Đang thu hồi…';
  }
  try {
    await authed('DELETE', `${PATH}/${encodeURIComponent(id)}`);
    toast(`Đã thu hồi khoá «${name}»: thiết bị của khoá này đã bị ngắt kết nối.`, 'ok');
  } catch (err) {
    if (err.code === 'forbidden') {
      forbidden();
      return;
    }
    toast(`Chưa thu hồi được khoá «${name}»: ${why(err)}`, 'error');
  }
  await reload();
}
