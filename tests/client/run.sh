#!/usr/bin/env bash
# The generated client: openapi-python-client (pinned in .ci/run) generates a Python client from
# openapi/openapi.yaml, any generator warning fails the run, and a short CIO workflow
# (tests/client/cio_workflow.py) runs through the client's typed functions against a Salkku with the demo
# data. The generated code is used as it comes out: a contract that needs hand edits fails here.
#   tests/client/run.sh [BINARY]
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="${1:-.build/debug/salkku}"
WORK="$(mktemp -d)"
PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

LOG_LEVEL=warning "$BIN" serve --db "$WORK/client.sqlite" --demo --port "$PORT" > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT

echo "openapi-python-client $(python3 -m openapi_python_client --version | sed 's/.*version: //')"
# --fail-on-warning makes the generator exit non-zero on a warning; the output is checked as well, because a
# piece it skips (an unsupported media type, an operation it cannot read) is reported only as a warning.
if ! python3 -m openapi_python_client generate --path openapi/openapi.yaml --config tests/client/config.yaml \
    --meta setup --output-path "$WORK/salkku-client" --overwrite --fail-on-warning > "$WORK/generate.log" 2>&1 \
  || grep -qi "warning\|error" "$WORK/generate.log"; then
  cat "$WORK/generate.log"
  echo "FAIL: the generator did not read the contract cleanly" >&2
  exit 1
fi

python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install --quiet --disable-pip-version-check "$WORK/salkku-client"

for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$PORT/readyz" > /dev/null && break
  sleep 0.2
done
"$WORK/venv/bin/python" tests/client/cio_workflow.py "http://127.0.0.1:$PORT"
