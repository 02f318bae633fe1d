#!/usr/bin/env bash
# Installs the phatdong button agent on a Raspberry Pi (3, 4, 5 or Zero).
#
#   deploy/pi/install.sh pi@10.0.0.31 my-button.conf [ca.pem]
#       cross-compiles the agent for the Pi's CPU, copies it with the
#       configuration and the systemd unit over ssh, and starts it.
#   deploy/pi/install.sh --local phatdong-button my-button.conf [ca.pem]
#       run on the Pi itself, with a binary built elsewhere
#       (e.g. GOOS=linux GOARCH=arm64 or GOARCH=arm GOARM=6, CGO_ENABLED=0).
#
# On the Pi it creates the system user "phatdong" in group gpio, installs
# /usr/local/bin/phatdong-button, /etc/phatdong/button.conf (0640, it holds
# the key) and /etc/systemd/system/phatdong-button.service, then enables and
# (re)starts the service. Running it again upgrades in place. With ca.pem
# (the server's CA, from phatdong cert) it installs /etc/phatdong/ca.pem,
# which the configuration names with ca = /etc/phatdong/ca.pem.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

usage() {
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

die() { echo "install.sh: $*" >&2; exit 1; }

local_mode=0
if [ "${1:-}" = "--local" ]; then
  local_mode=1
  shift
fi
[ $# -eq 2 ] || [ $# -eq 3 ] || usage
target="$1"
conf="$2"
ca="${3:-}"
[ -f "$conf" ] || die "no configuration file $conf (start from $here/button.conf.example)"
if [ -n "$ca" ]; then
  grep -q 'BEGIN CERTIFICATE' "$ca" 2>/dev/null || die "$ca is not a PEM certificate (give the server's tls/ca.pem)"
  grep -Eq '^[[:space:]]*ca[[:space:]]*=[[:space:]]*"?/etc/phatdong/ca.pem"?[[:space:]]*$' "$conf" ||
    die "$conf must say ca = /etc/phatdong/ca.pem to use $ca"
elif grep -Eq '^[[:space:]]*ca[[:space:]]*=' "$conf"; then
  echo "install.sh: $conf sets ca but no CA file was given: the Pi must already have it" >&2
fi
if grep -Eq '^[[:space:]]*key[[:space:]]*=[[:space:]]*"?CHANGE-ME' "$conf"; then
  die "$conf still has key = CHANGE-ME: put this button's key (made in the server's /edit) in it"
fi
for k in server key button; do
  grep -Eq "^[[:space:]]*$k[[:space:]]*=" "$conf" || die "$conf does not set $k"
done

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cp "$conf" "$stage/button.conf"
cp "$here/phatdong-button.service" "$stage/"
if [ -n "$ca" ]; then cp "$ca" "$stage/ca.pem"; fi

# The part that runs as root on the Pi, from the directory holding
# phatdong-button, button.conf and phatdong-button.service.
cat >"$stage/setup.sh" <<'SETUP'
set -eu
getent group gpio >/dev/null || groupadd --system gpio
if ! id phatdong >/dev/null 2>&1; then
  useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin phatdong
fi
usermod -a -G gpio phatdong
install -m 0755 phatdong-button /usr/local/bin/phatdong-button
install -d -m 0750 -o root -g phatdong /etc/phatdong
install -m 0640 -o root -g phatdong button.conf /etc/phatdong/button.conf
if [ -f ca.pem ]; then install -m 0644 ca.pem /etc/phatdong/ca.pem; fi
install -m 0644 phatdong-button.service /etc/systemd/system/phatdong-button.service
systemctl daemon-reload
systemctl enable phatdong-button.service >/dev/null
systemctl restart phatdong-button.service
sleep 2
systemctl --no-pager --lines=15 status phatdong-button.service || true
SETUP

if [ "$local_mode" -eq 1 ]; then
  [ -x "$target" ] || die "$target is not an executable agent binary"
  cp "$target" "$stage/phatdong-button"
  echo "== installing on this machine"
  (cd "$stage" && sudo sh setup.sh)
  exit 0
fi

command -v go >/dev/null || die "go is needed to cross-compile the agent"
echo "== asking $target for its CPU"
machine="$(ssh "$target" uname -m)"
case "$machine" in
  aarch64|arm64) goarch=arm64; goarm="" ;;
  armv6l|armv7l) goarch=arm;   goarm=6 ;;  # ARMv6 code runs on the Zero and on ARMv7
  *) die "$target is a $machine, not a Raspberry Pi CPU (aarch64, armv6l or armv7l)" ;;
esac
echo "== building for linux/$goarch${goarm:+ (GOARM=$goarm)}"
(cd "$repo" && CGO_ENABLED=0 GOOS=linux GOARCH="$goarch" GOARM="$goarm" \
  go build -trimpath -ldflags='-s -w' -o "$stage/phatdong-button" ./cmd/phatdong-button)

echo "== copying to $target"
remote_dir="/tmp/phatdong-button-install.$$"
ssh "$target" "mkdir -m 0700 $remote_dir"
scp -q "$stage/phatdong-button" "$stage/button.conf" "$stage/phatdong-button.service" "$stage/setup.sh" \
  ${ca:+"$stage/ca.pem"} "$target:$remote_dir/"
echo "== installing on $target (sudo)"
ssh -t "$target" "cd $remote_dir && sudo sh setup.sh; rc=\$?; rm -rf $remote_dir; exit \$rc"
echo "== done: follow it with  ssh $target journalctl -u phatdong-button -f"
