// link-error.js: LinkError, how a command or a press of the link fails.
// link.js re-exports it; pages import it from there.

/** LinkError is how a command or press fails: {code, message} and, when the server answered, its answer. */
export class LinkError extends Error {
  /**
   * @param {string} code a stable code: a server code (conflict, not_armed…) or offline, timeout, stopped
   * @param {string} message a sentence for the people at the screen
   * @param {object} [answer] the server's answer, when there was one
   */
  constructor(code, message, answer) {
    super(message);
    this.name = 'LinkError';
    this.code = code;
    if (answer !== undefined) this.answer = answer;
  }
}
