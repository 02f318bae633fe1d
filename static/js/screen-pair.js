// screen-pair.js: a stage or presenter screen paired by a QR code
// (docs/pairing.md). The code's link carries a screen credential in its
// fragment (#token=…, never sent to a server log); the screen remembers
// it and says it in its hello. When the server refuses it (the MC
// revoked it, or it is wrong), the screen stops trying and says, in
// Vietnamese, that it is not paired, until a new code is scanned.

// SCREEN_TOKEN_KEY is the localStorage key of the screen's credential.
export const SCREEN_TOKEN_KEY = 'phatdong.screenToken';

// NOT_PAIRED is the screen's title when its credential is refused.
export const NOT_PAIRED = 'Thiết bị chưa được ghép nối';

// screenToken is the credential from the link that opened the page (then
// removed from the address bar and remembered), or the remembered one, or
// '' for a screen that was never paired.
export function screenToken(loc = window.location) {
  const frag = new URLSearchParams(loc.hash.slice(1));
  const token = (frag.get('token') || '').trim();
  if (token) {
    try {
      localStorage.setItem(SCREEN_TOKEN_KEY, token);
    } catch {
      // Private mode: the pairing lasts as long as the page.
    }
    frag.delete('token');
    const rest = frag.toString();
    history.replaceState(null, '', loc.pathname + loc.search + (rest ? '#' + rest : ''));
    return token;
  }
  try {
    return localStorage.getItem(SCREEN_TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

// watchPairing shows the not-paired screen when link's hello is refused
// for its credential, and stops the link: retrying a revoked credential
// would only get the address blocked.
export function watchPairing(link) {
  return link.on('error', (err) => {
    const code = err && err.code;
    if (link.connected || (code !== 'unauthorized' && code !== 'forbidden')) return;
    link.stop();
    let node = document.getElementById('unpaired');
    if (!node) {
      node = document.createElement('div');
      node.id = 'unpaired';
      node.className = 'unpaired';
      node.setAttribute('role', 'alert');
      const title = document.createElement('div');
      title.className = 'unpaired-title';
      title.textContent = NOT_PAIRED;
      const text = document.createElement('div');
      text.className = 'unpaired-text';
      text.textContent = 'Mã QR đã mở trang này bị thu hồi hoặc không đúng. Hãy quét mã mới ở máy tính bảng của MC (thẻ “Kết nối thiết bị”).';
      node.append(title, text);
      document.body.append(node);
    }
    node.hidden = false;
  });
}
