// hold.js: a button that acts only after it is held for a while: the
// backup fire of the launch. A progress ring fills while it is held; it
// cancels if released early, so a brush of the hand cannot fire it.
// Pointer events cover mouse, pen and touch alike.

// HOLD_MS is how long the backup fire must be held.
export const HOLD_MS = 1500;

// holdButton wires button (with an SVG circle ring) to call onHold after
// ms of holding. onCancel(heldMs) is told of an early release. It returns
// a function that resets the ring.
export function holdButton(button, ring, { ms = HOLD_MS, onHold, onCancel } = {}) {
  const length = 2 * Math.PI * Number(ring.getAttribute('r'));
  ring.style.strokeDasharray = String(length);
  let start = 0;
  let raf = 0;
  let pointer = null;
  let fired = false;

  const draw = (p) => {
    ring.style.strokeDashoffset = String(length * (1 - Math.min(1, Math.max(0, p))));
  };
  const reset = () => {
    cancelAnimationFrame(raf);
    raf = 0;
    pointer = null;
    button.classList.remove('holding');
    draw(0);
  };
  const frame = (now) => {
    const held = now - start;
    draw(held / ms);
    if (held >= ms) {
      fired = true;
      cancelAnimationFrame(raf);
      raf = 0;
      button.classList.remove('holding');
      button.classList.add('done');
      onHold();
      return;
    }
    raf = requestAnimationFrame(frame);
  };
  const release = () => {
    if (pointer === null) return;
    const held = performance.now() - start;
    const early = !fired;
    reset();
    if (early && onCancel) onCancel(held);
  };

  button.addEventListener('pointerdown', (e) => {
    if (button.disabled || pointer !== null || (e.pointerType === 'mouse' && e.button !== 0)) return;
    e.preventDefault();
    pointer = e.pointerId;
    fired = false;
    button.classList.remove('done');
    try {
      button.setPointerCapture(e.pointerId);
    } catch {
      // A synthetic pointer cannot be captured; release still ends the hold.
    }
    start = performance.now();
    button.classList.add('holding');
    raf = requestAnimationFrame(frame);
  });
  for (const ev of ['pointerup', 'pointercancel', 'lostpointercapture']) {
    button.addEventListener(ev, (e) => {
      if (e.pointerId === pointer) release();
    });
  }
  // A long press on a touch screen must not open a menu.
  button.addEventListener('contextmenu', (e) => e.preventDefault());
  // A plain click (keyboard Enter, a quick tap) never fires.
  button.addEventListener('click', (e) => e.preventDefault());
  return () => {
    reset();
    button.classList.remove('done');
  };
}
