// link-const.js: the timing constants of the link (static/js/link.js), in
// ms. link.js re-exports them; pages import them from there.

/** Shortest pause before reconnecting, in ms; it doubles per failed try. */
export const RECONNECT_MIN_MS = 100;
/** Longest pause before reconnecting, in ms (before jitter). */
export const RECONNECT_MAX_MS = 2000;
/** Pause before reconnecting after the server refused the hello, in ms. */
export const REFUSED_RETRY_MS = 15000;
/** How long a command or a press waits for its answer, in ms. */
export const COMMAND_TIMEOUT_MS = 5000;
/** How often a synced link reports its clock to the server, in ms. */
export const REPORT_INTERVAL_MS = 5000;
/** How long a time request waits for its answer before another is sent, in ms. */
export const TIME_TIMEOUT_MS = 2000;
/**
 * The link promises the server a message at least this often, in ms: it
 * asks the time every 3 s and reports its clock every 5 s. The server cuts
 * a socket silent for three of them (a frozen tab).
 */
export const HEARTBEAT_MS = 5000;
/**
 * A socket silent this long is dead, in ms. A welcomed link hears a time
 * answer every 3 s plus a round trip (STEADY_INTERVAL_MS in clocksync.js),
 * so an answer may come up to 1 s late before a live socket is taken for
 * dead. A dead one (a half-open link: no FIN, no RST) is given up between
 * SILENCE_MS and SILENCE_MS + WATCHDOG_MS after the last message it heard,
 * so within 4.25 s of the failure (docs/link-js.md, *Keepalive*).
 */
export const SILENCE_MS = 4000;
/** How often the link checks for silence, in ms. */
export const WATCHDOG_MS = 250;
/** A connection that lasted this long resets the reconnect backoff, in ms. */
export const STABLE_MS = 5000;
/**
 * at() sleeps with setTimeout until this many ms before, then spins, in ms.
 * An idle browser's timer fires 0.3–1.3 ms late, so this covers it; a longer
 * spin only burns a core, which on a shared machine (several screens in one
 * browser, as in the tests) makes the other screens late.
 */
export const SPIN_MS = 2;
/** In a pair, how often a connected link asks the servers which is the primary, in ms. */
export const PROBE_MS = 1000;
/** How long one such question (GET /api/v1/pair) may take, in ms. */
export const PROBE_TIMEOUT_MS = 800;
