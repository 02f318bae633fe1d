// edit-media.js: a segment's media slot in the editor (issue #16). The
// producer picks a film or a still; it is uploaded with a progress bar (the
// raw file as the body), a film's length is read here from its metadata,
// then the item is attached to the segment, whose clock a film sets. A
// refused file is explained and changes nothing.

import { el } from './util.js';
import { upload } from './edit-api.js';
import { vnError } from './errors.js';
import { MEDIA_KIND_NAMES, fmtBytes, fmtFilm } from './edit-media-info.js';

// Limits of the server (controller/media.go).
const MAX_BYTES = 4 * 1024 ** 3;
const MIN_FILM_MS = 1000;
const MAX_FILM_MS = 6 * 3600 * 1000;
// READ_MS bounds the wait for a film's metadata.
const READ_MS = 20000;

// ACCEPT is what the file chooser offers.
export const ACCEPT = 'video/mp4,video/webm,image/png,image/jpeg,image/webp,.mp4,.m4v,.webm,.png,.jpg,.jpeg,.webp';

const busy = new WeakMap(); // segment → {phase: 'upload'|'read', progress, name}
const refusals = new WeakMap(); // segment → why its last file was refused

// Messages of a refused file.
export const REFUSED = {
  tooLarge: 'Tệp quá lớn (tối đa 4 GiB).',
  notMedia: 'Không phải phim MP4/WebM hay ảnh PNG/JPEG/WebP: tệp chưa được nhận.',
  empty: 'Tệp rỗng, không có nội dung.',
  name: 'Tên tệp dài quá 200 ký tự hoặc không hợp lệ: hãy đổi tên tệp rồi chọn lại.',
  offline: 'Mất kết nối với máy chủ: chưa tải được tệp lên.',
  noFolder: 'Máy chủ này không nhận phim ảnh (không có thư mục phim ảnh).',
  unreadable: 'Không đọc được độ dài phim: trình duyệt này không giải mã được tệp.',
};

// uploadRefusal is the Vietnamese reason for a refused upload.
function uploadRefusal(err) {
  if (err.status === 413 || err.code === 'too_large') return REFUSED.tooLarge;
  if (err.code === 'invalid' && err.field === 'name') return REFUSED.name;
  if (err.code === 'invalid' && /empty/i.test(err.message)) return REFUSED.empty;
  if (err.code === 'invalid') return REFUSED.notMedia;
  if (err.code === 'offline') return REFUSED.offline;
  if (err.status === 404) return REFUSED.noFolder;
  return vnError(err);
}

// preview is a small picture of the item: the still itself, or the film's
// frame at half a second.
function preview(m) {
  const src = `/media/${m.hash}`;
  return m.kind === 'video'
    ? el('video', { class: 'media-thumb', src: `${src}#t=0.5`, preload: 'metadata', muted: true, playsinline: true })
    : el('img', { class: 'media-thumb', src, alt: '', loading: 'lazy' });
}

// mediaSlot is the media part of a segment's card: what it carries, an
// upload in progress, or a chooser; with the reason of a refused file.
export function mediaSlot(g) {
  const m = g.media;
  const b = busy.get(g);
  const pick = (label) => el('button', { class: 'btn small', type: 'button', dataset: { act: 'media-pick' }, disabled: Boolean(b) }, label);
  let body;
  if (b) {
    const pct = Math.round(b.progress * 100);
    body = el('div', { class: 'media-busy' },
      el('progress', { class: 'media-progress', max: 100, value: pct }),
      el('span', { class: 'media-status' }, b.phase === 'upload' ? `Đang tải lên «${b.name}»: ${pct} %` : `Đang đọc độ dài phim «${b.name}»…`));
  } else if (m) {
    const meta = [MEDIA_KIND_NAMES[m.kind] || m.kind, fmtBytes(m.size)];
    if (m.kind === 'video') meta.push(`dài ${fmtFilm(m.durationMs)}`);
    body = el('div', { class: 'media-info' }, preview(m),
      el('div', { class: 'media-text' }, el('b', { class: 'media-name' }, m.name || 'Tệp không tên'),
        el('div', { class: 'media-meta' }, meta.join(' · '))),
      el('span', { class: 'grow' }),
      pick('Đổi tệp…'),
      el('button', { class: 'btn small danger', type: 'button', dataset: { act: 'media-remove' } }, 'Bỏ tệp'));
  } else {
    body = el('div', { class: 'media-info' }, pick('Chọn phim hoặc ảnh…'),
      el('span', { class: 'muted' }, 'Phim MP4/WebM hoặc ảnh PNG/JPEG/WebP, tối đa 4 GiB'));
  }
  const why = refusals.get(g);
  return el('div', { class: `field span4 media-slot${why ? ' bad' : ''}` },
    el('span', { class: 'lbl' }, 'Phim hoặc ảnh trên màn hình sân khấu'), body,
    el('span', { class: 'err media-err', role: why ? 'alert' : null }, why || ''));
}

// readDuration reads a film's length (ms, rounded) from its metadata with
// a <video> element. It reads the server's copy, just uploaded: the page's
// policy loads media from the server only (no blob: addresses), and this
// checks that the server serves the film.
function readDuration(url) {
  return new Promise((resolve, reject) => {
    const v = document.createElement('video');
    v.preload = 'metadata';
    v.muted = true;
    const end = (fn) => {
      clearTimeout(timer);
      v.onloadedmetadata = v.ondurationchange = v.onerror = null;
      v.removeAttribute('src');
      v.load();
      fn();
    };
    const timer = setTimeout(() => end(() => reject(new Error('the metadata did not come'))), READ_MS);
    const settle = () => {
      const d = v.duration;
      if (Number.isFinite(d) && d > 0) end(() => resolve(Math.round(d * 1000)));
      else if (d === Infinity) v.currentTime = 1e9; // a WebM without its length: seek to the end
      else end(() => reject(new Error('no length')));
    };
    v.onloadedmetadata = settle;
    v.ondurationchange = () => {
      if (Number.isFinite(v.duration) && v.duration > 0) settle();
    };
    v.onerror = () => end(() => reject(new Error('cannot decode')));
    v.src = url;
  });
}

// setMedia attaches an item to a segment: a film sets its length (rounded
// up to the second, as the server does) and keeps its warnings within it.
export function setMedia(g, m) {
  g.media = m;
  if (m.kind !== 'video') return;
  g.durationSec = Math.ceil(m.durationMs / 1000);
  if (Number.isInteger(g.warnSec) && g.warnSec > g.durationSec) g.warnSec = g.durationSec;
  if (Number.isInteger(g.dangerSec) && g.dangerSec > g.warnSec) g.dangerSec = g.warnSec;
}

// clearMedia detaches a segment's item ("Bỏ tệp").
export function clearMedia(g) {
  delete g.media;
  refusals.delete(g);
}

// attachFile uploads file and attaches it to segment g. redraw(g,
// attached) draws the slot again as it goes; attached is true once g
// carries the new item. A refused file leaves g as it was.
export async function attachFile(g, file, redraw) {
  const refuse = (why) => {
    busy.delete(g);
    refusals.set(g, why);
    redraw(g, false);
    return false;
  };
  refusals.delete(g);
  if (file.size === 0) return refuse(REFUSED.empty);
  if (file.size > MAX_BYTES) return refuse(REFUSED.tooLarge);
  const state = { phase: 'upload', progress: 0, name: file.name };
  busy.set(g, state);
  redraw(g, false);
  let info;
  try {
    info = await upload(`/api/v1/media?name=${encodeURIComponent(file.name)}`, file, (p) => {
      state.progress = p;
      redraw(g, false);
    });
  } catch (err) {
    return refuse(uploadRefusal(err));
  }
  const m = { hash: info.hash, kind: info.kind, type: info.type, name: info.name, size: info.size };
  if (m.kind === 'video') {
    state.phase = 'read';
    redraw(g, false);
    try {
      m.durationMs = await readDuration(`/media/${m.hash}`);
    } catch {
      return refuse(REFUSED.unreadable);
    }
    if (m.durationMs < MIN_FILM_MS || m.durationMs > MAX_FILM_MS) {
      return refuse(`Phim phải dài từ 1 giây đến 6 giờ (tệp này dài ${fmtFilm(m.durationMs)}).`);
    }
  }
  busy.delete(g);
  setMedia(g, m);
  redraw(g, true);
  return true;
}
