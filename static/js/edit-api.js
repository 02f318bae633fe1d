// edit-api.js: the editor's calls to the HTTP API, with the operator token
// (the same one /mc remembers) as a Bearer credential. A refused token is
// forgotten and asked for again.

import { askToken } from './ui.js';
import { loadToken, saveToken, forgetToken, takeTokenFromLink } from './token.js';

let token = takeTokenFromLink() || loadToken();

// ApiError is a refused call: {status, code, message, field}.
export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || (status === 0 ? 'offline' : 'internal');
    this.field = e.field || '';
  }
}

// call sends one request and returns its JSON answer.
export async function call(method, path, body, { auth = false } = {}) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (auth && token) headers.Authorization = `Bearer ${token}`;
  let res;
  try {
    res = await fetch(path, { method, headers, body: typeof body === 'string' || body === undefined ? body : JSON.stringify(body), cache: 'no-store' });
  } catch {
    throw new ApiError(0, null);
  }
  let data = null;
  try {
    data = await res.json();
  } catch {
    // An empty or non-JSON answer.
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

// authed is call with the operator token, asking for it when missing or
// refused.
export async function authed(method, path, body) {
  for (let i = 0; ; i++) {
    if (!token) {
      token = await askToken(i ? 'Mã điều khiển không đúng. Hãy nhập lại.' : undefined);
      saveToken(token);
    }
    try {
      return await call(method, path, body, { auth: true });
    } catch (err) {
      if (err.code !== 'unauthorized' || i >= 4) throw err;
      forgetToken();
      token = '';
    }
  }
}

// postFile sends one request whose body is the raw file (XMLHttpRequest,
// for its upload progress: onProgress gets 0..1) and returns its JSON
// answer, or throws an ApiError.
function postFile(path, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, null));
    xhr.onload = () => {
      let data = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        // An empty or non-JSON answer.
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else reject(new ApiError(xhr.status, data));
    };
    xhr.send(file);
  });
}

// upload sends a file to path with the operator token, asking for it when
// missing or refused (the file is sent again then).
export async function upload(path, file, onProgress = () => {}) {
  for (let i = 0; ; i++) {
    if (!token) {
      token = await askToken(i ? 'Mã điều khiển không đúng. Hãy nhập lại.' : undefined);
      saveToken(token);
    }
    try {
      return await postFile(path, file, onProgress);
    } catch (err) {
      if (err.code !== 'unauthorized' || i >= 4) throw err;
      forgetToken();
      token = '';
    }
  }
}
