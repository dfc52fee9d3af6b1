#!/usr/bin/env bash
# End-to-end tests in Chromium against a real `signoff serve`: a fresh
# SQLite database with the demo data on a free port. Until the server serves
# the UI itself, a `vite preview` of web/dist proxies the API to it; with
# SIGNOFF_E2E_SERVED=1 the server's own URL is the base URL.
# Needs web/dist (npm run build). Extra arguments go to `playwright test`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node-env.sh

BIN="${SIGNOFF_BIN:-/tmp/signoff-web-bin/signoff}"
if [ ! -x "$BIN" ]; then
  echo "e2e: no server binary at $BIN (set SIGNOFF_BIN)" >&2
  exit 1
fi
test -f dist/index.html || { echo "e2e: web/dist missing; run npm run build" >&2; exit 1; }

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

WORK="$(mktemp -d /tmp/signoff-e2e.XXXXXX)"
PIDS=()
cleanup() {
  local rc=$?
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [ $rc -ne 0 ] && [ -f "$WORK/server.log" ]; then
    echo "e2e: last server log lines:" >&2
    tail -n 30 "$WORK/server.log" >&2 || true
  fi
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT INT TERM

API_PORT="${SIGNOFF_E2E_PORT:-$(free_port)}"
SIGNOFF_DATABASE_URL="sqlite://$WORK/signoff.db?mode=rwc" \
SIGNOFF_LISTEN="127.0.0.1:$API_PORT" \
SIGNOFF_LOG_FORMAT=pretty \
SIGNOFF_LOG_LEVEL="${SIGNOFF_E2E_LOG_LEVEL:-warn}" \
SIGNOFF_URGE_INTERVAL_SECS=1 \
SIGNOFF_LOGIN_ATTEMPTS_PER_MINUTE=100000 \
  "$BIN" serve >"$WORK/server.log" 2>&1 &
PIDS+=($!)

wait_for() { # url, seconds
  local deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then
      echo "e2e: $1 did not answer within $2 s" >&2
      return 1
    fi
    sleep 0.2
  done
}
wait_for "http://127.0.0.1:$API_PORT/readyz" 60
export SIGNOFF_API="http://127.0.0.1:$API_PORT"

if [ "${SIGNOFF_E2E_SERVED:-0}" = "1" ]; then
  export E2E_BASE_URL="$SIGNOFF_API"
else
  UI_PORT="$(free_port)"
  # node itself (not npx) so that the PID we kill is the server's
  node node_modules/vite/bin/vite.js preview --host 127.0.0.1 --port "$UI_PORT" --strictPort >"$WORK/preview.log" 2>&1 &
  PIDS+=($!)
  wait_for "http://127.0.0.1:$UI_PORT/" 60
  export E2E_BASE_URL="http://127.0.0.1:$UI_PORT"
fi
echo "e2e: server $SIGNOFF_API, UI $E2E_BASE_URL"
npx playwright test "$@"
