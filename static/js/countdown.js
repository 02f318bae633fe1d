// countdown.js: how every screen reads the current segment's clock: the
// remaining time, its colour level and the share of the segment used.
// The same rules on the stage, the presenter and the MC tablet, so the
// colours change on every screen at the same instant. The remaining time
// itself is link-remaining.js's; the colour levels are the screens' own
// rule (the server computes no level).

import { fmtRemaining } from './util.js';
import { remaining as remainingAt } from './link-remaining.js';

// Levels, in the order the clock passes them. Each is also a CSS class.
export const LEVELS = ['ok', 'warn', 'danger', 'over'];

// levelOf is the colour level of a clock with `remaining` ms left:
// amber at the warning threshold, red at danger, red "over" past zero.
export function levelOf(view, remaining) {
  const c = (view && view.current) || {};
  if (remaining < 0) return 'over';
  if (view && view.timer && view.timer.phase === 'done') return 'danger';
  if (c.dangerMs > 0 && remaining <= c.dangerMs) return 'danger';
  if (c.warnMs > 0 && remaining <= c.warnMs) return 'warn';
  return 'ok';
}

// progressOf is the share of the segment's time used, 0…1.
export function progressOf(view, remaining) {
  const t = (view && view.timer) || {};
  const total = (t.durationMs || 0) + (t.addedMs || 0);
  if (total <= 0) return remaining < 0 ? 1 : 0;
  return Math.min(1, Math.max(0, 1 - remaining / total));
}

// readClock bundles what a screen draws for the clock now. The remaining
// time is the link's reading of the timer (link.remaining, on its synced
// clock) or, without a link, link-remaining.js's rule on this device's
// clock: one JS copy of controller.Timer's rule, checked against the Go
// one by display/linkjs_remaining_test.go.
export function readClock(link, view) {
  const remaining = link && typeof link.remaining === 'function' ? link.remaining(view) : remainingAt(view, Date.now());
  return {
    remaining,
    text: fmtRemaining(remaining),
    level: levelOf(view, remaining),
    progress: progressOf(view, remaining),
    phase: (view && view.timer && view.timer.phase) || 'ready',
  };
}

// PHASE_LABELS names the clock's phase for the people in the hall.
export const PHASE_LABELS = {
  ready: 'Chưa bắt đầu',
  running: 'Đang chạy',
  paused: 'Tạm dừng',
  done: 'Hết giờ',
};

// KIND_LABELS names the segment kinds in Vietnamese.
export const KIND_LABELS = {
  welcome: 'Đón tiếp',
  performance: 'Văn nghệ',
  speech: 'Phát biểu',
  video: 'Trình chiếu',
  launch: 'Phát động',
  break: 'Giải lao',
  closing: 'Bế mạc',
  other: 'Khác',
};

// ZERO_LABELS says, in Vietnamese, what happens at zero.
export const ZERO_LABELS = {
  overtime: 'Đếm quá giờ',
  hold: 'Dừng ở 00:00',
  advance: 'Tự chuyển mục sau',
};
