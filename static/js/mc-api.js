// mc-api.js: the MC page's calls of the HTTP API, with its operator token.

import { loadToken } from './token.js';

// api sends one JSON request with the MC's operator token and returns
// the answer; it throws {code, status, field} when refused.
export async function api(method, path, body) {
  let res;
  try {
    res = await fetch(path, {
      method,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${loadToken()}` },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    throw { code: 'offline', status: 0 };
  }
  if (res.ok) return res;
  let data = null;
  try {
    data = await res.json();
  } catch {
    // An empty or non-JSON answer.
  }
  const e = (data && data.error) || {};
  throw { code: e.code || (res.status === 403 ? 'forbidden' : 'internal'), status: res.status, field: e.field || '', message: e.message || '' };
}
