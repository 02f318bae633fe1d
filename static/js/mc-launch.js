// mc-launch.js: the launch panel of the MC tablet: arm and disarm, the
// presses counted against those required, the backup fire (hold 1.5 s),
// the reset (rehearsal only), and after the fire its source and the
// spread the screens measured, and how its cues to the hall's other
// systems went. Before the fire, by the Arm button, the district halls
// that would start late or are not linked.

import { $, el, fmtClock } from './util.js';
import { holdButton, HOLD_MS } from './hold.js';
import { confirmDialog, toast } from './ui.js';
import { cueLines } from './mc-cues.js';

// sourceLabel names what fired the launch.
export function sourceLabel(source, presses = []) {
  if (!source) return '';
  if (source === 'backup') return 'MC bấm dự phòng';
  if (source.startsWith('button:')) {
    const id = source.slice(7);
    const p = presses.find((x) => x.button === id);
    return p && p.name ? `${p.name} (${id})` : `nút ${id}`;
  }
  if (source === 'api') return 'lệnh API';
  return source;
}

// fmtMs writes milliseconds the Vietnamese way: "2,1 ms".
export function fmtMs(ms) {
  if (!Number.isFinite(ms)) return '—';
  return `${ms.toLocaleString('vi-VN', { maximumFractionDigits: 1 })} ms`;
}

// LaunchPanel draws the launch state and sends its commands.
export class LaunchPanel {
  constructor(commander) {
    this.cmd = commander;
    this.view = null;
    this.fire = null; // the devices message's fire figures
    this.venueNotes = []; // halls late or not linked (mc-venues.js armNotes)
    this.resetHold = holdButton($('lp-fire'), $('lp-ring'), {
      ms: HOLD_MS,
      onHold: () => this.backupFire(),
      onCancel: () => {
        $('lp-fire-hint').textContent = 'Đã hủy – phải giữ đủ 1,5 giây';
        setTimeout(() => this.render(), 1800);
      },
    });
    $('lp-arm').addEventListener('click', (e) => this.armOrDisarm(e.currentTarget));
    $('lp-reset').addEventListener('click', (e) => this.reset(e.currentTarget));
  }

  async backupFire() {
    $('lp-fire-hint').textContent = 'Đang gửi lệnh…';
    const answer = await this.cmd.send({ type: 'fire' });
    if (answer) toast('Đã phát động (dự phòng).', 'ok');
    this.resetHold();
    this.render();
  }

  armOrDisarm(button) {
    const phase = this.view && this.view.launch.phase;
    this.cmd.send({ type: phase === 'armed' ? 'disarm' : 'arm' }, button);
  }

  async reset(button) {
    const ok = await confirmDialog('Đặt lại phát động?',
      'Trạng thái phát động trở về ban đầu để tập dượt lại. Chỉ dùng trong chế độ tập dượt.', 'Đặt lại', 'danger');
    if (ok) this.cmd.send({ type: 'reset-launch' }, button);
  }

  setView(view) {
    this.view = view;
    this.render();
  }

  setFire(fire) {
    this.fire = fire || null;
    this.render();
  }

  // setVenueNotes takes the lines on the district halls to show by the
  // Arm button; none hides the note.
  setVenueNotes(lines) {
    this.venueNotes = lines || [];
    this.render();
  }

  render() {
    const v = this.view;
    if (!v) return;
    const l = v.launch || {};
    const state = $('lp-state');
    state.className = `lp-state ${l.phase}`;
    state.textContent = { idle: 'Chưa kích hoạt', armed: 'ĐÃ KÍCH HOẠT – chờ bấm nút', fired: 'ĐÃ PHÁT ĐỘNG' }[l.phase] || l.phase;
    const presses = l.presses || [];
    const k = l.required || 1;
    const counter = $('lp-presses');
    counter.replaceChildren();
    if (l.phase === 'armed' || presses.length) {
      counter.append('Đã bấm ', el('span', { class: 'n' }, `${presses.length}/${k}`), ' nút');
    } else {
      counter.append(k > 1 ? `Cần ${k} nút bấm trong ${Math.round((l.windowMs || 0) / 1000)} giây` : 'Cần 1 nút bấm');
    }
    $('lp-list').replaceChildren(...presses.map((p) =>
      el('li', {}, `✓ ${p.name || p.button} – ${fmtClock(p.at)}`)));
    const arm = $('lp-arm');
    arm.textContent = l.phase === 'armed' ? 'Hủy kích hoạt' : 'Kích hoạt nút phát động';
    arm.classList.toggle('disarm', l.phase === 'armed');
    arm.disabled = l.phase === 'fired';
    const notes = $('lp-venues');
    const lines = l.phase === 'fired' ? [] : this.venueNotes;
    notes.hidden = lines.length === 0;
    if (notes.textContent !== lines.join('')) notes.replaceChildren(...lines.map((s) => el('div', {}, s)));
    const fireBtn = $('lp-fire');
    fireBtn.disabled = l.phase !== 'armed';
    if (!fireBtn.classList.contains('holding')) {
      $('lp-fire-hint').textContent = l.phase === 'armed' ? 'Dự phòng: giữ 1,5 giây' : l.phase === 'fired' ? 'Đã phát động' : 'Kích hoạt trước';
    }
    const fired = $('lp-fired');
    fired.hidden = l.phase !== 'fired';
    if (l.phase === 'fired') {
      const lines = [{ text: `Phát động lúc ${fmtClock(l.fireAt || l.firedAt)} – nguồn: ${sourceLabel(l.source, presses)}.` }];
      const f = this.fire;
      if (f && f.fireId === l.fireId) {
        lines.push({ text: f.reports > 0
          ? `${f.reports} màn hình đã báo cáo; độ lệch giữa các màn hình: ${fmtMs(f.spreadMs)}.`
          : 'Chưa có màn hình nào báo cáo thời điểm bắt đầu.' });
        lines.push(...cueLines(f.cues));
      }
      fired.replaceChildren(...lines.map((s) => el('div', s.bad ? { class: 'cue-bad' } : {}, s.text)));
    }
    const reset = $('lp-reset');
    reset.disabled = !v.rehearsal || l.phase === 'idle';
    reset.title = v.rehearsal ? '' : 'Chỉ dùng được trong chế độ tập dượt';
  }
}
