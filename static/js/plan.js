// plan.js: the show against its plan (issue #18): "Đang trễ 3 phút",
// "Sớm 2 phút" or "Đúng giờ", and the projected clock time of every segment
// left. The state's plan (protocol.Plan) is measured when the state was
// sent; planAt brings it up to date on this screen's synced clock, by the
// same rule as controller.Plan.Update (display/linkjs_plan_test.go checks it
// against the Go rule over many cases).

// ON_TIME_MS is controller.OnTimeTolerance: closer to the plan than this
// is on time.
export const ON_TIME_MS = 60000;

// planAt is the plan at now (server time, Unix ms): the drift (positive
// when late) and every segment's start, actual or projected.
export function planAt(plan, now) {
  const ms = Math.floor(now);
  const driftMs = Math.max(ms + plan.leftMs, plan.endAt) - plan.plannedEnd;
  const projected = plan.projected.slice();
  const c = plan.current;
  if (c < projected.length) projected[c] = plan.startedAt || Math.max(ms, plan.starts[c]);
  for (let i = c + 1; i < projected.length; i++) projected[i] = plan.starts[i] + driftMs;
  return { driftMs, projected };
}

// driftOf is controller.DriftOf: late or early by whole minutes (rounded to
// the nearest), on time within a minute either way.
export function driftOf(ms) {
  const a = Math.abs(ms);
  if (a < ON_TIME_MS) return { status: 'onTime', minutes: 0 };
  const minutes = Math.floor((a + 30000) / 60000);
  return { status: ms > 0 ? 'late' : 'early', minutes };
}

// driftLabel is controller.Drift.Label.
export function driftLabel(ms) {
  const d = driftOf(ms);
  if (d.status === 'late') return `Đang trễ ${d.minutes} phút`;
  if (d.status === 'early') return `Sớm ${d.minutes} phút`;
  return 'Đúng giờ';
}

// drawDrift shows the drift of view at now on chip (classes plan-late,
// plan-early, plan-onTime); a show without a start time hides it.
export function drawDrift(chip, view, now) {
  const plan = view && view.plan;
  chip.hidden = !plan;
  if (!plan) return;
  const { driftMs } = planAt(plan, now);
  const text = driftLabel(driftMs);
  if (chip.textContent !== text) chip.textContent = text;
  const status = driftOf(driftMs).status;
  for (const s of ['late', 'early', 'onTime']) chip.classList.toggle(`plan-${s}`, s === status);
}
