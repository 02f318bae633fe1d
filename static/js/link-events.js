// link-events.js: the listeners of the link's events (static/js/link.js),
// and the latest value of the replayed ones, handed at once to a listener
// added later.

import { call } from './link-util.js';

// Events whose latest value is handed at once to a listener added later.
const REPLAYED = ['state', 'show', 'devices', 'status', 'fire'];

// Events holds the listeners of a link, by event name.
export class Events {
  #listeners = new Map(); // event → Set of listeners
  #latest = new Map(); // replayed event → the arguments of its latest emit

  // on adds a listener; if event is replayed and was emitted, fn gets the
  // latest arguments in a microtask, unless removed before. Returns a
  // function that removes the listener.
  on(event, fn) {
    if (!this.#listeners.has(event)) this.#listeners.set(event, new Set());
    const set = this.#listeners.get(event);
    set.add(fn);
    if (REPLAYED.includes(event) && this.#latest.has(event)) {
      const args = this.#latest.get(event);
      queueMicrotask(() => set.has(fn) && call(fn, args));
    }
    return () => set.delete(fn);
  }

  // emit calls every listener of event with args, and keeps them if the
  // event is replayed.
  emit(event, ...args) {
    if (REPLAYED.includes(event)) this.#latest.set(event, args);
    for (const fn of this.#listeners.get(event) || []) call(fn, args);
  }

  // forget drops the latest value of the given events: a listener added
  // now waits for the next one.
  forget(...events) {
    for (const event of events) this.#latest.delete(event);
  }
}
