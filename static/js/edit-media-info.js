// edit-media-info.js: how a segment's media item (issue #16) is described
// to people, shared by the editor and the MC's tablet: its kind, its size
// and a film's length, in Vietnamese.

// MEDIA_KIND_NAMES names the kinds of media.
export const MEDIA_KIND_NAMES = { video: 'Phim', image: 'Ảnh' };

// fmtBytes writes a file's size: "840 KB", "1,2 GB".
export function fmtBytes(n) {
  const units = ['byte', 'KB', 'MB', 'GB'];
  let v = Number(n) || 0;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const digits = u === 0 || v >= 100 ? 0 : 1;
  return `${v.toLocaleString('vi-VN', { maximumFractionDigits: digits })} ${units[u]}`;
}

// fmtFilm writes a film's length to the second: "3 giây", "8 phút 12
// giây", "1 giờ 2 phút 5 giây".
export function fmtFilm(ms) {
  const s = Math.round((Number(ms) || 0) / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts = [];
  if (h) parts.push(`${h} giờ`);
  if (m) parts.push(`${m} phút`);
  if (s % 60 || parts.length === 0) parts.push(`${s % 60} giây`);
  return parts.join(' ');
}

// describeMedia is one line about a media item: "Phim · clip.webm · 3
// giây · 84 KB".
export function describeMedia(m) {
  const parts = [MEDIA_KIND_NAMES[m.kind] || m.kind, m.name || 'tệp không tên'];
  if (m.kind === 'video') parts.push(fmtFilm(m.durationMs));
  parts.push(fmtBytes(m.size));
  return parts.join(' · ');
}
