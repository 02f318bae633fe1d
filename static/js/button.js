// button.js: the on-screen launch button (/button) for a touch screen on
// the podium. It joins as a button client with the key from its link
// (#key=…&button=nut-1&name=…). Each touch is one press with its own id;
// the server counts each button once and fires when enough have pressed.

import { Link } from './link.js';
import { $, params, uid } from './util.js';
import { vnError } from './errors.js';
import { keepAwake } from './ui.js';

const p = params();
const body = document.body;
const buttonId = p.button || '';
const name = p.name || buttonId;
let link = null;
let view = null;
let connected = false;
let busy = false;
let note = ''; // a short-lived line after a press
let noteTimer = 0;

function mine(v) {
  return Boolean(v && (v.launch.presses || []).some((x) => x.button === buttonId));
}

function stateOf() {
  if (!connected) return view ? 'offline' : 'connecting';
  const l = view ? view.launch : { phase: 'idle' };
  if (l.phase === 'fired') return 'fired';
  if (l.phase === 'armed') return mine(view) ? 'counted' : 'armed';
  return 'idle';
}

const LABELS = {
  connecting: 'ĐANG KẾT NỐI',
  offline: 'MẤT KẾT NỐI',
  idle: 'CHƯA\nKÍCH HOẠT',
  armed: 'BẤM ĐỂ\nPHÁT ĐỘNG',
  counted: 'ĐÃ\nGHI NHẬN',
  fired: 'ĐÃ\nPHÁT ĐỘNG',
};

function hintOf(state) {
  const l = (view && view.launch) || {};
  const n = (l.presses || []).length;
  const k = l.required || 1;
  switch (state) {
    case 'connecting':
      return 'Đang kết nối với máy chủ…';
    case 'offline':
      return 'Mất kết nối với máy chủ – đang kết nối lại…';
    case 'idle':
      return 'Chờ MC kích hoạt nút phát động.';
    case 'armed':
      return k > 1 ? `Cần ${k} nút cùng bấm – đã bấm ${n}/${k}.` : 'Kính mời lãnh đạo bấm nút.';
    case 'counted':
      return `Chờ các nút khác: đã bấm ${n}/${k}.`;
    case 'fired':
      return 'Phong trào đã được phát động.';
  }
  return '';
}

function render() {
  const state = stateOf();
  body.dataset.state = state;
  $('bp-label').textContent = LABELS[state];
  $('bp-hint').textContent = note || hintOf(state);
}

function flash(text) {
  note = text;
  clearTimeout(noteTimer);
  noteTimer = setTimeout(() => {
    note = '';
    render();
  }, 3000);
  const b = $('bp-button');
  b.classList.remove('flash');
  void b.offsetWidth;
  b.classList.add('flash');
  render();
}

async function press(e) {
  e.preventDefault();
  if (!link || busy) return;
  busy = true;
  if (navigator.vibrate) navigator.vibrate(40);
  try {
    const answer = await link.press(`${buttonId}-${uid()}`);
    flash(answer.outcome === 'fired' ? 'Đã phát động!' : 'Đã ghi nhận lần bấm.');
  } catch (err) {
    const code = err && err.code;
    if (code === 'not_armed') flash('Nút chưa được kích hoạt – lần bấm không được tính.');
    else if (code === 'duplicate') flash(stateOf() === 'fired' ? 'Đã phát động rồi.' : 'Nút này đã được ghi nhận.');
    else flash(vnError(err, 'press'));
  } finally {
    busy = false;
  }
}

function main() {
  $('bp-name').textContent = name;
  if (!p.key || !buttonId) {
    body.dataset.state = 'offline';
    $('bp-label').textContent = 'THIẾU MÃ NÚT';
    $('bp-hint').textContent = 'Đường dẫn phải có dạng /button#key=…&button=nut-1&name=… (hỏi kỹ thuật viên).';
    return;
  }
  link = new Link({ role: 'button', name, key: p.key, button: buttonId });
  link.on('state', (v) => {
    view = v;
    render();
  });
  link.on('status', (s) => {
    connected = s.connected;
    render();
  });
  link.on('error', (err) => {
    if (err && err.code === 'unauthorized') {
      note = 'Mã nút không đúng hoặc đã bị thu hồi – hãy hỏi kỹ thuật viên đường dẫn mới.';
      render();
    }
  });
  $('bp-button').addEventListener('pointerdown', press);
  $('bp-button').addEventListener('contextmenu', (e) => e.preventDefault());
  link.start();
  keepAwake();
  render();
}

main();
