#!/usr/bin/env bash
# Contract fuzzing: Schemathesis against a running Salkku with the demo data, the spec as served at
# /openapi.yaml, every check on, a bounded number of examples per operation.
#   tests/fuzz/run.sh [BINARY] [EXAMPLES]
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="${1:-.build/debug/salkku}"
EXAMPLES="${2:-20}"
PORT=18195
DB="$(mktemp -d)/fuzz.sqlite"
# Generous limits: Schemathesis sends thousands of requests, many of them deliberately without a token.
LOG_LEVEL=warning "$BIN" serve --db "$DB" --demo --port "$PORT" --token-rate 1000000 --token-burst 1000000 \
  --failed-auth-per-minute 1000000 --metrics-port 0 > /dev/null 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$PORT/readyz" > /dev/null && break
  sleep 0.2
done
# Valid data. Invalid data (-D all) crashes the generator itself on this machine's Python packages
# (hypothesis-jsonschema asserts on Schemathesis's negated schemas — `additionalProperties: {not: {}}` with
# required or minimum properties — whatever the server), so it is left out; requests with invalid data are
# covered by the Swift tests (mutated bodies, the limits of API.md) and by the adversarial sweep. The hooks
# keep the change feed's valid waits to a second and leave out header values that are not HTTP
# (tests/fuzz/hooks.py). GET /metrics is served by the metrics listener, not at the base URL, so it is left out.
# One worker, and a time limit: with two, a worker's internal IndexError in Schemathesis 3.39 left the run waiting
# forever (seen in CI); a run that outlives the limit is treated as that internal error.
fuzz() {
  SCHEMATHESIS_HOOKS=tests.fuzz.hooks timeout 900 python3 -m schemathesis.cli run "http://127.0.0.1:$PORT/openapi.yaml" \
    --experimental=openapi-3.1 --base-url "http://127.0.0.1:$PORT" -H "Authorization: Bearer salkku-demo-admin" \
    --checks all -D positive --hypothesis-max-examples "$EXAMPLES" --hypothesis-seed 1 --hypothesis-derandomize \
    --hypothesis-suppress-health-check filter_too_much,too_slow,data_too_large --workers 1 --no-color \
    --exclude-operation-id getMetrics "$@"
}
# Schemathesis 3.39 can stop on an error of its own ("An internal error occurred during the test run", an
# IndexError seen once in CI and not reproduced in 109 operations run again); that says nothing of the server,
# so the run is repeated once with the traceback shown. A failed check is never repeated: it fails CI at once.
OUT="$(mktemp)"
set +e
fuzz 2>&1 | tee "$OUT"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ] && { [ "$status" -eq 124 ] || grep -q "An internal error occurred during the test run" "$OUT"; } && ! grep -q "FAILED" "$OUT"; then
  echo "Schemathesis stopped on an internal error of its own; running it once more with its traceback" >&2
  fuzz --show-trace
else
  exit "$status"
fi
