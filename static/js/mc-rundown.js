// mc-rundown.js: the rundown on the MC tablet, with planned and actual
// times. A tap on a segment offers "Chuyển đến mục này" (goto, decided on
// the state the MC saw). With a planned start time, every segment shows its
// planned clock time, and every segment left its projected one (plan.js).

import { el, fmtClock, fmtDuration, fmtMinutes } from './util.js';
import { KIND_LABELS } from './countdown.js';
import { planAt } from './plan.js';

// Rundown draws the list into an <ol>.
export class Rundown {
  constructor(list, summary, onGoto) {
    this.list = list;
    this.summary = summary;
    this.onGoto = onGoto;
    this.show = null;
    this.view = null;
    this.open = ''; // id of the segment whose goto button is shown
    this.key = '';
    this.now = 0; // server time of the last tick, for the projection
    list.addEventListener('click', (e) => this.click(e));
  }

  setShow(show) {
    this.show = show;
    this.key = '';
    this.render();
  }

  setView(view) {
    this.view = view;
    this.render();
  }

  // setNow brings the projected clock times up to date at now.
  setNow(now) {
    this.now = now;
    this.render();
  }

  click(e) {
    const go = e.target.closest('[data-goto]');
    if (go) {
      this.open = '';
      this.onGoto(go.dataset.goto, go);
      this.key = '';
      this.render();
      return;
    }
    const item = e.target.closest('.rd-item');
    if (!item) return;
    this.open = this.open === item.dataset.id ? '' : item.dataset.id;
    this.key = '';
    this.render();
  }

  // render rebuilds the list when something it shows changed.
  render() {
    const { show, view } = this;
    if (!show) return;
    const cur = view ? view.current.index : -1;
    const runs = (view && view.runs) || {};
    const plan = view && view.plan && view.plan.starts.length === show.segments.length ? view.plan : null;
    const proj = plan ? planAt(plan, this.now || plan.at).projected : null;
    const clocks = proj ? proj.map((ms) => (ms ? fmtClock(ms, false) : '')) : null;
    const key = JSON.stringify([view && view.seq, cur, this.open, show.segments.length, runs, clocks]);
    if (key === this.key) return;
    this.key = key;
    let planned = 0;
    const items = show.segments.map((g, i) => {
      planned += g.durationSec * 1000;
      const run = runs[g.id];
      const cls = ['rd-item', i === cur ? 'current' : '', run && run.endedAt && i !== cur ? 'done' : ''].join(' ');
      const times = [el('span', {}, `Dự kiến ${fmtMinutes(g.durationSec * 1000)}`)];
      if (plan) times.push(clockTimes(plan, clocks, i, cur, run));
      if (run && run.startedAt) {
        times.push(el('span', {}, `Bắt đầu ${fmtClock(run.startedAt, false)}`));
        if (run.endedAt && i !== cur) {
          const over = run.elapsedMs - (Number.isFinite(run.plannedMs) ? run.plannedMs : g.durationSec * 1000);
          times.push(el('span', { class: over > 0 ? 'over' : 'under' },
            `Thực tế ${fmtDuration(run.elapsedMs, Math.round)}${over > 0 ? ` (quá ${fmtDuration(over, Math.round)})` : ''}`));
        }
      }
      const kind = KIND_LABELS[g.kind] || g.kind;
      return el('li', { class: cls, dataset: { id: g.id }, 'aria-current': i === cur ? 'step' : null },
        el('div', { class: 'rd-top' }, el('span', { class: 'rd-n' }, `${i + 1}.`), el('span', { class: 'rd-title' }, g.title)),
        el('div', { class: 'rd-times' }, el('span', {}, kind), times),
        this.open === g.id && i !== cur
          ? el('div', { class: 'rd-go' }, el('button', { class: 'btn primary', type: 'button', dataset: { goto: g.id } }, 'Chuyển đến mục này'))
          : null);
    });
    this.list.replaceChildren(...items);
    this.summary.textContent = `· ${show.segments.length} mục · ${fmtMinutes(planned)}`;
    const current = this.list.querySelector('.current');
    if (current && this.lastCur !== cur) {
      this.lastCur = cur;
      current.scrollIntoView({ block: 'nearest' });
    }
  }
}

// clockTimes is a segment's clock times: when it is due by the plan, and
// for a segment left, when it will start as the show runs now.
function clockTimes(plan, clocks, i, cur, run) {
  const planned = fmtClock(plan.starts[i], false);
  const left = i > cur || (i === cur && !(run && run.startedAt));
  if (!left) return el('span', { class: 'rd-plan' }, `Kế hoạch ${planned}`);
  const off = clocks[i] !== planned;
  return el('span', { class: `rd-proj${off ? ' off' : ''}` }, `Vào lúc ${clocks[i]}${off ? ` (kế hoạch ${planned})` : ''}`);
}
