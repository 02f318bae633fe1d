// mc-doctor.js: the preflight on the MC's devices tab (issue #17, the
// same checklist as `phatdong doctor`): the server judges its addresses,
// disk, every device's clock, link and frame rate and the roles no device
// holds (GET /api/v1/doctor), and this panel lists the lines, what failed
// first in red with what to do. In rehearsal it also tests the buttons'
// lights (POST /api/v1/doctor/press): nothing fires, no screen changes.

import { $, el, fmtClock } from './util.js';
import { toast } from './ui.js';
import { vnError } from './errors.js';
import { api } from './mc-api.js';

// checkItems are the list's items for the server's checks, the failed
// ones first, each with what to fix.
export function checkItems(checks) {
  const sorted = [...checks].sort((a, b) => Number(a.ok) - Number(b.ok));
  return sorted.map((c) => el('li', { class: c.ok ? 'ok' : 'bad' },
    `${c.ok ? '✔' : '✘'} ${c.text}`, c.ok ? null : el('div', { class: 'fix' }, `→ ${c.fix}`)));
}

// summary says how the preflight went.
export function summary(checks, at) {
  const failed = checks.filter((c) => !c.ok).length;
  return failed === 0
    ? `Mọi mục đều đạt (lúc ${fmtClock(at)}).`
    : `Có ${failed} mục chưa đạt (lúc ${fmtClock(at)}): sửa theo hướng dẫn (→) rồi kiểm tra lại.`;
}

// DoctorPanel runs the preflight and the test of the buttons' lights.
export class DoctorPanel {
  constructor() {
    $('doc-run').addEventListener('click', () => this.run());
    $('doc-press').addEventListener('click', () => this.press());
  }

  async run() {
    const btn = $('doc-run');
    btn.classList.add('busy');
    try {
      const d = await (await api('GET', '/api/v1/doctor')).json();
      const checks = d.checks || [];
      $('doc-list').replaceChildren(...checkItems(checks));
      $('doc-list').hidden = false;
      const sum = $('doc-sum');
      sum.textContent = summary(checks, d.serverTime);
      sum.className = `doc-sum ${checks.every((c) => c.ok) ? 'ok' : 'bad'}`;
      sum.hidden = false;
    } catch (err) {
      toast(`Không kiểm tra được: ${vnError(err)}`, 'error');
    } finally {
      btn.classList.remove('busy');
    }
  }

  async press() {
    try {
      const out = await (await api('POST', '/api/v1/doctor/press')).json();
      toast(out.sent > 0
        ? `Đã gửi lệnh thử tới ${out.sent} nút: đèn nháy nhanh 2 giây (màn hình không đổi), hãy nhìn đèn trên bục.`
        : 'Không có nút bấm nào để thử: kết nối nút bấm trước.', out.sent > 0 ? '' : 'error');
    } catch (err) {
      toast(`Không thử được đèn nút bấm: ${vnError(err)}`, 'error');
    }
  }

  // setView enables the test of the lights in rehearsal only.
  setView(view) {
    const b = $('doc-press');
    b.disabled = !view.rehearsal;
    b.title = view.rehearsal ? '' : 'Chỉ dùng được trong chế độ tập dượt';
  }
}
