// mc-connect.js: the MC's tab "Kết nối thiết bị" (docs/pairing.md). For
// each role (a stage screen, the speaker's screen, a launch button, an
// operator's tablet) it makes a credential of its own through the
// credentials API, then a QR code of the page's link with that credential
// (POST /api/v1/qr), which a tablet or phone scans to open the right page
// already paired. Revoking a code's credential here shuts the device out.
// It also asks one device to show its name (POST /api/v1/identify), for
// the devices panel's "Nhận diện" buttons.

import { $, el } from './util.js';
import { toast } from './ui.js';
import { vnError } from './errors.js';
import { api } from './mc-api.js';

// ROLES are what a code opens: the page, the credential's kind, and
// the words of the panel.
export const ROLES = [
  { id: 'stage', path: '/stage', kind: 'screen', label: 'Màn hình sân khấu', name: 'Màn hình sân khấu' },
  { id: 'presenter', path: '/presenter', kind: 'screen', label: 'Màn hình người phát biểu', name: 'Màn hình người phát biểu' },
  { id: 'button', path: '/button', kind: 'button', label: 'Nút phát động', name: 'Nút phát động' },
  { id: 'operator', path: '/mc', kind: 'operator', label: 'Máy điều khiển', name: 'Máy tính bảng điều khiển' },
];

// ADMIN_ONLY is what a refused credential (403) says.
export const ADMIN_ONLY = 'Chỉ quản trị viên (mã quản trị) tạo và thu hồi được mã kết nối.';

// identify asks the device id to show its name on its screen for 3 s.
export async function identify(id) {
  try {
    const res = await api('POST', '/api/v1/identify', { device: id });
    const out = await res.json();
    toast(`Đang hiện tên “${out.name}” trên thiết bị đó trong 3 giây.`);
  } catch (err) {
    toast(err.code === 'not_found' ? 'Thiết bị này vừa ngắt kết nối.' : `Không nhận diện được: ${vnError(err)}`, 'error');
  }
}

// dataURL reads a PNG answer as a data: URL (the pages' policy allows
// data: images, not blob: ones).
async function dataURL(res) {
  const blob = await res.blob();
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result);
    r.onerror = () => reject(r.error);
    r.readAsDataURL(blob);
  });
}

// LOOPBACK is a page address no other device can reach.
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i;

// LOOPBACK_NOTE is what a card says when its code carries such an
// address: the server knew no LAN address to put in it instead.
export const LOOPBACK_NOTE = 'Mã này mang địa chỉ của chính máy chủ (localhost): điện thoại và máy tính bảng khác không mở được. Hãy kiểm tra mạng LAN của máy chủ, rồi mở trang MC bằng địa chỉ LAN mà máy chủ in ra khi khởi động.';

// loopbackLink reports whether link's host is one only the server reaches.
function loopbackLink(link) {
  try {
    return LOOPBACK.test(new URL(link).hostname);
  } catch {
    return false;
  }
}

// ConnectPanel draws the tab's pane: a form per role, and a card per code
// made since the page opened.
export class ConnectPanel {
  constructor(pane) {
    this.pane = pane;
    this.role = ROLES[0];
    this.busy = false;
    this.draw();
  }

  draw() {
    const choices = ROLES.map((r) => el('button', {
      class: `btn conn-role${r === this.role ? ' on' : ''}`, type: 'button', dataset: { role: r.id },
      onclick: () => this.choose(r),
    }, r.label));
    this.nameInput = el('input', { id: 'conn-name', type: 'text', maxlength: '64', value: this.role.name });
    this.buttonInput = el('input', { id: 'conn-button', type: 'text', maxlength: '64', value: 'nut-2', placeholder: 'nut-2' });
    this.buttonRow = el('label', { class: 'conn-field', hidden: this.role.kind !== 'button' }, 'Mã nút (mỗi nút một mã)', this.buttonInput);
    this.cards = el('div', { class: 'conn-cards', id: 'conn-cards' });
    this.pane.replaceChildren(
      el('h2', {}, 'Kết nối thiết bị'),
      el('p', { class: 'conn-hint' }, 'Chọn loại thiết bị, đặt tên rồi tạo mã. Quét mã bằng máy tính bảng hoặc điện thoại để mở đúng trang, đã ghép nối sẵn. Mỗi mã có khoá riêng; thu hồi khoá thì mã hết hiệu lực.'),
      el('div', { class: 'conn-roles', role: 'group', 'aria-label': 'Loại thiết bị' }, choices),
      el('label', { class: 'conn-field' }, 'Tên thiết bị', this.nameInput),
      this.buttonRow,
      el('button', { class: 'btn primary', id: 'conn-make', type: 'button', onclick: () => this.make() }, 'Tạo mã QR'),
      this.cards,
    );
  }

  choose(role) {
    this.role = role;
    for (const b of this.pane.querySelectorAll('.conn-role')) b.classList.toggle('on', b.dataset.role === role.id);
    this.nameInput.value = role.name;
    this.buttonRow.hidden = role.kind !== 'button';
  }

  // make creates the credential, then its code, and shows the card.
  async make() {
    if (this.busy) return;
    const role = this.role;
    const name = this.nameInput.value.trim();
    if (!name) {
      toast('Hãy đặt tên cho thiết bị (ví dụ: Màn LED trái).', 'error');
      return;
    }
    this.busy = true;
    try {
      const spec = { kind: role.kind, label: name };
      if (role.kind === 'button') spec.button = this.buttonInput.value.trim();
      const created = await (await api('POST', '/api/v1/credentials', spec)).json();
      const res = await api('POST', '/api/v1/qr', { path: role.path, name, secret: created.secret });
      const link = res.headers.get('Phatdong-Link') || '';
      this.cards.prepend(this.card(role, created.credential, link, await dataURL(res)));
    } catch (err) {
      if (err.code === 'forbidden') toast(ADMIN_ONLY, 'error');
      else if (err.code === 'conflict' && err.field === 'button') toast('Nút này đã có khoá. Thu hồi khoá cũ (Biên tập → Thiết bị và khoá) hoặc đặt mã nút khác.', 'error');
      else toast(`Không tạo được mã: ${vnError(err)}`, 'error');
    } finally {
      this.busy = false;
    }
  }

  // card shows one code: what it opens, its image, its link, and the
  // revoke button.
  card(role, cred, link, src) {
    const state = el('div', { class: 'conn-state' }, 'Đang hiệu lực');
    const card = el('figure', { class: 'conn-card', dataset: { credential: cred.id, role: role.id } },
      el('figcaption', {}, el('b', {}, cred.label), ` · ${role.label}`),
      el('img', { class: 'conn-qr', src, alt: `Mã QR: ${role.label} ${cred.label}`, width: '240', height: '240' }),
      el('div', { class: 'conn-link' }, link),
      loopbackLink(link) && el('p', { class: 'conn-warn' }, LOOPBACK_NOTE),
      state);
    const revoke = el('button', {
      class: 'btn danger conn-revoke', type: 'button',
      onclick: async () => {
        try {
          await api('DELETE', `/api/v1/credentials/${encodeURIComponent(cred.id)}`);
          card.classList.add('revoked');
          state.textContent = 'Đã thu hồi: mã này không còn mở được trang.';
          revoke.remove();
        } catch (err) {
          toast(err.code === 'forbidden' ? ADMIN_ONLY : `Không thu hồi được: ${vnError(err)}`, 'error');
        }
      },
    }, 'Thu hồi');
    card.append(revoke);
    return card;
  }
}
