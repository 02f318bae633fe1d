// edit-keys-venue.js: what the panel "Thiết bị và khoá" (edit-keys.js,
// edit-keys-form.js) knows of a district hall ("điểm cầu"): its delay, how
// the list shows it, and the box that shows a new venue's command line and
// key this once. A venue's key opens no page: the hall's own phatdong
// server presents it to follow the show over the NATS leaf link.

import { el } from './util.js';

// MAX_DELAY_MS bounds a hall's video-feed delay, as access.MaxDelayMs.
export const MAX_DELAY_MS = 10000;

// PLACEHOLDER stands for the province's leaf address when the server knows
// none, as display.VenuePlaceholder.
const PLACEHOLDER = 'HOST:7422';

// fmtMs writes a delay in ms with Vietnamese thousands separators: 1.500 ms.
export function fmtMs(ms) {
  return `${String(ms || 0).replace(/\B(?=(\d{3})+(?!\d))/g, '.')} ms`;
}

// checkDelay returns what is wrong with the delay typed, '' when nothing.
export function checkDelay(text) {
  const t = text.trim();
  if (t === '') return '';
  if (!/^\d+$/.test(t) || Number(t) > MAX_DELAY_MS) {
    return `Độ trễ là số nguyên mili giây, từ 0 đến ${MAX_DELAY_MS}.`;
  }
  return '';
}

// delayCell is the list's cell for a venue: its delay.
export function delayCell(c) {
  return el('span', { class: 'k-delay' }, `Độ trễ hình ${fmtMs(c.delayMs)}`);
}

// venueOnce is the content of the box that shows a new venue's command
// line and key; its copy buttons name the node they copy (data-copy).
export function venueOnce(ans) {
  const copy = (id, text) => el('button', { class: 'btn', type: 'button', id: `${id}-copy`, dataset: { copy: id } }, text);
  return [
    el('p', {}, 'Chạy dòng lệnh này trên máy chủ phatdong của điểm cầu (máy của huyện), rồi để máy chạy suốt buổi lễ:'),
    el('pre', { id: 'key-command', class: 'k-secret' }, ans.command),
    el('div', { class: 'k-once-acts' }, copy('key-command', 'Sao chép dòng lệnh')),
    ans.command.includes(PLACEHOLDER)
      ? el('p', { class: 'k-why', id: 'key-command-host' }, `Máy chủ chưa biết địa chỉ kết nối cho điểm cầu: hãy thay ${PLACEHOLDER} bằng địa chỉ IP của máy chủ tỉnh.`)
      : null,
    el('p', {}, 'Khoá của điểm cầu (chỉ dùng cho máy chủ điểm cầu, không mở được trang điều khiển hay nút bấm):'),
    el('code', { id: 'key-venue', class: 'k-secret' }, ans.venueKey),
    el('div', { class: 'k-once-acts' }, copy('key-venue', 'Sao chép khoá')),
  ];
}
