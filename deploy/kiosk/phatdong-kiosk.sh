#!/bin/sh
# phatdong-kiosk.sh: turn this computer's screen into a phatdong stage
# display. It waits until the server answers /healthz (so the browser never
# shows an error page), then opens the page full screen in Chromium's kiosk
# mode, with sound allowed without a click, and starts it again if it exits.
#
#   PHATDONG_URL   the server, e.g. http://10.0.0.2:8080; default auto: found
#                  on the LAN by mDNS with `phatdong-button discover --primary`
#                  (or avahi-browse where installed), else http://phatdong.local:8080
#   PHATDONG_STANDBY_URL  the standby server of a pair (optional): the page
#                  opens on whichever of the two answers, the primary first,
#                  and then follows the primary by itself
#   PHATDONG_PAGE  the page, default /stage (or /presenter, /button#key=…);
#                  /stage?audio=1 on the one screen whose speakers play the
#                  films' sound (the others stay muted)
#   PHATDONG_NAME  this screen's name in the MC's devices panel, default the host name
#   CHROMIUM       the browser, default the first of chromium, chromium-browser, google-chrome
set -u

PRIMARY_URL="${PHATDONG_URL:-auto}"
AUTO=""
[ "$PRIMARY_URL" = auto ] && AUTO=1
STANDBY_URL="${PHATDONG_STANDBY_URL:-}"
URL="$PRIMARY_URL"
PAGE="${PHATDONG_PAGE:-/stage}"
NAME="${PHATDONG_NAME:-$(hostname)}"
PROFILE="${XDG_CACHE_HOME:-$HOME/.cache}/phatdong-kiosk"

if [ -z "${CHROMIUM:-}" ]; then
  for c in chromium chromium-browser google-chrome; do
    if command -v "$c" >/dev/null 2>&1; then CHROMIUM="$c"; break; fi
  done
fi
if [ -z "${CHROMIUM:-}" ]; then
  echo "phatdong-kiosk: no Chromium found; install it: sudo apt-get install -y chromium" >&2
  exit 1
fi

# The screen's name travels in the query; a button page keeps its #fragment.
case "$PAGE" in
  *\#*) base="${PAGE%%#*}"; frag="#${PAGE#*#}" ;;
  *) base="$PAGE"; frag="" ;;
esac
enc_name=$(printf '%s' "$NAME" | od -An -tx1 -v | tr -d ' \n' | sed 's/\(..\)/%\1/g')
target() {
  case "$base" in
    *\?*) TARGET="$URL$base&name=$enc_name$frag" ;;
    *) TARGET="$URL$base?name=$enc_name$frag" ;;
  esac
}

# discover sets PRIMARY_URL to the primary that answers on the LAN
# (docs/discovery.md): the button agent's discovery, or avahi-browse, or
# else the server's usual name.
discover() {
  found=""
  if command -v "${PHATDONG_DISCOVER:-phatdong-button}" >/dev/null 2>&1; then
    found=$("${PHATDONG_DISCOVER:-phatdong-button}" discover --primary --timeout 3s 2>/dev/null | head -n 1)
  elif command -v avahi-browse >/dev/null 2>&1; then
    found=$(avahi-browse -rpt _phatdong._tcp 2>/dev/null | awk -F';' '$1 == "=" && $3 == "IPv4" && /role=primary/ {
      s = "http"; if ($0 ~ /scheme=https/) s = "https"; print s "://" $8 ":" $9; exit }')
  fi
  PRIMARY_URL="${found:-http://phatdong.local:8080}"
}

# wait_for_server waits until the server, or else the standby, answers
# /healthz, and opens the page on it (the page then follows the primary).
wait_for_server() {
  n=0
  while :; do
    [ -n "$AUTO" ] && discover
    for u in "$PRIMARY_URL" $STANDBY_URL; do
      if curl -fsS -o /dev/null --max-time 2 "$u/healthz"; then
        URL="$u"; target; return
      fi
    done
    n=$((n + 1))
    [ $((n % 15)) -eq 1 ] && echo "phatdong-kiosk: waiting for $PRIMARY_URL/healthz ${STANDBY_URL:+or $STANDBY_URL/healthz }…" >&2
    sleep 2
  done
}

# The display must never sleep or blank during a ceremony.
if [ -n "${DISPLAY:-}" ] && command -v xset >/dev/null 2>&1; then
  xset s off -dpms s noblank 2>/dev/null || true
fi

mkdir -p "$PROFILE"
while :; do
  wait_for_server
  # A crash flag left by a killed browser would show a "restore pages" bar.
  sed -i 's/"exited_cleanly":false/"exited_cleanly":true/; s/"exit_type":"[A-Za-z]*"/"exit_type":"Normal"/' \
    "$PROFILE/Default/Preferences" 2>/dev/null || true
  "$CHROMIUM" \
    --kiosk "$TARGET" \
    --user-data-dir="$PROFILE" \
    --autoplay-policy=no-user-gesture-required \
    --noerrdialogs --disable-infobars --no-first-run --disable-session-crashed-bubble \
    --disable-translate --disable-features=Translate,TranslateUI \
    --disable-pinch --overscroll-history-navigation=0 \
    --check-for-update-interval=31536000 \
    --disable-background-timer-throttling --disable-renderer-backgrounding \
    --disable-backgrounding-occluded-windows \
    ${PHATDONG_CHROMIUM_FLAGS:-}
  echo "phatdong-kiosk: browser exited ($?); starting again" >&2
  sleep 2
done
