// link-servers.js: which server of a primary–standby pair the link
// (static/js/link.js) should be on (docs/protocol.md, *Following the
// primary*). Pure functions over what the page knows of the servers: no
// socket, no timer, no fetch (link-follow.js does those).
//
// A record is one server as the page knows it:
//   {urls: [base URL, …], role: 'primary'|'standby'|'', epoch: n, ok: bool}
// urls are base URLs (scheme://host:port), the one that answered last
// first; ok means the server itself said so, at its last probe or in the
// welcome of the socket the page is on (never hearsay from the other).

/** At most this many servers are remembered (a pair is two). */
const MAX_SERVERS = 4;

/**
 * baseOf is the base URL (scheme://host[:port], lower case, no default
 * port) of an http(s) or ws(s) address; '' for anything else.
 * @param {string} url
 * @returns {string}
 */
export function baseOf(url) {
  let u;
  try {
    u = new URL(String(url).replace(/^ws/i, 'http'));
  } catch {
    return '';
  }
  return u.protocol === 'http:' || u.protocol === 'https:' ? `${u.protocol}//${u.host}` : '';
}

/**
 * wsOf is the websocket address of a server's base URL.
 * @param {string} base
 * @returns {string}
 */
export function wsOf(base) {
  return `${base.replace(/^http/, 'ws')}/ws`;
}

/**
 * find is the record among servers that has the base URL, or null.
 * @param {object[]} servers
 * @param {string} base
 */
export function find(servers, base) {
  return servers.find((r) => r.urls.includes(base)) || null;
}

/**
 * merge folds what a server said (a welcome's or GET /api/v1/pair's
 * servers, ServerInfo) into the records, and returns new records. The
 * entry marked self is that server's own word: reached, the base URL the
 * answer came from, joins its URLs first, and its role and epoch replace
 * the record's (ok). Any other entry is hearsay: it adds a server not
 * known yet (not ok, to be probed) and never overrides what is known.
 * @param {object[]} servers the records so far
 * @param {object[]} infos ServerInfo list
 * @param {string} reached
 * @returns {object[]}
 */
export function merge(servers, infos, reached) {
  const out = servers.map((r) => ({ ...r, urls: [...r.urls] }));
  for (const info of Array.isArray(infos) ? infos : []) {
    if (!info || typeof info !== 'object') continue;
    const urls = (Array.isArray(info.urls) ? info.urls : []).map(baseOf).filter(Boolean);
    if (info.self && reached) urls.unshift(reached);
    let rec = out.find((r) => r.urls.some((u) => urls.includes(u)));
    if (rec && !info.self) continue;
    if (!rec) {
      if (!urls.length || out.length >= MAX_SERVERS) continue;
      rec = { urls: [], role: '', epoch: 0, ok: false };
      out.push(rec);
    }
    rec.urls = [...new Set(info.self ? [...urls, ...rec.urls] : urls)];
    rec.role = info.role === 'primary' || info.role === 'standby' ? info.role : '';
    rec.epoch = Number.isSafeInteger(info.epoch) && info.epoch > 0 ? info.epoch : 0;
    rec.ok = Boolean(info.self);
  }
  return out;
}

/**
 * choose is where the link should be: the base URL of a server to switch
 * to, or null to stay. current is the base URL of the server the page is
 * on ('' when on none); epochSeen the highest epoch of a state the page
 * has taken. Only a server that said itself primary (ok) at an epoch of at
 * least epochSeen is a candidate, the highest epoch first. The link moves
 * to it when it is ahead of the current server's epoch, when the current
 * server is a standby (or unknown, or none) and the candidate at least as
 * far, or when the current server is stale (below epochSeen).
 * @param {object[]} servers records
 * @param {string} current
 * @param {number} epochSeen
 * @returns {string|null}
 */
export function choose(servers, current, epochSeen) {
  const cur = current ? find(servers, current) : null;
  let best = null;
  for (const s of servers) {
    if (s === cur || !s.ok || s.role !== 'primary' || s.epoch < epochSeen) continue;
    if (!best || s.epoch > best.epoch) best = s;
  }
  if (!best) return null;
  if (!cur || best.epoch > cur.epoch || cur.epoch < epochSeen) return best.urls[0];
  const fromStandby = !cur.ok || cur.role !== 'primary';
  return fromStandby && best.epoch >= cur.epoch ? best.urls[0] : null;
}

/**
 * rotation is the order of reconnection attempts in a pair: the page's
 * own server, then one URL of the other servers, the own one again, the
 * next URL… ([own] when no other is known).
 * @param {string} own the base URL of the page's own server
 * @param {object[]} servers records
 * @returns {string[]}
 */
export function rotation(own, servers) {
  const others = [];
  for (const r of servers) {
    if (r.urls.includes(own)) continue;
    for (const u of r.urls) if (!others.includes(u)) others.push(u);
  }
  return others.length ? others.flatMap((u) => [own, u]) : [own];
}
