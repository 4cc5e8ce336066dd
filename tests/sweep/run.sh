#!/usr/bin/env bash
# Black-box security sweep: starts the given salkku binary on a free loopback port with a fresh demo
# database, waits for /readyz, runs sweep.py against it, stops the server. Exits non-zero on any finding.
#   tests/sweep/run.sh BINARY [sweep.py options...]
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
BIN="${1:?usage: tests/sweep/run.sh BINARY [sweep.py options]}"
shift
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"
WORK="$(mktemp -d /tmp/sweepdb-$$.XXXX)"
DB="$WORK/x.sqlite"
PIDFILE="$WORK/server.pid"
LOG="$WORK/server.log"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"

# Generous limits: the sweep sends thousands of requests, many without a valid token.
LOG_LEVEL=warning SWIFT_BACKTRACE=enable=no "$BIN" serve --db "$DB" --demo --host 127.0.0.1 --port "$PORT" \
  --token-rate 1000000 --token-burst 1000000 --failed-auth-per-minute 1000000 --metrics-port 0 >> "$LOG" 2>&1 &
echo $! > "$PIDFILE"
disown  # no job report from bash when the server crashes; it is killed by pid below

cleanup() {
  # sweep.py rewrites the pid file when it has to restart a hung server.
  local pid
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

ready=0
for _ in $(seq 1 300); do
  if curl -sf "http://127.0.0.1:$PORT/readyz" > /dev/null 2>&1; then ready=1; break; fi
  sleep 0.1
done
if [ "$ready" != 1 ]; then
  echo "server did not become ready; log:" >&2
  tail -n 50 "$LOG" >&2
  exit 2
fi

echo "server log, database and findings.json in $WORK"
python3 "$HERE/sweep.py" --base-url "http://127.0.0.1:$PORT" --binary "$BIN" --db "$DB" \
  --pidfile "$PIDFILE" --server-log "$LOG" --json-report "$WORK/findings.json" "$@"
exit $?
