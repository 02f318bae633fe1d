// mc-pair.js: the two servers, primary and standby (issue #14), as the MC
// sees them: which one this page talks to, whether the other is heard and
// in sync, and how far behind it is. Only when the devices message carries
// a pair. On a standby the page says so at the top and its command buttons
// are disabled: the standby refuses commands (not_primary).

import { $, el, toggle } from './util.js';
import { ago } from './mc-devices.js';

// PAIR_ROLES names the roles of the servers.
export const PAIR_ROLES = { primary: 'Máy chính', standby: 'Máy dự phòng' };

// LOCKED are the controls that send commands; a standby disables them.
const LOCKED = [
  '.controls button', '#btn-rehearsal', '#btn-blackout', '#rundown button',
  '#pane-msg button', '#msg-text', '#msg-blink', '#pane-launch button',
].join(', ');

// lagText is how far the standby is behind: "chậm 3 lệnh · 120 ms", or
// "đã khớp" when it holds every command.
export function lagText(p) {
  if (!p.lagCommands) return 'đã khớp';
  return `chậm ${p.lagCommands} lệnh · ${Math.round(p.lagMs || 0)} ms`;
}

// pairFaulty says whether the pair needs the operators' eyes: the standby
// out of sync, the servers not hearing each other, or a divergence.
export function pairFaulty(p) {
  return !p.inSync || !p.connected || Boolean(p.diverged);
}

// PairPanel draws the pair in the "Máy chủ" tab, its chip in the header
// and, on a standby, the banner and the locked controls.
export class PairPanel {
  // getLink gives the link (for the server's clock); rerender redraws
  // the page's state, which sets the controls a primary may not use now.
  constructor(getLink, rerender) {
    this.getLink = getLink;
    this.rerender = rerender;
    this.pair = null;
    this.locked = false;
    setInterval(() => this.render(), 1000);
  }

  // set takes the pair of a devices message (undefined: none).
  set(pair) {
    this.pair = pair || null;
    this.render();
    this.lock();
  }

  // isStandby says whether this page talks to the standby.
  isStandby() {
    return Boolean(this.pair && this.pair.role === 'standby');
  }

  // lock disables the command controls on a standby, and gives them back
  // (as the state would have them) when the server is a primary again.
  // Call it after every redraw of the controls.
  lock() {
    const standby = this.isStandby();
    document.body.classList.toggle('standby', standby);
    $('mc-standby').hidden = !standby;
    if (standby) {
      for (const c of document.querySelectorAll(LOCKED)) {
        if (!c.disabled) c.dataset.standbyLocked = '1';
        c.disabled = true;
      }
      this.locked = true;
    } else if (this.locked) {
      this.locked = false;
      for (const c of document.querySelectorAll('[data-standby-locked]')) {
        delete c.dataset.standbyLocked;
        c.disabled = false;
      }
      this.rerender();
    }
  }

  render() {
    const p = this.pair;
    const tab = $('tab-pair');
    const chip = $('chip-pair');
    tab.hidden = !p;
    chip.hidden = !p;
    if (!p) {
      if ($('pane-pair').hidden === false) $('tab-msg').click();
      return;
    }
    const bad = pairFaulty(p);
    const role = PAIR_ROLES[p.role] || p.role;
    chip.textContent = `${role}${bad ? ' · có sự cố' : ''}`;
    chip.className = `chip ${bad ? 'bad' : 'ok'}`;
    toggle(tab, 'alert', bad);
    const box = $('mc-pair');
    toggle(box, 'bad', bad);
    const link = this.getLink();
    const now = link ? link.serverNow() : Date.now();
    const other = PAIR_ROLES[p.role === 'primary' ? 'standby' : 'primary'];
    const row = (label, value, faulty = false) =>
      el('div', { class: `pair-row${faulty ? ' bad' : ''}` }, el('span', { class: 'pair-label' }, label), el('span', { class: 'pair-value' }, value));
    const rows = [
      row('Máy này', role),
      row('Phiên', `Phiên điều khiển ${p.epoch}`),
      row(other, p.peer || 'chưa rõ địa chỉ'),
      row('Liên lạc', `${p.connected ? 'đã kết nối' : 'MẤT LIÊN LẠC'} · lần cuối ${p.lastContact ? ago(now - p.lastContact) : 'chưa bao giờ'}`, !p.connected),
      row('Đồng bộ', p.inSync ? 'đồng bộ' : 'MẤT ĐỒNG BỘ', !p.inSync),
      row('Độ chậm', lagText(p)),
      row('Lệnh', `máy chính số ${p.seq} · máy dự phòng số ${p.peerSeq}`),
    ];
    if (p.unsynced) rows.push(row('Khi thiếu dự phòng', `${p.unsynced} lệnh đã trả lời khi máy dự phòng chưa lưu`, true));
    if (p.diverged) rows.push(row('Lệch trạng thái', `ở lệnh số ${p.divergedSeq}`, true));
    $('pair-rows').replaceChildren(...rows);
  }
}
