// edit-cues.js: the card of the launch's cues on /edit: OSC messages and
// HTTP requests the server sends at the moment of the launch (plus each
// cue's delay), once per fire. Plain fields carry data-path and go through
// the editor's own input handling; the kind, the arguments, the rehearsal
// switch and the add/remove buttons are handled here.

import { el } from './util.js';

const MAX_CUES = 32;

const KIND_OPTIONS = [['osc', 'OSC (bàn đèn, QLab, máy chiếu)'], ['http', 'HTTP (Companion, máy bắn pháo giấy)']];
const METHODS = ['POST', 'PUT', 'GET'];

// newCue is an empty cue of a kind.
function newCue(kind) {
  return kind === 'osc'
    ? { kind, target: '', address: '/', args: [], delayMs: 0, skipRehearsal: false }
    : { kind, target: 'http://', method: 'POST', body: '', delayMs: 0, skipRehearsal: false };
}

// argsText writes a cue's arguments as the user types them: strings in
// double quotes, numbers (a float with its point), true or false.
export function argsText(args) {
  return (args || []).map((a) => {
    if (typeof a === 'string') return JSON.stringify(a);
    if (a && typeof a === 'object' && typeof a.float === 'number') return Number.isInteger(a.float) ? a.float.toFixed(1) : String(a.float);
    return String(a);
  }).join(', ');
}

// splitArgs splits on the commas outside double quotes.
function splitArgs(text) {
  const out = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '\\') {
      cur += c + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return out;
}

// parseArgs reads what argsText writes; it throws a message in Vietnamese.
export function parseArgs(text) {
  if (text.trim() === '') return [];
  return splitArgs(text).map((raw) => {
    const t = raw.trim();
    if (t.startsWith('"')) {
      try {
        const s = JSON.parse(t);
        if (typeof s === 'string') return s;
      } catch { /* reported below */ }
      throw new Error(`Chuỗi ${t} chưa đóng ngoặc kép hoặc sai cách viết.`);
    }
    if (t === 'true' || t === 'false') return t === 'true';
    if (/^-?\d+$/.test(t)) {
      const n = Number(t);
      if (n < -2147483648 || n > 2147483647) throw new Error(`Số ${t} quá lớn (số nguyên 32 bit).`);
      return n;
    }
    if (/^-?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/.test(t)) return { float: Number(t) };
    throw new Error(`Tham số «${t}» không phải chuỗi trong ngoặc kép, số, true hay false.`);
  });
}

function field(label, path, value, opts = {}) {
  const input = opts.options
    ? el('select', {}, opts.options.map(([v, l]) => el('option', { value: v, selected: v === value }, l)))
    : el('input', { type: opts.int ? 'number' : 'text', value: value ?? '', placeholder: opts.placeholder || null });
  if (path) {
    input.dataset.path = path;
    input.dataset.type = opts.int ? 'int' : 'text';
  }
  if (opts.role) input.dataset.cue = opts.role;
  return el('label', { class: `field ${opts.cls || ''}` }, el('span', { class: 'lbl' }, label), input, el('span', { class: 'err' }));
}

// cueRow is the form of one cue.
function cueRow(c, i) {
  const p = `launch.cues[${i}]`;
  const osc = c.kind === 'osc';
  const skip = el('input', { type: 'checkbox', checked: Boolean(c.skipRehearsal), dataset: { cue: 'skip' } });
  return el('div', { class: 'cue seg-grid', dataset: { cueIndex: i } },
    field('Loại lệnh', '', c.kind, { options: KIND_OPTIONS, role: 'kind' }),
    osc
      ? field('Máy nhận (IP:cổng)', `${p}.target`, c.target, { placeholder: 'vd: 192.168.1.50:53000', cls: 'span2' })
      : field('Địa chỉ URL', `${p}.target`, c.target, { placeholder: 'vd: http://192.168.1.60:8000/api/location/1/0/1/press', cls: 'span2' }),
    field('Trễ sau lúc phát động (ms)', `${p}.delayMs`, c.delayMs ?? 0, { int: true }),
    osc ? field('Địa chỉ OSC', `${p}.address`, c.address, { placeholder: 'vd: /cue/7/go' }) : field('Phương thức', `${p}.method`, c.method || 'POST', { options: METHODS.map((m) => [m, m]) }),
    osc
      ? field('Tham số (cách nhau bởi dấu phẩy)', '', argsText(c.args), { placeholder: 'vd: "phát động", 1, 0.5', role: 'args', cls: 'span2' })
      : field('Nội dung gửi (body)', `${p}.body`, c.body, { placeholder: 'vd: {"on": true}', cls: 'span2' }),
    el('div', { class: 'cue-tail' },
      el('label', { class: 'check' }, skip, 'Bỏ qua khi tập dượt'),
      el('button', { class: 'btn icon danger', type: 'button', dataset: { cueAct: 'remove' }, title: 'Xóa lệnh này' }, '✕')));
}

// cuesCard is the card of show.launch.cues. changed(redraw) is called
// after every change this card handles itself; redraw asks for the form
// to be drawn again.
export function cuesCard(show, changed) {
  const cues = show.launch.cues || [];
  const card = el('section', { class: 'card ed-cues', id: 'ed-cues' },
    el('h2', {}, 'Lệnh gửi đi lúc phát động ', el('span', { class: 'muted' }, `(${cues.length}/${MAX_CUES})`)),
    el('p', { class: 'muted' }, 'Đúng lúc phát động (cộng độ trễ của từng lệnh), máy chủ chính gửi các lệnh này một lần: ' +
      'tin OSC tới bàn đèn, QLab, hay yêu cầu HTTP tới Companion, máy bắn pháo giấy. ' +
      'Lệnh «Bỏ qua khi tập dượt» không được gửi khi đang ở chế độ tập dượt.'),
    cues.map((c, i) => cueRow(c, i)),
    el('div', { class: 'cue-add' },
      el('button', { class: 'btn', type: 'button', dataset: { cueAct: 'add-osc' }, disabled: cues.length >= MAX_CUES }, '+ Thêm lệnh OSC'),
      el('button', { class: 'btn', type: 'button', dataset: { cueAct: 'add-http' }, disabled: cues.length >= MAX_CUES }, '+ Thêm lệnh HTTP')));

  const cueOf = (node) => {
    const row = node.closest('[data-cue-index]');
    return row ? [show.launch.cues[Number(row.dataset.cueIndex)], Number(row.dataset.cueIndex)] : [null, -1];
  };
  const own = (e) => {
    const role = e.target.dataset && e.target.dataset.cue;
    if (!role) return;
    e.stopPropagation(); // not a data-path field: the editor's handler must not see it
    const [c, i] = cueOf(e.target);
    if (!c) return;
    if (role === 'kind' && e.type === 'change') {
      show.launch.cues[i] = { ...newCue(e.target.value), target: '', delayMs: c.delayMs, skipRehearsal: c.skipRehearsal };
      changed(true);
    } else if (role === 'skip') {
      c.skipRehearsal = e.target.checked;
      changed(false);
    } else if (role === 'args') {
      const box = e.target.closest('.field');
      try {
        c.args = parseArgs(e.target.value);
        box.classList.remove('bad');
        box.querySelector('.err').textContent = '';
      } catch (err) {
        c.args = [{ invalid: e.target.value }]; // refused by the server too, if saved as is
        box.classList.add('bad');
        box.querySelector('.err').textContent = err.message;
      }
      changed(false);
    }
  };
  card.addEventListener('input', own);
  card.addEventListener('change', own);
  card.addEventListener('click', (e) => {
    const b = e.target.closest('[data-cue-act]');
    if (!b) return;
    show.launch.cues ||= [];
    const act = b.dataset.cueAct;
    if (act === 'remove') {
      const [, i] = cueOf(b);
      show.launch.cues.splice(i, 1);
    } else if (show.launch.cues.length < MAX_CUES) {
      show.launch.cues.push(newCue(act === 'add-osc' ? 'osc' : 'http'));
    }
    changed(true);
  });
  return card;
}
