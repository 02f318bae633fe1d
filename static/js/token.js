// token.js: the operator token, remembered on the device. It comes once
// from the link that opened the page (#token=… in the fragment, which never
// reaches a server log) or from the person who types it.

// TOKEN_KEY is the localStorage key shared by /mc and /edit.
export const TOKEN_KEY = 'phatdong.operatorToken';

// takeTokenFromLink stores a #token=… from the address and removes it from
// the address bar (and the history), so it is not shown or shared by accident.
export function takeTokenFromLink(loc = window.location) {
  const frag = new URLSearchParams(loc.hash.slice(1));
  const token = (frag.get('token') || '').trim();
  if (!token) return '';
  saveToken(token);
  frag.delete('token');
  const rest = frag.toString();
  history.replaceState(null, '', loc.pathname + loc.search + (rest ? '#' + rest : ''));
  return token;
}

// loadToken is the remembered token, or ''.
export function loadToken() {
  try {
    return localStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

// saveToken remembers the token on this device.
export function saveToken(token) {
  try {
    localStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Private mode: the token lasts as long as the page.
  }
}

// forgetToken removes a token the server refused.
export function forgetToken() {
  try {
    localStorage.removeItem(TOKEN_KEY);
  } catch {
    // Nothing stored.
  }
}
