// mc-venues.js: the district halls ("điểm cầu") that follow this province
// server (issue #15), as the province's MC sees them in the tab "Điểm cầu":
// each hall's link, round trip, clock, screens, video-feed delay (which
// the administrator may change here) and, after a fire, how its screens
// started the moment against the hall's instant. Only when the devices
// message carries venues. A province may have a hundred halls: the list
// is a compact scrolling table, the halls in trouble first.

import { $, el, toggle } from './util.js';
import { dialog, toast } from './ui.js';
import { codeOf, vnError } from './errors.js';

// MAX_DELAY_MS bounds a hall's delay, as access.MaxDelayMs.
export const MAX_DELAY_MS = 10000;

// ADMIN_ONLY is what a refused delay change (403) says.
export const ADMIN_ONLY = 'Chỉ quản trị viên đổi được độ trễ';

// num writes a number the Vietnamese way ("1.500", "-12,5"), with at
// most digits decimals.
export function num(x, digits = 0) {
  return Number(x || 0).toLocaleString('vi-VN', { maximumFractionDigits: digits });
}

// signed writes a number with its sign: "+0,4", "−1,2", "0".
export function signed(x, digits = 1) {
  const v = Number(x || 0);
  const s = num(Math.abs(v), digits);
  if (s === '0') return '0';
  return v < 0 ? `−${s}` : `+${s}`;
}

// venueName is a hall's name, or its id when it has none.
export function venueName(v) {
  return (v && (v.name || v.id)) || '';
}

// sinceText says how long ago a Unix ms time was, or "chưa bao giờ".
export function sinceText(at, now) {
  if (!at) return 'chưa liên lạc lần nào';
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 3) return 'vừa xong';
  if (s < 60) return `${s} giây trước`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} phút trước` : `${Math.floor(m / 60)} giờ trước`;
}

// clockText is a clock estimate: "lệch −12,5 ± 3,1 ms", or that there is
// none yet.
export function clockText(x) {
  if (!x || !x.synced) return 'chưa đồng bộ giờ';
  return `lệch ${signed(x.offsetMs)} ± ${num(x.errorMs, 1)} ms`;
}

// fireText is how a hall's screens started the last moment, against the
// hall's instant: "+0,4 … +2,5 ms · 3/4 màn hình · 1 vào muộn".
export function fireText(f) {
  if (!f) return '';
  const parts = [f.reports > 0 ? `${signed(f.earliestMs)} … ${signed(f.latestMs)} ms` : 'chưa có màn hình báo cáo'];
  parts.push(`${f.reports}/${f.sockets} màn hình`);
  if (f.late) parts.push(`${f.late} vào muộn`);
  return parts.join(' · ');
}

// armNotes are the lines shown by the Arm button: the halls not linked,
// then those that would start the moment late; none when all are fine.
export function armNotes(venues) {
  const down = [];
  const late = [];
  for (const v of venues || []) {
    if (!v.linked) down.push(`Điểm cầu ${venueName(v)} đang mất kết nối`);
    else if (v.lateMs > 0) late.push(`Điểm cầu ${venueName(v)} sẽ trễ ~${num(Math.round(v.lateMs))} ms`);
  }
  return [...down, ...late];
}

// checkDelay returns what is wrong with a delay typed, '' when nothing.
export function checkDelay(text) {
  const t = String(text).trim();
  if (!/^\d+$/.test(t) || Number(t) > MAX_DELAY_MS) return `Độ trễ là số nguyên mili giây, từ 0 đến ${num(MAX_DELAY_MS)}.`;
  return '';
}

// rank orders the halls: unlinked first, then late, then by name.
function rank(v) {
  if (!v.linked) return 0;
  return v.lateMs > 0 ? 1 : 2;
}

// VenuesPanel draws the venues in the tab "Điểm cầu" and edits a hall's
// delay over the HTTP API with the page's token.
export class VenuesPanel {
  // getLink gives the link (for the server's clock); getToken the
  // operator token the page connected with.
  constructor(getLink, getToken) {
    this.getLink = getLink;
    this.getToken = getToken;
    this.venues = null;
    this.busy = false;
    $('venue-rows').addEventListener('click', (e) => {
      const b = e.target.closest('[data-delay-of]');
      if (b) this.editDelay(b.dataset.delayOf);
    });
    setInterval(() => this.render(), 1000);
  }

  // set takes the venues of a devices message (undefined: none).
  set(venues) {
    this.venues = Array.isArray(venues) ? venues : null;
    this.render();
  }

  render() {
    const list = this.venues;
    const tab = $('tab-venues');
    tab.hidden = !list;
    if (!list) {
      if (!$('pane-venues').hidden) $('tab-msg').click();
      return;
    }
    const link = this.getLink();
    const now = link ? link.serverNow() : Date.now();
    const linked = list.filter((v) => v.linked).length;
    const bad = linked < list.length;
    $('venue-count').textContent = `(${linked}/${list.length})`;
    toggle(tab, 'alert', bad);
    const summary = $('venue-summary');
    summary.textContent = `${linked}/${list.length} điểm cầu đang kết nối`;
    toggle(summary, 'bad', bad);
    const sorted = [...list].sort((a, b) => rank(a) - rank(b) || venueName(a).localeCompare(venueName(b), 'vi'));
    $('venue-rows').replaceChildren(...sorted.map((v) => this.row(v, now)));
  }

  row(v, now) {
    const figures = [
      v.linked && v.rttMs ? `khứ hồi ${num(v.rttMs)} ms` : '',
      clockText(v),
      `${v.screens || 0} màn hình`,
    ].filter(Boolean).join(' · ');
    const state = v.linked
      ? el('span', { class: 'vn-state ok' }, 'Đang kết nối')
      : el('span', { class: 'vn-state bad' }, `Mất kết nối · lần cuối ${sinceText(v.lastContact, now)}`);
    const cls = ['vn-row', v.linked ? '' : 'bad', v.linked && v.lateMs > 0 ? 'late' : ''].join(' ').trim();
    return el('tr', { class: cls, dataset: { id: v.id } },
      el('td', {},
        el('div', { class: 'vn-name' }, venueName(v)),
        el('div', { class: 'vn-figs' }, state, ` · ${figures}`),
        v.linked && v.lateMs > 0 ? el('div', { class: 'vn-late' }, `sẽ trễ ~${num(Math.round(v.lateMs))} ms`) : null,
        v.fire ? el('div', { class: 'vn-fire' }, `Phát động: ${fireText(v.fire)}`) : null),
      el('td', { class: 'num' },
        el('button', { class: 'btn vn-edit', type: 'button', id: `venue-delay-${v.id}`, title: 'Sửa độ trễ hình', dataset: { delayOf: v.id } },
          `${num(v.delayMs)} ms ✎`)));
  }

  // editDelay asks for a hall's new delay and sends it.
  async editDelay(id) {
    const v = (this.venues || []).find((x) => x.id === id);
    if (!v || this.busy) return;
    const input = el('input', { type: 'text', inputmode: 'numeric', id: 'venue-delay-input', value: String(v.delayMs || 0) });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') document.querySelector('.modal [data-value="true"]')?.click();
    });
    const ok = await dialog({
      title: `Độ trễ hình – ${venueName(v)}`,
      text: `Số mili giây màn hình của điểm cầu chờ thêm để khớp với hình truyền về (0 đến ${num(MAX_DELAY_MS)}).`,
      fields: [input],
      buttons: [{ label: 'Hủy', value: false }, { label: 'Lưu', value: true, kind: 'primary' }],
    });
    if (ok !== true) return;
    const why = checkDelay(input.value);
    if (why) {
      toast(why, 'error');
      return;
    }
    const ms = Number(input.value.trim());
    this.busy = true;
    try {
      await this.patch(id, ms);
      toast(`Đã đặt độ trễ hình của ${venueName(v)}: ${num(ms)} ms`, 'ok');
    } catch (err) {
      toast(codeOf(err) === 'forbidden' ? ADMIN_ONLY : `Không đổi được độ trễ: ${vnError(err)}`, 'error');
    } finally {
      this.busy = false;
    }
  }

  // patch sends PATCH /api/v1/credentials/:id; it throws {code, status}
  // when refused.
  async patch(id, ms) {
    let res;
    try {
      res = await fetch(`/api/v1/credentials/${encodeURIComponent(id)}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${this.getToken()}` },
        body: JSON.stringify({ delayMs: ms }),
        cache: 'no-store',
      });
    } catch {
      throw { code: 'offline' };
    }
    if (res.ok) return;
    let body = null;
    try {
      body = await res.json();
    } catch {
      // An empty or non-JSON answer.
    }
    const code = (body && body.error && body.error.code) || (res.status === 403 ? 'forbidden' : 'internal');
    throw { code, status: res.status };
  }
}
