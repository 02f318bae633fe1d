// mc-pair.js: the two servers, primary and standby (issue #14), as the MC
// sees them: which one this page talks to, whether the other is heard and
// in sync, and how far behind it is. Only when the devices message carries
// a pair. On a standby the page says so at the top and its command buttons
// are disabled: the standby refuses commands (not_primary). A standby
// offers the takeover, held for 2 s (and confirmed again while the
// primary is still heard).

import { $, el, toggle } from './util.js';
import { ago } from './mc-devices.js';
import { holdButton } from './hold.js';
import { confirmDialog, toast } from './ui.js';
import { codeOf, vnError } from './errors.js';

// TAKEOVER_HOLD_MS is how long the takeover must be held.
export const TAKEOVER_HOLD_MS = 2000;

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

// takeoverWhat says what the takeover does, for a standby in epoch.
export function takeoverWhat(epoch) {
  return `Máy này trở thành máy chính, phiên điều khiển ${(Number(epoch) || 0) + 1}; chỉ dùng khi máy chính hỏng.`;
}

// takeoverError words why a takeover failed.
export function takeoverError(err) {
  const why = codeOf(err) === 'conflict'
    ? 'máy này không phải máy dự phòng, hoặc đã là máy chính.'
    : vnError(err);
  return `Tiếp quản không thực hiện được: ${why}`;
}

// PairPanel draws the pair in the "Máy chủ" tab, its chip in the header,
// on a standby the banner, the locked controls and the takeover.
export class PairPanel {
  // getLink gives the link (for the server's clock and the takeover);
  // rerender redraws the page's state, which sets the controls a primary
  // may not use now; getView (optional) gives the latest state.
  constructor(getLink, rerender, getView = () => null) {
    this.getLink = getLink;
    this.rerender = rerender;
    this.getView = getView;
    this.pair = null;
    this.locked = false;
    this.busy = false;
    this.cancelledAt = 0; // when a hold was last released early
    this.resetHold = holdButton($('pair-takeover-btn'), $('pair-takeover-ring'), {
      ms: TAKEOVER_HOLD_MS,
      onHold: () => this.takeover(),
      onCancel: () => {
        this.cancelledAt = Date.now();
        $('pair-takeover-hint').textContent = 'Đã hủy – phải giữ đủ 2 giây';
        setTimeout(() => this.renderTakeover(), 1900);
      },
    });
    setInterval(() => this.render(), 1000);
  }

  // takeover asks the server to become the primary. While the primary
  // is still heard it asks once more: two primaries would run until the
  // old one steps down.
  async takeover() {
    const p = this.pair;
    if (this.busy || !p || p.role !== 'standby') return this.finishHold();
    if (p.connected) {
      const ok = await confirmDialog('Máy chính vẫn đang chạy',
        'Máy này vẫn liên lạc được với máy chính. Tiếp quản bây giờ sẽ có hai máy chính cho đến khi máy cũ tự nhường quyền. ' +
        'Chỉ tiếp quản khi chắc chắn máy chính hỏng.', 'Vẫn tiếp quản', 'danger');
      if (!ok) return this.finishHold();
    }
    this.busy = true;
    $('pair-takeover-hint').textContent = 'Đang tiếp quản…';
    $('pair-takeover-btn').classList.add('busy');
    try {
      const link = this.getLink();
      if (!link) throw { code: 'offline' };
      await link.command({ type: 'takeover' });
      const view = this.getView();
      const epoch = view && view.epoch > p.epoch ? view.epoch : p.epoch + 1;
      const done = $('pair-done');
      done.textContent = `Đã tiếp quản: máy này là máy chính (phiên ${epoch})`;
      done.hidden = false;
      toast(done.textContent, 'ok');
    } catch (err) {
      toast(takeoverError(err), 'error');
    } finally {
      this.busy = false;
      $('pair-takeover-btn').classList.remove('busy');
      this.finishHold();
    }
  }

  finishHold() {
    this.resetHold();
    this.renderTakeover();
  }

  // renderTakeover shows the takeover on a standby only, red when the
  // primary is lost.
  renderTakeover() {
    const p = this.pair;
    const box = $('pair-takeover');
    const standby = Boolean(p && p.role === 'standby');
    box.hidden = !standby;
    if (!standby) return;
    const urgent = !p.connected;
    toggle(box, 'urgent', urgent);
    const btn = $('pair-takeover-btn');
    toggle(btn, 'urgent', urgent);
    btn.disabled = this.busy;
    $('pair-takeover-what').textContent = takeoverWhat(p.epoch);
    const cancelled = Date.now() - this.cancelledAt < 1800;
    if (!btn.classList.contains('holding') && !this.busy && !cancelled) $('pair-takeover-hint').textContent = 'giữ 2 giây';
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
    this.renderTakeover();
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
