// mc.js: the MC's tablet (/mc). It asks for the operator token once (or
// takes it from #token=… in the link) and remembers it on the device, then
// follows the state: two operators see each other's actions at once, since
// both draw the same state from the server.

import { Link } from './link.js';
import { $, el, params, setText, toggle, fmtClock, fmtMinutes, fmtRemaining } from './util.js';
import { readClock, LEVELS, PHASE_LABELS, KIND_LABELS } from './countdown.js';
import { NetBanner, askToken, toast, keepAwake } from './ui.js';
import { takeTokenFromLink, loadToken, saveToken, forgetToken } from './token.js';
import { Commander, startStopLabel } from './mc-commands.js';
import { Rundown } from './mc-rundown.js';
import { drawDrift } from './plan.js';
import { LaunchPanel } from './mc-launch.js';
import { DevicesPanel } from './mc-devices.js';
import { MessagePanel } from './mc-message.js';
import { PairPanel } from './mc-pair.js';
import { VenuesPanel, armNotes } from './mc-venues.js';
import { HallMode, PROVINCE_RUNS } from './mc-hall.js';
import { MediaPanel, FILM_NO_TIME, isFilm } from './mc-media.js';
import { ConnectPanel } from './mc-connect.js';
import { DoctorPanel } from './mc-doctor.js';
import { Identify } from './identify.js';
import { shortcuts } from './keys.js';
import { vnError } from './errors.js';

const p = params();
let link = null;
let view = null;
let show = null;
let lastKindLaunch = false;
let token = '';

const banner = new NetBanner();
const cmd = new Commander(() => link, () => view);
const rundown = new Rundown($('rundown'), $('rd-summary'), (id, button) => cmd.send({ type: 'goto', segment: id }, button));
const launch = new LaunchPanel(cmd);
const doctor = new DoctorPanel();
const devices = new DevicesPanel(() => link);
const message = new MessagePanel(cmd);
const pair = new PairPanel(() => link, () => render(), () => view);
const venues = new VenuesPanel(() => link, () => token);
const hall = new HallMode(() => link);
const media = new MediaPanel();
new ConnectPanel($('pane-connect'));

// Tabs of the side column.
function selectTab(name) {
  for (const t of document.querySelectorAll('.tab')) toggle(t, 'on', t.dataset.tab === name);
  for (const pane of document.querySelectorAll('.pane')) pane.hidden = pane.id !== `pane-${name}`;
}
for (const t of document.querySelectorAll('.tab')) t.addEventListener('click', () => selectTab(t.dataset.tab));

// Controls.
const controls = {
  next: () => cmd.send({ type: 'next' }, $('btn-next')),
  previous: () => cmd.send({ type: 'previous' }, $('btn-prev')),
  startStop: () => cmd.startStop($('btn-startstop')),
  // A film is its segment's clock: the server refuses time added to it,
  // so the keys only say so.
  plus: () => (isFilm(view) ? toast(FILM_NO_TIME) : cmd.send({ type: 'add-time', seconds: 60 }, $('btn-plus'))),
  minus: () => (isFilm(view) ? toast(FILM_NO_TIME) : cmd.send({ type: 'add-time', seconds: -60 }, $('btn-minus'))),
  blackout: () => cmd.send({ type: 'blackout', on: !(view && view.blackout) }, $('btn-blackout')),
};
$('btn-next').addEventListener('click', controls.next);
$('btn-prev').addEventListener('click', controls.previous);
$('btn-startstop').addEventListener('click', controls.startStop);
$('btn-plus').addEventListener('click', controls.plus);
$('btn-minus').addEventListener('click', controls.minus);
$('btn-blackout').addEventListener('click', controls.blackout);
$('btn-reset-timer').addEventListener('click', (e) => cmd.send({ type: 'reset-timer' }, e.currentTarget));
$('btn-rehearsal').addEventListener('click', (e) => cmd.send({ type: 'rehearsal', on: !(view && view.rehearsal) }, e.currentTarget));
// A standby refuses commands, a district hall all but its own: their keys
// say so instead of sending them.
shortcuts(Object.fromEntries(Object.entries(controls).map(([k, f]) =>
  [k, () => {
    if (pair.isStandby()) toast(vnError('not_primary'), 'error');
    else if (!hall.allows(k)) toast(PROVINCE_RUNS, 'error');
    else f();
  }])));

function notesOf(v) {
  if (!show || !v) return '';
  const seg = show.segments.find((g) => g.id === v.current.id);
  return (seg && seg.notes) || '';
}

function render() {
  if (!view) return;
  const v = view;
  const cur = v.current;
  document.title = `${cur.title} – Điều khiển MC`;
  setText($('mc-title'), v.show.title);
  const kind = $('cur-kind');
  kind.textContent = KIND_LABELS[cur.kind] || cur.kind;
  kind.className = `kind ${cur.kind}`;
  setText($('cur-index'), `Mục ${cur.index + 1}/${v.show.segmentCount}`);
  const added = v.timer.addedMs ? ` · ${v.timer.addedMs > 0 ? 'thêm' : 'bớt'} ${fmtMinutes(Math.abs(v.timer.addedMs))}` : '';
  setText($('cur-planned'), `Dự kiến ${fmtMinutes(cur.durationMs)}${added}`);
  setText($('cur-title'), cur.title);
  setText($('cur-speaker'), cur.speaker || '');
  setText($('cur-notes'), notesOf(v) || 'Không có ghi chú.');
  const next = $('next-card');
  next.replaceChildren(v.next
    ? el('span', {}, 'Tiếp theo: ', el('b', {}, v.next.title), v.next.speaker ? ` — ${v.next.speaker}` : '', ` · ${fmtMinutes(v.next.durationMs)}`)
    : el('span', {}, 'Đây là mục cuối cùng của chương trình.'));
  const ss = $('btn-startstop');
  ss.textContent = startStopLabel(v);
  toggle(ss, 'pause', v.timer.phase === 'running');
  $('btn-next').disabled = !v.next;
  $('btn-prev').disabled = cur.index === 0;
  $('btn-minus').disabled = v.timer.durationMs + v.timer.addedMs - 60000 < 0;
  const film = isFilm(v);
  $('btn-plus').hidden = film;
  $('btn-minus').hidden = film;
  if (film && v.timer.phase === 'done') {
    ss.textContent = 'Phim đã hết';
    ss.disabled = true;
  } else {
    ss.disabled = false;
  }
  const bo = $('btn-blackout');
  bo.setAttribute('aria-pressed', String(Boolean(v.blackout)));
  bo.textContent = v.blackout ? 'MÀN CHIẾU ĐANG TẮT' : 'Tắt màn chiếu';
  const rh = $('btn-rehearsal');
  rh.setAttribute('aria-pressed', String(Boolean(v.rehearsal)));
  rh.textContent = v.rehearsal ? 'Tập dượt: BẬT' : 'Tập dượt: tắt';
  const chip = $('chip-launch');
  const l = v.launch;
  chip.hidden = l.phase === 'idle';
  chip.className = `chip ${l.phase}`;
  chip.textContent = l.phase === 'armed'
    ? `Đã kích hoạt ${(l.presses || []).length}/${l.required || 1}`
    : 'Đã phát động';
  // Entering the launch segment brings its panel forward.
  const isLaunch = cur.kind === 'launch';
  if (isLaunch && !lastKindLaunch) selectTab('launch');
  lastKindLaunch = isLaunch;
  rundown.setView(v);
  launch.setView(v);
  doctor.setView(v);
  message.setView(v);
  media.setView(v);
  pair.lock(); // a standby's controls stay disabled whatever the state allows
}

function tick() {
  setText($('mc-wall'), link ? fmtClock(link.serverNow()) : '');
  if (!view || !link) return;
  drawDrift($('chip-plan'), view, link.serverNow());
  rundown.setNow(link.serverNow());
  const c = readClock(link, view);
  const clock = $('cur-clock');
  setText(clock, c.text);
  const bar = $('cur-bar');
  bar.style.transform = `scaleX(${c.progress.toFixed(4)})`;
  for (const lv of LEVELS) {
    toggle(clock, `lv-${lv}`, lv === c.level);
    toggle(bar, `bar-${lv}`, lv === c.level);
  }
  const phase = $('cur-phase');
  setText(phase, c.level === 'over' ? `quá giờ ${fmtRemaining(c.remaining).slice(1)}` : PHASE_LABELS[c.phase]);
  toggle(phase, 'paused', c.phase === 'paused');
}
setInterval(tick, 200);

function setNet(s) {
  banner.set(s.connected);
  const chip = $('chip-net');
  chip.className = `chip ${s.connected ? 'ok' : 'bad'}`;
  chip.textContent = s.connected ? 'Đã kết nối' : 'Mất kết nối';
}

// connect opens the operator link with the token t; a refused token is
// forgotten and asked for again.
function connect(t) {
  if (link) link.stop();
  token = t;
  const l = new Link({ role: 'operator', name: p.name || 'Máy tính bảng MC', token: t });
  link = l;
  l.on('state', (v) => {
    view = v;
    render();
    tick();
  });
  l.on('show', (s) => {
    show = s;
    rundown.setShow(s);
    render();
  });
  l.on('devices', (msg) => {
    devices.set(msg);
    media.setDevices(msg.devices);
    launch.setFire(msg.fire);
    launch.setVenueNotes(armNotes(msg.venues));
    venues.set(msg.venues);
    hall.set(msg.hall);
    pair.set(msg.pair); // last: it locks a standby's controls the panels drew
  });
  l.on('status', setNet);
  Identify.follow(l);
  l.on('error', async (err) => {
    if (l !== link) return;
    if (err && err.code === 'unauthorized') {
      l.stop();
      forgetToken();
      const again = await askToken('Mã điều khiển không đúng. Hãy nhập lại mã do kỹ thuật viên cung cấp.');
      saveToken(again);
      connect(again);
    } else if (err && err.code === 'rate_limited') {
      toast('Thử sai mã quá nhiều lần. Hãy đợi một lát rồi thử lại.', 'error');
    }
  });
  l.start();
}

async function main() {
  keepAwake();
  let t = takeTokenFromLink() || loadToken();
  if (!t) {
    t = await askToken();
    saveToken(t);
  }
  connect(t);
}

main();
