// stage-selftest.js: /stage?selftest=1 lets a technician check a screen PC
// before the show without any tools: once the page is connected and idle,
// it plays the moment on this screen alone (nothing is fired), then shows
// the frame rate and the quality it settled on, with a verdict and a
// button to run it again. The figures reach the MC's devices panel too.

import { $ } from './util.js';

// IDLE_MS is how long the page settles after connecting before the test.
const IDLE_MS = 1500;
// Smooth enough for the night: the frame rate and the longest gap after
// the moment's first 100 ms (the targets at 1080p).
const GOOD_FPS = 55;
const GOOD_GAP_MS = 50;

/**
 * selfTest runs the self-test once the link has a state.
 * @param {import('./link.js').Link} link
 * @param {import('./fire.js').FireOverlay} fire
 * @param {() => object|null} getView
 */
export function selfTest(link, fire, getView) {
  const panel = $('selftest');
  const run = () => {
    panel.hidden = true;
    const view = getView() || {};
    const show = view.show || {};
    const caption = show.caption || show.title || '';
    fire.prepare(caption);
    // Give the ground and caption time to paint, as they would be long
    // before a real fire.
    setTimeout(() => fire.play('tu-kiem-tra', caption, 0), IDLE_MS);
  };
  const done = fire.onDone;
  fire.onDone = (st) => {
    if (done) done(st);
    if (st.fireId === 'tu-kiem-tra') showResult(panel, st);
  };
  $('selftest-again').addEventListener('click', run);
  const off = link.on('state', () => {
    off();
    setTimeout(run, IDLE_MS);
  });
}

// showResult writes the figures of the test and its verdict.
function showResult(panel, st) {
  const good = st.fps >= GOOD_FPS && st.maxGapAfterMs <= GOOD_GAP_MS;
  panel.classList.toggle('good', good);
  $('selftest-verdict').textContent = good
    ? 'Đạt: màn hình này chạy hiệu ứng phát động mượt.'
    : 'Chưa đạt: hiệu ứng chưa mượt trên màn hình này. Màn hình đã tự giảm hiệu ứng; hãy chạy lại, đóng bớt chương trình khác hoặc xem hướng dẫn trình duyệt kiosk.';
  $('selftest-fps').textContent = `${st.fps} hình/giây`;
  $('selftest-gap').textContent = `${st.maxGapAfterMs} ms`;
  $('selftest-quality').textContent = st.qualityName;
  $('selftest-size').textContent = `${window.innerWidth}×${window.innerHeight} (tỉ lệ điểm ảnh ${window.devicePixelRatio || 1})`;
  panel.hidden = false;
}
