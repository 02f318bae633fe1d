// ui.js: toasts, the connection banner and modal dialogs, shared by the
// operator pages. Dialogs are in the page (not window.confirm), so they
// never block the page's clock or its socket.

import { el } from './util.js';

function toastBox() {
  let box = document.getElementById('toasts');
  if (!box) {
    box = el('div', { id: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.append(box);
  }
  return box;
}

// toast shows a short message; kind is 'error', 'ok' or ''. Errors stay
// longer, since an operator must read that a command did not go through.
export function toast(text, kind = '', ms = kind === 'error' ? 7000 : 3000) {
  const t = el('div', { class: `toast ${kind}`, role: kind === 'error' ? 'alert' : null }, text);
  t.addEventListener('click', () => t.remove());
  const box = toastBox();
  box.append(t);
  while (box.children.length > 4) box.firstElementChild.remove();
  setTimeout(() => t.remove(), ms);
  return t;
}

// NetBanner shows a red banner while the page's own connection is down,
// after a grace period so a quick reconnect does not flash it.
export class NetBanner {
  constructor(text = 'Mất kết nối với máy chủ — đang kết nối lại…', graceMs = 800) {
    this.node = el('div', { class: 'net-banner', id: 'net-banner', hidden: true, role: 'alert' }, text);
    this.graceMs = graceMs;
    this.timer = 0;
    document.body.append(this.node);
  }

  // set records whether the link is connected.
  set(connected) {
    clearTimeout(this.timer);
    if (connected) {
      this.node.hidden = true;
      document.body.classList.remove('offline');
      return;
    }
    this.timer = setTimeout(() => {
      this.node.hidden = false;
      document.body.classList.add('offline');
    }, this.graceMs);
  }
}

// dialog opens a modal and resolves with the value of the button pressed
// (or null when dismissed with Escape). fields are extra nodes (inputs).
export function dialog({ title, text = '', fields = [], buttons = [{ label: 'Đóng', value: null }] }) {
  return new Promise((resolve) => {
    const back = el('div', { class: 'modal-back' });
    const close = (v) => {
      back.remove();
      document.removeEventListener('keydown', onKey, true);
      resolve(v);
    };
    const onKey = (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        close(null);
      }
    };
    const acts = buttons.map((b) =>
      el('button', { class: `btn ${b.kind || ''}`, type: 'button', dataset: { value: String(b.value) }, onclick: () => close(b.value) }, b.label));
    const box = el('div', { class: 'modal', role: 'dialog', 'aria-modal': 'true' },
      el('h2', {}, title), text ? el('p', {}, text) : null, fields, el('div', { class: 'actions' }, acts));
    back.append(box);
    document.body.append(back);
    document.addEventListener('keydown', onKey, true);
    const first = box.querySelector('input, textarea') || acts[acts.length - 1];
    if (first) first.focus();
  });
}

// confirmDialog asks a yes/no question; resolves true only for yes.
export async function confirmDialog(title, text, yes = 'Đồng ý', kind = 'primary') {
  const v = await dialog({ title, text, buttons: [{ label: 'Hủy', value: false }, { label: yes, value: true, kind }] });
  return v === true;
}

// askToken asks for the operator token; resolves with the trimmed text.
export async function askToken(text = 'Nhập mã điều khiển do kỹ thuật viên cung cấp. Mã được ghi nhớ trên thiết bị này.') {
  for (;;) {
    const input = el('input', { type: 'password', id: 'token-input', autocomplete: 'current-password', placeholder: 'Mã điều khiển' });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') document.querySelector('.modal [data-value="true"]')?.click();
    });
    const v = await dialog({ title: 'Mã điều khiển', text, fields: [input], buttons: [{ label: 'Đăng nhập', value: true, kind: 'primary' }] });
    const token = input.value.trim();
    if (v === true && token) return token;
  }
}

// keepAwake asks the device not to dim or lock its screen while the page
// is shown (a tablet on a lectern, a touch button). Browsers allow it only
// on https or localhost; elsewhere it quietly does nothing.
export function keepAwake() {
  if (!navigator.wakeLock || !window.isSecureContext) return;
  const ask = () => {
    if (document.visibilityState === 'visible') navigator.wakeLock.request('screen').catch(() => {});
  };
  document.addEventListener('visibilitychange', ask);
  ask();
}
