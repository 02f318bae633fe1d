// util.js: small helpers shared by every page: DOM building, reading the
// page's link parameters, and formatting times the way the hall reads them.

// el builds an element: el('div', {class: 'x', onclick: fn}, 'text', child…).
// Attributes starting with "on" become listeners; "dataset" and "style"
// take objects; a null or false attribute is skipped.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k === 'style' && typeof v === 'object') Object.assign(node.style, v);
    else if (k === 'class') node.className = v;
    else if (v === true) node.setAttribute(k, '');
    else node.setAttribute(k, String(v));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(node, c);
    else node.append(c instanceof Node ? c : String(c));
  }
}

// $ finds one element by id and fails loudly when the page lacks it.
export function $(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`missing element #${id}`);
  return node;
}

// setText changes a node's text only when it differs, so that a render loop
// running every frame does not make the browser lay out again for nothing.
export function setText(node, text) {
  const s = String(text ?? '');
  if (node.textContent !== s) node.textContent = s;
}

// toggle sets or clears a class only when needed.
export function toggle(node, cls, on) {
  if (node.classList.contains(cls) !== Boolean(on)) node.classList.toggle(cls, Boolean(on));
}

// params reads key=value pairs from the query string and the fragment (the
// fragment wins: credentials travel there so they never reach a server log).
export function params(loc = window.location) {
  const out = {};
  for (const src of [loc.search.slice(1), loc.hash.slice(1)]) {
    for (const [k, v] of new URLSearchParams(src)) out[k] = v;
  }
  return out;
}

// pad2 writes a number on two digits.
export function pad2(n) {
  return String(n).padStart(2, '0');
}

// fmtDuration writes a length of time as m:ss or h:mm:ss, rounding up so a
// countdown shows 00:01 until the very end of its last second.
export function fmtDuration(ms, round = Math.ceil) {
  const total = Math.max(0, round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad2(m)}:${pad2(s)}` : `${pad2(m)}:${pad2(s)}`;
}

// fmtRemaining writes the remaining time of a countdown: "mm:ss", or
// "+mm:ss" in overtime (negative remaining time).
export function fmtRemaining(ms) {
  if (ms < 0) return '+' + fmtDuration(-ms, Math.floor);
  return fmtDuration(ms, Math.ceil);
}

// fmtClock writes a Unix time (ms) as the local time of day, HH:MM:SS.
export function fmtClock(unixMs, seconds = true) {
  const d = new Date(unixMs);
  const hm = `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
  return seconds ? `${hm}:${pad2(d.getSeconds())}` : hm;
}

// fmtMinutes writes a planned length in minutes for a rundown: "15 phút",
// "1 giờ 30 phút", "45 giây".
export function fmtMinutes(ms) {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} giây`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} phút`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} giờ ${m % 60} phút` : `${h} giờ`;
}

const WEEKDAYS = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];

// fmtDate writes a show date (YYYY-MM-DD) the Vietnamese way:
// "Thứ Hai, ngày 14 tháng 4 năm 2025". An empty or odd date gives "".
export function fmtDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
  if (!m) return '';
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return `${WEEKDAYS[d.getDay()]}, ngày ${Number(m[3])} tháng ${Number(m[2])} năm ${m[1]}`;
}

// uid is a short random id for commands and presses.
export function uid() {
  const a = new Uint32Array(2);
  crypto.getRandomValues(a);
  return a[0].toString(36) + a[1].toString(36);
}
