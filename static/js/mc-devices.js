// mc-devices.js: every connected screen and button, with its round trip,
// its clock offset, how smoothly it drew its last moment and when it was
// last heard, and after a fire the spread of the instants the screens
// started the moment.

import { $, el } from './util.js';
import { fmtMs } from './mc-launch.js';
import { identify } from './mc-connect.js';

// IDENTIFIABLE are the roles whose page shows its name when asked.
const IDENTIFIABLE = new Set(['stage', 'presenter', 'operator']);

// ROLE_LABELS names the roles of devices.
export const ROLE_LABELS = {
  stage: 'Màn chiếu',
  presenter: 'Màn diễn giả',
  operator: 'Điều khiển',
  button: 'Nút bấm',
  monitor: 'Giám sát',
};

// QUALITY_NAMES names the moment's quality levels (js/fire-quality.js).
const QUALITY_NAMES = ['tối giản', 'nhẹ', 'vừa', 'đầy đủ'];

// SMOOTH_FPS and SMOOTH_GAP_MS: a screen that drew its last moment slower
// or with a longer gap is shown in amber, for the technician to look at.
const SMOOTH_FPS = 50;
const SMOOTH_GAP_MS = 50;

// momentCell shows how smoothly a screen drew its last moment: frames per
// second, the quality it chose, and its longest gap when that was long.
export function momentCell(m) {
  if (!m) return el('td', { class: 'num' }, '—');
  const smooth = m.fps >= SMOOTH_FPS && m.maxGapMs <= SMOOTH_GAP_MS;
  const gap = m.maxGapMs > SMOOTH_GAP_MS ? `, khựng ${Math.round(m.maxGapMs)} ms` : '';
  return el('td', { class: `num moment${smooth ? '' : ' rough'}`, title: `Khung hình trung vị ${m.medianMs} ms` },
    `${Math.round(m.fps)} hình/giây`, el('div', { class: 'dev-role' }, `${QUALITY_NAMES[m.quality] || m.quality}${gap}`));
}

// STALE_MS: a device not heard from for this long is shown in amber.
const STALE_MS = 10000;

// ago writes how long ago a server time was, in words.
export function ago(ms) {
  if (!Number.isFinite(ms)) return '—';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 3) return 'vừa xong';
  if (s < 60) return `${s} giây trước`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} phút trước` : `${Math.floor(m / 60)} giờ trước`;
}

// showWarnings shows what the operators should act on before the show
// (the server's words, e.g. the old shared button key still opening), above
// everything, until the server stops sending it.
export function showWarnings(warnings) {
  const box = $('mc-warnings');
  box.hidden = warnings.length === 0;
  box.replaceChildren(...warnings.map((w) => el('div', { class: 'mc-warning', dataset: { code: w.code } }, w.message)));
}

// DevicesPanel draws the devices message.
export class DevicesPanel {
  constructor(link) {
    this.getLink = link;
    this.msg = null;
    setInterval(() => this.render(), 1000);
  }

  set(msg) {
    this.msg = msg;
    this.render();
    showWarnings(msg.warnings || []);
  }

  render() {
    const msg = this.msg;
    if (!msg) return;
    const link = this.getLink();
    const now = link ? link.serverNow() : Date.now();
    const devices = [...(msg.devices || [])];
    const order = Object.keys(ROLE_LABELS);
    devices.sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role) || String(a.name).localeCompare(String(b.name), 'vi'));
    const counts = {};
    for (const d of devices) counts[d.role] = (counts[d.role] || 0) + 1;
    $('dev-count').textContent = `(${devices.length})`;
    $('dev-summary').textContent = devices.length
      ? order.filter((r) => counts[r]).map((r) => `${ROLE_LABELS[r]}: ${counts[r]}`).join(' · ')
      : 'Chưa có thiết bị nào kết nối.';
    $('tab-devices').classList.toggle('alert', !counts.stage);
    const f = msg.fire;
    const fireBox = $('dev-fire');
    fireBox.hidden = !(f && f.fireId);
    if (f && f.fireId) {
      fireBox.textContent = f.reports > 0
        ? `Lần phát động ${f.fireId}: ${f.reports} màn hình báo cáo, độ lệch giữa các màn hình ${fmtMs(f.spreadMs)}.`
        : `Lần phát động ${f.fireId}: chưa có màn hình nào báo cáo.`;
    }
    const rows = devices.map((d) => {
      const seen = now - (d.lastSeen || 0);
      const offset = Number.isFinite(d.offsetMs) ? fmtMs(d.offsetMs) : '—';
      const rtt = Number.isFinite(d.rttMs) ? fmtMs(d.rttMs) : '—';
      return el('tr', { class: seen > STALE_MS ? 'stale' : '', dataset: { role: d.role, id: d.id } },
        el('td', {}, el('div', { class: 'dev-name' }, d.name || d.id),
          el('div', { class: 'dev-role' }, `${ROLE_LABELS[d.role] || d.role}${d.addr ? ` · ${d.addr}` : ''}`),
          IDENTIFIABLE.has(d.role) && el('button', { class: 'btn dev-identify', type: 'button', onclick: () => identify(d.id) }, 'Nhận diện')),
        el('td', { class: 'num' }, rtt),
        el('td', { class: 'num' }, offset),
        momentCell(d.moment),
        el('td', { class: 'num' }, d.lastSeen ? ago(seen) : '—'));
    });
    $('dev-rows').replaceChildren(...rows);
  }
}
