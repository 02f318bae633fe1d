// mc-cues.js: how the launch's cues went at the fire (issue #18), for the
// MC's launch panel: a line of counts, then every cue that failed (with
// why, so the crew can trigger it by hand) or is still to go.

import { fmtClock } from './util.js';

// cueName names a cue as the crew set it up: its kind, target and what
// it says.
export function cueName(c) {
  return c.kind === 'osc' ? `OSC ${c.target} ${c.address || ''}`.trim() : `HTTP ${c.method || 'POST'} ${c.target}`;
}

// reasonText says why cue c failed: the server's words (the report
// says the same).
export function reasonText(c) {
  return c.why || 'lỗi mạng';
}

// cueLines are the lines for a fire's cue outcomes: [{text, bad}], none
// when the fire had no cues on this server.
export function cueLines(cues) {
  if (!cues || cues.length === 0) return [];
  const n = (state) => cues.filter((c) => c.state === state).length;
  const skipped = n('skipped');
  const parts = [`Tín hiệu ra: đã gửi ${n('sent')}/${cues.length - skipped}`];
  if (n('failed')) parts.push(`${n('failed')} lỗi`);
  if (n('pending')) parts.push(`${n('pending')} đang chờ`);
  if (skipped) parts.push(`${skipped} bỏ qua khi tập dượt`);
  const lines = [{ text: parts.join(' · '), bad: n('failed') > 0 }];
  for (const c of cues) {
    if (c.state === 'failed') lines.push({ text: `✘ ${cueName(c)}: ${reasonText(c)}`, bad: true });
    if (c.state === 'pending') lines.push({ text: `… ${cueName(c)}: gửi lúc ${fmtClock(c.dueAt)}`, bad: false });
  }
  return lines;
}
