// identify.js: a screen's answer to the MC's "Nhận diện" (POST
// /api/v1/identify): its name in huge type over everything for the time
// the server asks (3 s), so the crew knows which projector is which. Used
// by the stage, presenter and MC pages.

// DEFAULT_MS is how long the name shows when the message names no time.
const DEFAULT_MS = 3000;

// Identify is the overlay of one page.
export class Identify {
  #node = null;
  #timer = 0;

  // follow shows the overlay on every identify message of link. The
  // page's overlay is one, whatever links it follows in turn.
  static follow(link) {
    Identify.page ||= new Identify();
    return link.on('identify', (msg) => Identify.page.show(msg.name, msg.durationMs));
  }

  // show puts name over the page for ms; a second call starts again.
  show(name, ms) {
    const node = this.#overlay();
    node.querySelector('.identify-name').textContent = String(name || '');
    node.hidden = false;
    node.dataset.shownAt = String(performance.now());
    clearTimeout(this.#timer);
    const wait = Number.isFinite(ms) && ms > 0 ? Math.min(ms, 60000) : DEFAULT_MS;
    this.#timer = setTimeout(() => {
      node.hidden = true;
    }, wait);
  }

  #overlay() {
    if (this.#node) return this.#node;
    const node = document.createElement('div');
    node.id = 'identify';
    node.className = 'identify';
    node.hidden = true;
    node.setAttribute('role', 'status');
    const label = document.createElement('div');
    label.className = 'identify-label';
    label.textContent = 'Thiết bị này là';
    const name = document.createElement('div');
    name.className = 'identify-name';
    node.append(label, name);
    document.body.append(node);
    this.#node = node;
    return node;
  }
}
