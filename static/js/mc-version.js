// mc-version.js: the server's release in the MC's devices pane, read from
// /healthz once (again every few seconds while the server cannot be
// reached or answers an error), for the technician checking what runs
// before the show.

const RETRY_MS = 5000;

// versionLine is the text the pane shows for a release.
export function versionLine(version) {
  return 'Phiên bản máy chủ: ' + version;
}

async function showVersion(node) {
  try {
    const res = await fetch('/healthz', { cache: 'no-store' });
    if (res.ok) {
      // A server that reports no version (an older one) shows none.
      const body = await res.json();
      if (typeof body.version === 'string' && body.version !== '') {
        node.textContent = versionLine(body.version);
        node.hidden = false;
      }
      return;
    }
  } catch {
    // Unreachable or not JSON: try again below.
  }
  setTimeout(() => showVersion(node), RETRY_MS);
}

const node = document.getElementById('srv-version');
if (node) showVersion(node);
