// fit.js: make text as large as its box allows without cropping, on any
// screen shape (a 16:9 projector, a 4K monitor, a 5:1 LED wall).
//
// Each fitted element is itself a box whose size the CSS decides (a flex
// item with overflow hidden); its largest font size comes from the CSS too
// (font-size in vmin or clamp). fit() finds, by bisection, the largest size
// not above that which fits the box without overflowing it.

const fitted = new Set();
let scheduled = false;

// fit shrinks el's font until its text fits el's box. It starts from the
// CSS size each time, so text can grow again after it changed.
export function fit(el) {
  if (!el || !el.isConnected || el.offsetParent === null) return;
  el.style.fontSize = '';
  const max = parseFloat(getComputedStyle(el).fontSize);
  if (!(max > 0)) return;
  if (fits(el)) return;
  let lo = Math.min(8, max);
  let hi = max;
  for (let i = 0; i < 14 && hi - lo > 0.5; i++) {
    const mid = (lo + hi) / 2;
    el.style.fontSize = mid + 'px';
    if (fits(el)) lo = mid;
    else hi = mid;
  }
  el.style.fontSize = lo + 'px';
}

// fits: a box's scroll size exceeds its client size when its content
// overflows it.
function fits(el) {
  return el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1;
}

// fitAll fits every element marked data-fit under root (the document by
// default), and remembers them so a resize fits them again.
export function fitAll(root = document) {
  for (const e of root.querySelectorAll('[data-fit]')) {
    fitted.add(e);
    fit(e);
  }
}

// fitSoon fits the elements (and every one marked data-fit under root
// when none are given) one per animation frame, so that a page which must
// stay smooth, the moment playing over it, never spends a frame on more
// than one. A fit is a dozen layouts of its box; a whole slide at once
// held the moment for 70-150 ms.
export function fitSoon(els = document.querySelectorAll('[data-fit]')) {
  for (const e of els) pending.add(e);
  if (pumping) return;
  pumping = true;
  requestAnimationFrame(pump);
}

const pending = new Set();
let pumping = false;

function pump() {
  for (const e of pending) {
    pending.delete(e);
    if (!e.isConnected || e.offsetParent === null) continue; // nothing to measure
    fitted.add(e);
    fit(e);
    break;
  }
  if (pending.size) requestAnimationFrame(pump);
  else pumping = false;
}

// refit fits again, after the next frame, every element fitAll has seen
// that is still on the page.
export function refit() {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    for (const e of fitted) {
      if (!e.isConnected) fitted.delete(e);
      else fit(e);
    }
  });
}

window.addEventListener('resize', refit);
if (document.fonts && document.fonts.ready) document.fonts.ready.then(refit);
