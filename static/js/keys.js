// keys.js: keyboard shortcuts for a laptop operator, never while typing.

// typing reports whether a key event belongs to a text field or a dialog.
export function typing(e) {
  const t = e.target;
  if (document.querySelector('.modal-back')) return true;
  if (!t || !t.tagName) return false;
  if (t.isContentEditable) return true;
  const tag = t.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag === 'input') {
    const type = (t.type || 'text').toLowerCase();
    return !['checkbox', 'radio', 'button', 'submit', 'range'].includes(type);
  }
  return false;
}

// shortcuts calls map[action] for the keys of the MC page:
// →/Space next, ← previous, S start/pause/resume, + / − time, B blackout.
export function shortcuts(map) {
  window.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.repeat || typing(e)) return;
    let action = '';
    switch (e.key) {
      case 'ArrowRight':
      case ' ':
      case 'Spacebar':
        action = 'next';
        break;
      case 'ArrowLeft':
        action = 'previous';
        break;
      case 's':
      case 'S':
        action = 'startStop';
        break;
      case '+':
      case '=':
        action = 'plus';
        break;
      case '-':
      case '_':
      case '−':
        action = 'minus';
        break;
      case 'b':
      case 'B':
        action = 'blackout';
        break;
      default:
        return;
    }
    e.preventDefault();
    if (map[action]) map[action]();
  });
}
