// mc-message.js: the MC's message to the speaker's confidence monitor:
// free text or a preset, optionally blinking.

import { $, el } from './util.js';

// PRESETS are the messages an MC sends most, one tap each.
export const PRESETS = [
  'Còn 5 phút',
  'Còn 2 phút',
  'Còn 1 phút',
  'Xin kết thúc',
  'Chậm lại',
  'Nói to hơn',
  'Nhanh hơn một chút',
  'Xin mời lên sân khấu',
];

// MessagePanel wires the composer.
export class MessagePanel {
  constructor(commander) {
    this.cmd = commander;
    const text = $('msg-text');
    $('msg-send').addEventListener('click', (e) => this.send(text.value, e.currentTarget));
    text.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey) {
        e.preventDefault();
        this.send(text.value, $('msg-send'));
      }
    });
    $('msg-clear').addEventListener('click', (e) => this.cmd.send({ type: 'clear-message' }, e.currentTarget));
    $('msg-presets').replaceChildren(...PRESETS.map((p) =>
      el('button', { class: 'btn', type: 'button', dataset: { preset: p }, onclick: (e) => this.send(p, e.currentTarget) }, p)));
  }

  async send(raw, button) {
    const text = raw.trim();
    if (!text) {
      $('msg-text').focus();
      return;
    }
    const answer = await this.cmd.send({ type: 'message', text, blink: $('msg-blink').checked }, button);
    if (answer && $('msg-text').value.trim() === text) $('msg-text').value = '';
  }

  setView(view) {
    const m = view.message || {};
    const box = $('msg-current');
    box.classList.toggle('live', Boolean(m.text));
    box.textContent = m.text
      ? `Đang hiển thị: «${m.text}»${m.blink ? ' (nhấp nháy)' : ''}`
      : 'Chưa có tin nhắn cho người phát biểu.';
    $('msg-clear').disabled = !m.text;
  }
}
