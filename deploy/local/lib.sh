# Shared by deploy/test and deploy/local/cluster (sourced, not run).
# The Python venv with the pinned checkers and test clients, Debian's
# nginx, free ports, and pass/fail lines.

DEPLOY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SIGNOFF_DEPLOY_VENV:-/var/tmp/signoff-deploy-venv}"

say() { printf '%s\n' "$*"; }
pass() { printf 'PASS %s\n' "$*"; }
fail() { printf 'FAIL %s\n' "$*" >&2; }
die() { fail "$*"; exit 1; }

# The venv under /var/tmp, created when missing and reused after; it is
# re-synced when deploy/requirements.txt is newer than the last install.
ensure_venv() {
  local stamp="$VENV/.signoff-requirements"
  if [ ! -x "$VENV/bin/python" ]; then
    say "venv: creating $VENV"
    python3 -m venv "$VENV" || die "python3 -m venv failed (Debian: apt-get install -y python3-venv)"
  fi
  if [ ! -f "$stamp" ] || ! cmp -s "$stamp" "$DEPLOY_DIR/requirements.txt"; then
    say "venv: installing deploy/requirements.txt"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$DEPLOY_DIR/requirements.txt" \
      || die "pip install -r deploy/requirements.txt failed"
    cp "$DEPLOY_DIR/requirements.txt" "$stamp"
  fi
}

# Debian's nginx, installed when missing. The package would start a system
# nginx on port 80; a policy-rc.d that answers 101 ("action forbidden")
# keeps it from doing so, and is removed again if we put it there.
ensure_nginx() {
  command -v nginx >/dev/null && return 0
  [ -x /usr/sbin/nginx ] && return 0
  [ "$(id -u)" = 0 ] || die "nginx is not installed and this is not root: apt-get install -y --no-install-recommends nginx"
  say "nginx: installing Debian's package"
  local placed_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    placed_policy=1
  fi
  local rc=0
  export DEBIAN_FRONTEND=noninteractive
  { apt-get install -y --no-install-recommends nginx >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y --no-install-recommends nginx >/dev/null; }; } || rc=$?
  if [ "$placed_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
  [ "$rc" = 0 ] || die "apt-get install nginx failed"
}

nginx_bin() { command -v nginx 2>/dev/null || echo /usr/sbin/nginx; }

# N free TCP ports on 127.0.0.1, space-separated (held open together while
# chosen, so they differ).
free_ports() {
  python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

# Waits until URL answers 200, at most SECONDS; returns non-zero otherwise.
wait_http() {
  local url="$1" seconds="$2" deadline=$((SECONDS + $2))
  while [ "$SECONDS" -lt "$deadline" ]; do
    curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}
