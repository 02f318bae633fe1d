// mc-commands.js: how the MC's taps become commands. Every command either
// goes through or fails visibly (a toast in Vietnamese); none is silently
// lost. Next, Previous and Goto carry the state sequence they were decided
// on, so two operators pressing Next together advance once.

import { toast } from './ui.js';
import { vnError } from './errors.js';

// SEQ_BOUND are the commands decided on what the operator saw.
const SEQ_BOUND = new Set(['next', 'previous', 'goto']);

// Commander sends commands over the link for the MC page.
export class Commander {
  constructor(getLink, getView) {
    this.getLink = getLink;
    this.getView = getView;
    this.inFlight = new Map(); // key → promise, so a double tap sends once
  }

  // send sends cmd; button (optional) shows it is busy. It resolves with
  // the answer, or with null after showing why the command failed.
  async send(cmd, button = null) {
    // A toggle's key holds the side it asks for: a tap that undoes one
    // whose answer is still on its way (the new state can arrive first)
    // is a command of its own, not a double tap.
    const key = cmd.type + (cmd.segment ? ':' + cmd.segment : '') + (cmd.on === undefined ? '' : ':' + cmd.on);
    if (this.inFlight.has(key)) return this.inFlight.get(key);
    const view = this.getView();
    const full = { ...cmd };
    if (SEQ_BOUND.has(cmd.type) && view && full.seq === undefined) full.seq = view.seq;
    const link = this.getLink();
    if (button) button.classList.add('busy');
    const run = (async () => {
      try {
        if (!link) throw { code: 'offline' };
        return await link.command(full);
      } catch (err) {
        toast(vnError(err, cmd.type), 'error');
        return null;
      } finally {
        if (button) button.classList.remove('busy');
        this.inFlight.delete(key);
      }
    })();
    this.inFlight.set(key, run);
    return run;
  }

  // startStop is the one button for the clock: start, pause or resume.
  startStop(button) {
    const v = this.getView();
    const phase = (v && v.timer && v.timer.phase) || 'ready';
    if (phase === 'running') return this.send({ type: 'pause' }, button);
    if (phase === 'paused') return this.send({ type: 'resume' }, button);
    if (phase === 'done') return this.send({ type: 'add-time', seconds: 60 }, button);
    return this.send({ type: 'start' }, button);
  }
}

// startStopLabel is the label of the clock button for a state.
export function startStopLabel(view) {
  const phase = (view && view.timer && view.timer.phase) || 'ready';
  return { running: 'Tạm dừng', paused: 'Tiếp tục', done: 'Thêm 1 phút', ready: 'Bắt đầu' }[phase] || 'Bắt đầu';
}
