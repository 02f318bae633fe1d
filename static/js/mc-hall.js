// mc-hall.js: the MC page of a district hall's server ("điểm cầu", issue
// #15), which shows the province's show and takes only the hall's own
// commands (blackout and the message to the presenter). When the devices
// message carries the hall's link, the page is in hall mode: a band at
// the top names the hall and the link's health, a red banner says when
// the link to the province is down (operators only: the stage never gets
// the devices message), and the province's controls are hidden (CSS,
// body.hall) with a note that the province runs the show.

import { $, el, setText, toggle } from './util.js';
import { clockText, num, sinceText } from './mc-venues.js';

// PROVINCE_RUNS is the note shown where the province's controls were.
export const PROVINCE_RUNS = 'Chương trình do điểm cầu chính điều khiển';

// LOST is the banner shown while the link to the province is down.
export const LOST = 'Mất kết nối với điểm cầu chính';

// HALL_ACTIONS are the keyboard actions a hall's MC may still use.
export const HALL_ACTIONS = new Set(['blackout']);

// hallTitle is the band's title for a hall.
export function hallTitle(h) {
  return h && h.name ? `Điểm cầu: ${h.name} — theo dõi lễ của tỉnh` : 'Điểm cầu — theo dõi lễ của tỉnh';
}

// healthParts words the link's health: state, round trip, clock, delay.
export function healthParts(h, now) {
  return [
    h.linked ? 'Đang kết nối' : `Mất kết nối · lần cuối ${sinceText(h.lastContact, now)}`,
    h.linked && h.rttMs ? `khứ hồi ${num(h.rttMs)} ms` : '',
    clockText(h),
    `độ trễ hình ${num(h.delayMs)} ms`,
  ].filter(Boolean);
}

// HallMode puts the page in hall mode while the server is a hall's.
export class HallMode {
  // getLink gives the link, for the server's clock.
  constructor(getLink) {
    this.getLink = getLink;
    this.hall = null;
    setInterval(() => this.render(), 1000);
  }

  // set takes the hall of a devices message (undefined: not a hall).
  set(hall) {
    this.hall = hall || null;
    this.render();
  }

  // active says whether the page is a hall's.
  active() {
    return Boolean(this.hall);
  }

  // allows says whether a keyboard action may be sent from this page.
  allows(action) {
    return !this.active() || HALL_ACTIONS.has(action);
  }

  render() {
    const h = this.hall;
    const on = Boolean(h);
    document.body.classList.toggle('hall', on);
    $('mc-hall').hidden = !on;
    for (const id of ['hall-note', 'lp-hall-note']) $(id).hidden = !on;
    const lost = on && !h.linked;
    document.body.classList.toggle('hall-lost', lost);
    $('mc-hall-lost').hidden = !lost;
    if (!on) return;
    const link = this.getLink();
    const now = link ? link.serverNow() : Date.now();
    setText($('hall-title'), hallTitle(h));
    const health = $('hall-health');
    toggle(health, 'bad', !h.linked);
    const parts = healthParts(h, now);
    if (health.textContent !== parts.join(' · ')) {
      health.replaceChildren(...parts.flatMap((p, i) => [i ? ' · ' : '', i === 0 ? el('b', {}, p) : p]).filter(Boolean));
    }
  }
}
