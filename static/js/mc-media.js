// mc-media.js: the media of the current segment on the MC's tablet (issue
// #16): what the stage screens will show (kind, name, a film's length)
// and, before Start, each stage screen's readiness for it, from the
// devices message (devices[].media), with a summary "3/3 màn hình sẵn
// sàng". A screen whose decoder reads another length than the show's is
// flagged: its film would end at another time.

import { $, el } from './util.js';
import { describeMedia, fmtFilm } from './edit-media-info.js';

// DRIFT_MS: a screen's reading of a film's length may differ from the
// show's by this much before it is flagged.
const DRIFT_MS = 1000;

// FILM_NO_TIME is the note when time is added to a film's segment: the
// film is its clock.
export const FILM_NO_TIME = 'Mục phim chạy theo độ dài phim: không thêm hay bớt giờ được.';

// isFilm reports whether the view's current segment plays a film.
export function isFilm(view) {
  const m = view && view.current && view.current.media;
  return Boolean(m && m.kind === 'video');
}

// readiness is one screen's state for the item hash: {ready, text, cls,
// warn}.
export function readiness(device, media) {
  const r = (device.media || []).find((x) => x.hash === media.hash);
  if (!r) return { ready: false, text: 'chưa báo tình trạng', cls: 'unknown' };
  let warn = '';
  if (media.kind === 'video' && r.durationMs > 0 && Math.abs(r.durationMs - media.durationMs) > DRIFT_MS) {
    warn = `Màn hình đọc được phim dài ${fmtFilm(r.durationMs)}, chương trình ghi ${fmtFilm(media.durationMs)}: kiểm tra lại tệp.`;
  }
  switch (r.state) {
    case 'ready':
      return { ready: true, text: 'đã sẵn sàng', cls: 'ready', warn };
    case 'loading':
      return { ready: false, text: `đang tải ${Math.round((r.progress || 0) * 100)} %`, cls: 'loading', warn };
    default:
      return { ready: false, text: `lỗi tệp: ${r.error || 'không rõ lý do'}`, cls: 'error', warn };
  }
}

// MediaPanel draws the current segment's media in the current card.
export class MediaPanel {
  constructor() {
    this.view = null;
    this.devices = [];
  }

  setView(v) {
    this.view = v;
    this.render();
  }

  setDevices(devices) {
    this.devices = devices || [];
    this.render();
  }

  render() {
    const box = $('cur-media');
    const v = this.view;
    const m = v && v.current && v.current.media;
    box.hidden = !m;
    if (!m) {
      box.replaceChildren();
      return;
    }
    const head = el('div', { class: 'cm-what', id: 'cm-what' }, describeMedia(m));
    if (v.timer.phase !== 'ready') {
      box.replaceChildren(head);
      return;
    }
    const stages = this.devices.filter((d) => d.role === 'stage');
    const rows = stages.map((d) => {
      const r = readiness(d, m);
      return el('li', { class: `cm-screen ${r.cls}`, dataset: { id: d.id } },
        el('span', { class: 'cm-name' }, d.name || d.id), el('span', { class: 'cm-state' }, r.text),
        r.warn ? el('div', { class: 'cm-warn' }, r.warn) : null);
    });
    const ready = stages.filter((d) => readiness(d, m).ready).length;
    const all = stages.length > 0 && ready === stages.length;
    const summary = stages.length
      ? `${ready}/${stages.length} màn hình sẵn sàng`
      : 'Chưa có màn hình sân khấu nào kết nối.';
    box.replaceChildren(head,
      el('div', { class: `cm-summary${all ? ' all' : ''}`, id: 'cm-summary' }, summary),
      el('ul', { class: 'cm-screens', id: 'cm-screens' }, rows));
  }
}
