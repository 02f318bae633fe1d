// edit-keys-form.js: the form of the panel "Thiết bị và khoá" (edit-keys.js)
// that makes a device's key, and the box that shows the new key's link (and a
// button's lines for the Raspberry Pi agent, or a venue's command line, see
// edit-keys-venue.js) this once: the server keeps only a digest of the secret.

import { el } from './util.js';
import { toast } from './ui.js';
import { authed } from './edit-api.js';
import { checkDelay, venueOnce, MAX_DELAY_MS } from './edit-keys-venue.js';

const PATH = '/api/v1/credentials';
const MAX_LEN = 64; // characters, as the server's access.MaxLabelLen and MaxButtonID
const BUTTON_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/; // what the Raspberry Pi agent accepts
const SHARED_BUTTON = 'shared-key'; // reserved for the old shared key

// KINDS names the kinds of credentials.
export const KINDS = { button: 'Nút bấm', operator: 'Máy điều khiển', venue: 'Điểm cầu' };

// LABELS name the label field and show an example, by kind.
const LABELS = {
  button: ['Tên (ai dùng, ở đâu)', 'vd: Nút 2 – Bí thư Tỉnh Đoàn'],
  operator: ['Tên (ai dùng, ở đâu)', 'vd: iPad MC dự phòng'],
  venue: ['Tên điểm cầu', 'vd: Huyện Bù Đăng'],
};

const FIELD_REFUSED = {
  kind: 'Loại thiết bị không hợp lệ.',
  label: `Máy chủ không nhận tên này: bắt buộc, tối đa ${MAX_LEN} ký tự, không có ký tự điều khiển.`,
  button: `Máy chủ không nhận mã nút này: bắt buộc, tối đa ${MAX_LEN} ký tự.`,
  delayMs: `Máy chủ không nhận độ trễ này: từ 0 đến ${MAX_DELAY_MS} ms.`,
};

// keyForm builds the form and the place of the new key's box. why explains
// a refused call; done(outcome) runs after each request ('sent', or
// 'forbidden' when the token may not manage keys).
export function keyForm({ why, done }) {
  const field = (label, input, id = null) =>
    el('label', { class: 'field', id }, el('span', { class: 'lbl' }, label), input, el('span', { class: 'err' }));
  const kind = el('select', { id: 'key-kind' }, Object.entries(KINDS).map(([v, name]) => el('option', { value: v }, name)));
  const buttonField = field('Mã nút', el('input', { id: 'key-button', type: 'text', autocomplete: 'off', spellcheck: 'false', placeholder: 'vd: nut-2' }), 'key-button-field');
  const labelField = field(LABELS.button[0], el('input', { id: 'key-label', type: 'text', autocomplete: 'off', placeholder: LABELS.button[1] }), 'key-label-field');
  const delayField = field('Độ trễ hình (ms)', el('input', {
    id: 'key-delay', type: 'number', inputmode: 'numeric', min: '0', max: String(MAX_DELAY_MS), step: '100', placeholder: '0',
  }), 'key-delay-field');
  delayField.hidden = true;
  const form = el('form', { class: 'k-form', id: 'key-form', novalidate: true },
    el('h3', {}, 'Tạo khoá mới'),
    el('div', { class: 'k-grid' },
      field('Loại thiết bị', kind),
      labelField,
      buttonField,
      delayField,
      el('button', { class: 'btn primary', type: 'submit', id: 'key-create' }, 'Tạo khoá')));
  kind.addEventListener('change', () => {
    const [name, example] = LABELS[kind.value] || LABELS.button;
    labelField.querySelector('.lbl').textContent = name;
    labelField.querySelector('input').placeholder = example;
    buttonField.hidden = kind.value !== 'button';
    delayField.hidden = kind.value !== 'venue';
  });
  form.addEventListener('input', (e) => unmark(e.target));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit(form, why).then((outcome) => outcome && done(outcome));
  });
  const slot = el('div', { id: 'key-once-slot' });
  slot.addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (b && b.dataset.copy) copyText(b.dataset.copy);
    if (b && b.id === 'key-hide') slot.replaceChildren();
  });
  return [form, slot];
}

// mark shows message next to the form's field (kind, label or button).
function mark(name, message) {
  const box = document.getElementById(`key-${name}`)?.closest('.field');
  if (!box) {
    toast(message, 'error');
    return;
  }
  box.classList.add('bad');
  box.querySelector('.err').textContent = message;
}

function unmark(input) {
  const box = input.closest('.field');
  if (!box) return;
  box.classList.remove('bad');
  box.querySelector('.err').textContent = '';
}

// check is the form's own findings: [[field, message]].
function check(kind, label, button, delay) {
  const out = [];
  const len = (s) => [...s].length;
  if (!label) out.push(['label', kind === 'venue' ? 'Hãy nhập tên điểm cầu, ví dụ Huyện Bù Đăng.' : 'Hãy đặt tên cho thiết bị: ai dùng, ở đâu.']);
  else if (len(label) > MAX_LEN) out.push(['label', `Tên dài ${len(label)} ký tự, tối đa ${MAX_LEN}.`]);
  else if (/\p{Cc}/u.test(label)) out.push(['label', 'Tên có ký tự điều khiển không hợp lệ.']);
  if (kind === 'venue' && checkDelay(delay)) out.push(['delay', checkDelay(delay)]);
  if (kind !== 'button') return out;
  if (!button) out.push(['button', 'Hãy nhập mã nút, ví dụ nut-2.']);
  else if (len(button) > MAX_LEN) out.push(['button', `Mã nút dài ${len(button)} ký tự, tối đa ${MAX_LEN}.`]);
  else if (button === SHARED_BUTTON) out.push(['button', `Mã «${SHARED_BUTTON}» dành cho khoá dùng chung kiểu cũ; hãy chọn mã khác.`]);
  else if (!BUTTON_ID.test(button)) out.push(['button', 'Mã nút chỉ gồm chữ không dấu, chữ số, dấu chấm, gạch dưới và gạch ngang (vd: nut-2).']);
  return out;
}

// submit checks and sends the form; it resolves with '' when nothing was
// sent, 'forbidden' when the token may not manage keys, else 'sent'.
async function submit(form, why) {
  const kind = document.getElementById('key-kind').value;
  const label = document.getElementById('key-label').value.trim().normalize('NFC');
  const button = kind === 'button' ? document.getElementById('key-button').value.trim() : '';
  const delayInput = document.getElementById('key-delay');
  // A number field answers '' for text it cannot read: refuse it, not 0.
  const delay = kind !== 'venue' ? '' : delayInput.validity.badInput ? '?' : delayInput.value;
  for (const input of form.querySelectorAll('input, select')) unmark(input);
  const errs = check(kind, label, button, delay);
  if (errs.length) {
    for (const [name, message] of errs) mark(name, message);
    document.getElementById(`key-${errs[0][0]}`).focus();
    return '';
  }
  const b = document.getElementById('key-create');
  b.disabled = true;
  try {
    const ans = await authed('POST', PATH, kind === 'button' ? { kind, label, button }
      : kind === 'venue' ? { kind, label, delayMs: Number(delay.trim() || 0) } : { kind, label });
    showOnce(ans);
    for (const id of ['key-label', 'key-button', 'key-delay']) document.getElementById(id).value = '';
  } catch (err) {
    if (err.code === 'forbidden') return 'forbidden';
    if (err.code === 'conflict' && err.field === 'button') {
      mark('button', `Nút «${button}» đã có một khoá đang dùng được. Hãy thu hồi khoá đó trong danh sách rồi tạo lại.`);
    } else if (err.code === 'invalid' && FIELD_REFUSED[err.field]) {
      mark(err.field === 'delayMs' ? 'delay' : err.field, FIELD_REFUSED[err.field]);
    } else {
      toast(`Chưa tạo được khoá: ${why(err)}`, 'error');
    }
  } finally {
    b.disabled = false;
  }
  return 'sent';
}

// confLines are the lines of the Raspberry Pi agent's configuration file
// (deploy/pi/button.conf.example) for a new button key.
function confLines(secret, c) {
  const name = /^".*"$/.test(c.label) ? `"${c.label}"` : c.label; // the file strips one pair of quotes
  return `key = ${secret}\nbutton = ${c.button}\nname = ${name}`;
}

// showOnce shows the new key's link and, for a button, its lines for the
// agent's configuration file; for a venue, its command line and key.
function showOnce(ans) {
  const c = ans.credential;
  const head = el('h3', {}, `Khoá mới cho «${c.label}» — chỉ hiện lần này, hãy sao chép ngay`);
  const hide = el('div', { class: 'k-once-acts' }, el('button', { class: 'btn primary', type: 'button', id: 'key-hide' }, 'Đã sao chép, ẩn đi'));
  if (c.kind === 'venue') {
    place(el('div', { class: 'k-once', id: 'key-once', role: 'alert' }, head, venueOnce(ans), hide));
    return;
  }
  const isButton = c.kind === 'button';
  const onceLink = location.origin + ans.link;
  // An operator's link is not a link here: opening /mc#token=… on this
  // machine would replace the administrator's remembered token.
  const link = isButton
    ? el('a', { id: 'key-link', class: 'k-secret', href: onceLink, target: '_blank', rel: 'noopener' }, onceLink)
    : el('code', { id: 'key-link', class: 'k-secret' }, onceLink);
  place(el('div', { class: 'k-once', id: 'key-once', role: 'alert' },
    head,
    el('p', {}, isButton
      ? 'Mở liên kết này trên màn hình cảm ứng dùng làm nút bấm:'
      : 'Mở liên kết này trên máy điều khiển (đừng mở trên máy này: máy này sẽ nhớ mã đó thay cho mã quản trị):'),
    link,
    el('div', { class: 'k-once-acts' }, el('button', { class: 'btn', type: 'button', id: 'key-copy', dataset: { copy: 'key-link' } }, 'Sao chép liên kết')),
    isButton ? [
      el('p', {}, 'Với nút bấm Raspberry Pi, ghi các dòng này vào tệp cấu hình của nút (/etc/phatdong/button.conf), thay các dòng cũ cùng tên:'),
      el('pre', { id: 'key-conf', class: 'k-secret' }, confLines(ans.secret, c)),
    ] : null,
    hide));
}

// place shows the new key's box.
function place(box) {
  document.getElementById('key-once-slot').replaceChildren(box);
  box.scrollIntoView({ block: 'nearest' });
}

// COPIED names what a copy button copied, by the id of its node.
const COPIED = { 'key-link': 'liên kết', 'key-command': 'dòng lệnh', 'key-venue': 'khoá' };

// copyText copies the text of the node id (the new key's link, command
// line or key): with the clipboard API where the page may use it (https,
// localhost), else by selecting the text and the older copy command;
// failing both, the text stays selected for Ctrl+C.
async function copyText(id) {
  const node = document.getElementById(id);
  const what = COPIED[id] || 'nội dung';
  if (!node || !node.textContent) return;
  try {
    if (!navigator.clipboard || !window.isSecureContext) throw new Error('no clipboard');
    await navigator.clipboard.writeText(node.textContent);
    toast(`Đã sao chép ${what}.`, 'ok');
    return;
  } catch {
    // Fall back on the selection.
  }
  const range = document.createRange();
  range.selectNodeContents(node);
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
  let copied = false;
  try {
    copied = document.execCommand('copy');
  } catch {
    copied = false;
  }
  toast(copied ? `Đã sao chép ${what}.` : `Trình duyệt không cho sao chép tự động: ${what} đã được chọn, hãy nhấn Ctrl+C.`, copied ? 'ok' : '');
}
