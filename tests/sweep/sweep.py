#!/usr/bin/env python3
"""Black-box adversarial security sweep of a running Salkku server (demo data, demo tokens).

Three sections, every operation enumerated from openapi/openapi.yaml:

  1. paths    Every /v1 operation under ~25 spellings of its path (leading //, ///, doubled slash in
              the middle, trailing slash, /./ and /../ segments, %2F/%2f, %2E, /V1/, ;params, ...),
              sent without a token, with a bogus token and with each demo role. A finding: a request
              without a valid token that succeeds (2xx/3xx) or reaches the handler (409/412/415/422),
              a role that gets 2xx (or reaches the handler) where the canonical path denies it,
              any 5xx, any timeout.
  2. extremes Every integer/number, date, date-time and month query parameter with extreme and
              malformed values (admin token, a real city). A finding: 5xx, no answer within the
              timeout, or /healthz no longer answering afterwards.
  3. stall    4 threads loop on expensive cross-city views and exports for a while; another thread measures the
              latency of /healthz and of GET /v1/cities/{id}. A finding: /healthz p99 over the threshold.

The raw HTTP client sends the request target byte for byte (no normalisation). When a request
times out the server is probed, the finding recorded, and (with --binary) the server is killed and
restarted on the same database so the sweep can continue.

    tests/sweep/sweep.py --base-url http://127.0.0.1:PORT [--binary BIN --db PATH --pidfile FILE]
    tests/sweep/sweep.py --binary BIN            # starts (and stops) its own server on a free port

Exit status 1 when there is a finding. The last line is "N passed, M failed" (checks).
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import OrderedDict, defaultdict

try:
    import yaml
except ImportError:  # pragma: no cover
    yaml = None

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC_DEFAULT = os.path.normpath(os.path.join(HERE, "..", "..", "openapi", "openapi.yaml"))

TOKENS = OrderedDict([
    ("none", None),
    ("bogus", "slk_sweepBogusTokenAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
    ("admin", "salkku-demo-admin"),
    ("cio", "salkku-demo-cio-helsinki"),
    ("integration", "salkku-demo-integration"),
    ("auditor", "salkku-demo-auditor"),
])
UNAUTHENTICATED = ("none", "bogus")
OPEN_PATHS = {"/healthz", "/readyz", "/openapi.yaml"}
MADE_UP_ID = "019b76da-a800-7000-8000-0000deadbeef"
# Statuses that show a request got past authentication/authorisation into the handler.
HANDLER_STATUSES = {409, 412, 415, 422}
DENIED = {401, 403, 404}
INVALID_BODY = {"sweepUnknownMember": True}
BODY_OVERRIDES = {"createToken": {"name": "x", "role": "admin"}}


def now():
    return time.monotonic()


def show(target):
    """The request target as sent, printable."""
    if isinstance(target, bytes):
        target = target.decode("latin-1")
    out = []
    for ch in target:
        o = ord(ch)
        out.append(ch if 0x21 <= o < 0x7f else "\\x%02x" % o if o < 256 else ch)
    s = "".join(out)
    return s if len(s) <= 160 else s[:120] + "...(%d chars)" % len(s)


# --------------------------------------------------------------------------------------------------
# Raw HTTP/1.1 client: the request target goes on the wire exactly as given.

class Response:
    __slots__ = ("status", "headers", "body", "elapsed", "error")

    def __init__(self, status=None, headers=None, body=b"", elapsed=0.0, error=None):
        self.status, self.headers, self.body, self.elapsed, self.error = status, headers or {}, body, elapsed, error

    @property
    def timed_out(self):
        return self.error == "timeout"

    def json(self):
        try:
            return json.loads(self.body.decode("utf-8"))
        except Exception:
            return None


class HTTPClient:
    def __init__(self, host, port, timeout=10.0):
        self.host, self.port, self.timeout = host, port, timeout
        self.sock = None
        self.buf = b""

    def close(self):
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
        self.sock, self.buf = None, b""

    def _connect(self, deadline):
        self.close()
        self.sock = socket.create_connection((self.host, self.port), timeout=max(0.1, deadline - now()))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _recv(self, deadline):
        remaining = deadline - now()
        if remaining <= 0:
            raise socket.timeout()
        self.sock.settimeout(remaining)
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("closed")
        self.buf += data

    def _read_until(self, marker, deadline, limit=1 << 20):
        while marker not in self.buf:
            if len(self.buf) > limit:
                raise ValueError("header too large")
            self._recv(deadline)
        i = self.buf.index(marker)
        out, self.buf = self.buf[:i], self.buf[i + len(marker):]
        return out

    def _read_exact(self, n, deadline):
        while len(self.buf) < n:
            self._recv(deadline)
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def request(self, method, target, headers=None, body=None, timeout=None):
        timeout = self.timeout if timeout is None else timeout
        start = now()
        deadline = start + timeout
        if isinstance(target, str):
            target = target.encode("utf-8", "surrogateescape")
        lines = [method.encode() + b" " + target + b" HTTP/1.1", b"Host: %s:%d" % (self.host.encode(), self.port)]
        for k, v in (headers or {}).items():
            lines.append(("%s: %s" % (k, v)).encode("utf-8"))
        if body is not None:
            if not isinstance(body, bytes):
                body = json.dumps(body, ensure_ascii=False).encode("utf-8")
            lines.append(b"Content-Length: %d" % len(body))
        raw = b"\r\n".join(lines) + b"\r\n\r\n" + (body or b"")
        for attempt in (0, 1):
            reused = self.sock is not None
            try:
                if self.sock is None:
                    self._connect(deadline)
                self.sock.settimeout(max(0.1, deadline - now()))
                self.sock.sendall(raw)
                return self._read_response(method, start, deadline)
            except socket.timeout:
                self.close()
                return Response(elapsed=now() - start, error="timeout")
            except (ConnectionError, OSError, ValueError) as e:
                got_nothing = not self.buf
                self.close()
                # A kept-alive connection the server closed meanwhile: retry once on a fresh one.
                if attempt == 0 and reused and got_nothing:
                    continue
                return Response(elapsed=now() - start, error="%s: %s" % (type(e).__name__, e))
        return Response(elapsed=now() - start, error="unreachable")

    def _read_response(self, method, start, deadline):
        while True:
            head = self._read_until(b"\r\n\r\n", deadline)
            lines = head.split(b"\r\n")
            parts = lines[0].split(b" ", 2)
            status = int(parts[1])
            headers = {}
            for line in lines[1:]:
                if b":" in line:
                    k, v = line.split(b":", 1)
                    headers[k.decode("latin-1").strip().lower()] = v.decode("latin-1").strip()
            if 100 <= status < 200:
                continue
            break
        body = b""
        if method == "HEAD" or status in (204, 304):
            pass
        elif "chunked" in headers.get("transfer-encoding", "").lower():
            chunks = []
            while True:
                size = int(self._read_until(b"\r\n", deadline).split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self._read_until(b"\r\n", deadline):
                        pass
                    break
                chunks.append(self._read_exact(size, deadline))
                self._read_exact(2, deadline)
            body = b"".join(chunks)
        elif "content-length" in headers:
            body = self._read_exact(int(headers["content-length"]), deadline)
        else:
            try:
                while True:
                    self._recv(deadline)
            except ConnectionError:
                pass
            body, self.buf = self.buf, b""
            self.close()
        if headers.get("connection", "").lower() == "close":
            self.close()
        return Response(status, headers, body, now() - start)


# --------------------------------------------------------------------------------------------------
# The server under test, restartable when it hangs.

class Server:
    def __init__(self, args):
        self.binary, self.db, self.pidfile, self.log = args.binary, args.db, args.pidfile, args.server_log
        self.extra = args.server_arg or []
        self.host = "127.0.0.1"
        self.port = args.port
        self.proc = None
        self.restarts = 0
        self.own_tmp = None
        if args.base_url:
            m = re.match(r"^http://127\.0\.0\.1:(\d+)/?$", args.base_url)
            if not m:
                raise SystemExit("--base-url must be http://127.0.0.1:PORT")
            self.port = int(m.group(1))

    @property
    def can_restart(self):
        return bool(self.binary and self.db)

    def start_own(self):
        """Without --base-url: start a server of our own on a fresh demo database."""
        if not self.binary:
            raise SystemExit("give --base-url or --binary")
        if not self.db:
            self.own_tmp = tempfile.mkdtemp(prefix="sweepdb-")
            self.db = os.path.join(self.own_tmp, "x.sqlite")
        self.port = self.port or free_port()
        self._launch()

    def _launch(self):
        cmd = [self.binary, "serve", "--db", self.db, "--demo", "--host", "127.0.0.1", "--port", str(self.port),
               "--token-rate", "1000000", "--token-burst", "1000000", "--failed-auth-per-minute", "1000000",
               "--metrics-port", "0"]
        cmd += self.extra
        # No backtrace on a crash: the fatal error line is enough, and the restart is immediate.
        env = dict(os.environ, LOG_LEVEL=os.environ.get("LOG_LEVEL", "warning"), SWIFT_BACKTRACE="enable=no")
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL
        self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        if self.pidfile:
            with open(self.pidfile, "w") as f:
                f.write("%d\n" % self.proc.pid)
        if not self.wait_ready(60):
            raise RuntimeError("server did not become ready on port %d" % self.port)

    def wait_ready(self, seconds):
        deadline = now() + seconds
        while now() < deadline:
            c = HTTPClient(self.host, self.port, 2)
            r = c.request("GET", "/readyz")
            c.close()
            if r.status == 200:
                return True
            if self.proc is not None and self.proc.poll() is not None:
                return False
            time.sleep(0.1)
        return False

    def healthy(self, timeout=5.0):
        c = HTTPClient(self.host, self.port, timeout)
        r = c.request("GET", "/healthz")
        c.close()
        return r.status == 200

    def alive(self):
        """Whether the server process still exists (not exited, not a zombie)."""
        if self.proc is not None:
            return self.proc.poll() is None
        pid = self.current_pid()
        if not pid:
            return True
        try:
            with open("/proc/%d/stat" % pid) as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
            return state not in ("Z", "X")
        except (OSError, IndexError):
            return False

    def log_size(self):
        try:
            return os.path.getsize(self.log) if self.log else 0
        except OSError:
            return 0

    def fatal_lines(self, since):
        """Fatal error lines the server wrote to its log since the given offset."""
        if not self.log:
            return []
        try:
            with open(self.log, "rb") as f:
                f.seek(since)
                text = f.read(1 << 20).decode("utf-8", "replace")
        except OSError:
            return []
        return [l.strip() for l in text.splitlines() if re.search(r"Fatal error|Program crashed|panic", l)][:2]

    def current_pid(self):
        if self.proc is not None:
            return self.proc.pid
        if self.pidfile and os.path.exists(self.pidfile):
            try:
                return int(open(self.pidfile).read().strip())
            except ValueError:
                return None
        return None

    def restart(self):
        if not self.can_restart:
            return False
        pid = self.current_pid()
        if pid:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            if self.proc is not None:
                self.proc.wait()
            else:
                deadline = now() + 10
                while now() < deadline:
                    try:
                        os.kill(pid, 0)
                    except ProcessLookupError:
                        break
                    time.sleep(0.05)
        self.restarts += 1
        for attempt in range(3):
            try:
                self._launch()
                return True
            except RuntimeError:
                # The port may still be held: move to another one.
                if self.proc is not None and self.proc.poll() is None:
                    self.proc.kill()
                    self.proc.wait()
                self.port = free_port()
        return False

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.own_tmp:
            shutil.rmtree(self.own_tmp, ignore_errors=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------------------------------
# Results

class Results:
    def __init__(self, verbose=False):
        self.passed = 0
        self.findings = []
        self.notes = []
        self.lock = threading.Lock()
        self.verbose = verbose

    def ok(self, n=1):
        with self.lock:
            self.passed += n

    def fail(self, section, kind, method, target, role, status, elapsed, detail="", op=None, group=None):
        f = dict(section=section, kind=kind, method=method, target=show(target), role=role,
                 status=status, ms=int(elapsed * 1000), detail=detail, op=op or method + " " + show(target).split("?")[0],
                 group=group if group is not None else detail)
        with self.lock:
            self.findings.append(f)
        if self.verbose:
            print("  FINDING " + fmt_finding(f), flush=True)

    def note(self, text, quiet=False):
        if not quiet:
            with self.lock:
                self.notes.append(text)
        if self.verbose:
            print("  note: " + text, flush=True)


def fmt_finding(f):
    st = f["status"] if f["status"] is not None else "-"
    s = "[%s] %s: %s %s role=%s status=%s time=%dms" % (f["section"], f["kind"], f["method"], f["target"],
                                                         f["role"], st, f["ms"])
    return s + (" (%s)" % f["detail"] if f["detail"] else "")


# --------------------------------------------------------------------------------------------------
# The spec

def load_spec(path):
    text = open(path, encoding="utf-8").read()
    if yaml is None:
        raise SystemExit("PyYAML is needed to read the spec")
    return yaml.safe_load(text)


def resolve(spec, node):
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 20:
        ref = node["$ref"]
        cur = spec
        for part in ref.lstrip("#/").split("/"):
            cur = cur[part.replace("~1", "/").replace("~0", "~")]
        node, seen = cur, seen + 1
    return node


def deep_resolve(spec, node, depth=0):
    node = resolve(spec, node)
    if depth > 8:
        return node
    if isinstance(node, dict):
        return {k: deep_resolve(spec, v, depth + 1) for k, v in node.items()}
    if isinstance(node, list):
        return [deep_resolve(spec, v, depth + 1) for v in node]
    return node


class Operation:
    def __init__(self, method, path, op, params, spec):
        self.method, self.path, self.op_id = method, path, op.get("operationId", method + " " + path)
        self.params = params
        self.open = op.get("security") == [] or path in OPEN_PATHS
        self.content_type, self.example = None, None
        rb = op.get("requestBody")
        if rb:
            rb = resolve(spec, rb)
            for ct, c in rb.get("content", {}).items():
                self.content_type, self.example = ct, c.get("example")
                break
        if self.op_id in BODY_OVERRIDES:
            self.example = BODY_OVERRIDES[self.op_id]
        if self.content_type and self.example is None:
            self.example = {}

    @property
    def is_write(self):
        return self.method in ("POST", "PUT", "PATCH", "DELETE")

    def query_params(self):
        return [p for p in self.params if p.get("in") == "query"]


def operations(spec):
    ops = []
    for path, item in spec.get("paths", {}).items():
        common = [resolve(spec, p) for p in item.get("parameters", [])]
        for method in ("get", "put", "post", "patch", "delete", "head", "options"):
            if method not in item:
                continue
            op = item[method]
            own = [resolve(spec, p) for p in op.get("parameters", [])]
            names = {(p["name"], p["in"]) for p in own}
            params = own + [p for p in common if (p["name"], p["in"]) not in names]
            for p in params:
                if "schema" in p:
                    p["schema"] = deep_resolve(spec, p["schema"])
            ops.append(Operation(method.upper(), path, op, params, spec))
    return ops


# --------------------------------------------------------------------------------------------------
# Discovery of real ids through the admin token

class Context:
    def __init__(self, server, results, args):
        self.server, self.results, self.args = server, results, args
        self.ids = {}
        self.other_city = None
        self.canonical = OrderedDict()   # "METHOD /path" -> role -> status of the canonical request

    def client(self, timeout=None):
        return HTTPClient(self.server.host, self.server.port, timeout or self.args.timeout)

    def get_json(self, c, path, role="admin"):
        r = c.request("GET", path, auth_headers(role))
        return r.json() if r.status == 200 else None

    def discover(self):
        c = self.client()
        ids = {}
        cities = (self.get_json(c, "/v1/cities?limit=1000") or {}).get("items", [])
        helsinki = [x for x in cities if x.get("municipalityCode") == "091"]
        city = (helsinki or cities or [{"id": MADE_UP_ID}])[0]
        ids["cityId"] = city["id"]
        # A city outside the cio's and the integration's scope (Helsinki 091, Espoo 049).
        others = [x for x in cities if x.get("municipalityCode") not in ("091", "049")]
        self.other_city = others[0]["id"] if others else None
        cid = ids["cityId"]

        def first(path, key="id"):
            items = (self.get_json(c, path) or {}).get("items", [])
            return items[0].get(key) if items and isinstance(items[0], dict) else None

        ids["serviceId"] = first("/v1/cities/%s/services?limit=1" % cid)
        ids["contractId"] = first("/v1/cities/%s/contracts?limit=1" % cid)
        ids["slaId"] = first("/v1/cities/%s/slas?limit=1" % cid)
        ids["projectId"] = first("/v1/cities/%s/projects?limit=1" % cid)
        ids["assessmentId"] = first("/v1/cities/%s/assessments?limit=1" % cid)
        ids["supplierId"] = first("/v1/suppliers?limit=1")
        if ids["slaId"]:
            ids["period"] = first("/v1/cities/%s/slas/%s/measurements?limit=1" % (cid, ids["slaId"]), "period")
        caps = [x.get("capabilityId") for x in
                (self.get_json(c, "/v1/cities/%s/capabilities" % cid) or {}).get("items", []) if isinstance(x, dict)]
        caps = [x for x in caps if x and "/" not in x]
        if not caps:
            cat = (self.get_json(c, "/v1/catalogue/capabilities") or {}).get("items", [])
            caps = [x.get("id") for x in cat if isinstance(x, dict) and x.get("id") and "/" not in x.get("id")]
        ids["capabilityId"] = caps[0] if caps else "strategic-ict-planning"
        # A sacrificial token, so that a DELETE that gets through revokes nothing the sweep needs.
        r = c.request("POST", "/v1/tokens", dict(auth_headers("admin"), **{"Content-Type": "application/json"}),
                      {"name": "sweep sacrificial", "role": "auditor"})
        tok = r.json() if r.status == 201 else None
        ids["tokenId"] = tok.get("id") if isinstance(tok, dict) else None
        if not ids["tokenId"]:
            demo = set(TOKENS.values())
            for t in (self.get_json(c, "/v1/tokens?limit=1000") or {}).get("items", []):
                if t.get("name", "").startswith("sweep") or t.get("id") not in demo:
                    ids["tokenId"] = t.get("id")
            ids["tokenId"] = ids["tokenId"] or MADE_UP_ID
        c.close()
        for k, v in list(ids.items()):
            if not v:
                ids[k] = "2026-01" if k == "period" else MADE_UP_ID
        self.ids = ids
        return ids

    def fill(self, path, city=None):
        def sub(m):
            name = m.group(1)
            if name == "cityId" and city:
                return city
            return self.ids.get(name, MADE_UP_ID)
        return re.sub(r"\{([^}]+)\}", sub, path)


def auth_headers(role):
    tok = TOKENS.get(role)
    return {"Authorization": "Bearer " + tok} if tok else {}


def required_query(op):
    out = []
    for p in op.query_params():
        if p.get("required"):
            out.append((p["name"], default_value(p["name"])))
    return out


def default_value(name):
    return {"from": "2026-01", "to": "2026-12"}.get(name, "1")


def qs(pairs):
    return ("?" + "&".join("%s=%s" % kv for kv in pairs)) if pairs else ""


# --------------------------------------------------------------------------------------------------
# Section 1: path spellings

def spellings(path, port):
    """(name, target) for every non-canonical spelling of a canonical /v1/... path."""
    assert path.startswith("/v1/")
    rest = path[len("/v1/"):]
    first_seg, _, tail = rest.partition("/")
    out = [
        ("lead-2slash", "/" + path),
        ("lead-3slash", "//" + path),
        ("mid-2slash", "/v1//" + rest),
        ("trailing-slash", path + "/"),
        ("dot-lead", "/." + path),
        ("dot-mid", "/v1/./" + rest),
        ("dotdot-mid", "/v1/x/../" + rest),
        ("dotdot-lead", "/x/.." + path),
        ("dotdot-root", "/.." + path),
        ("enc-slash", "/v1%2F" + rest),
        ("enc-slash-lower", "/v1%2f" + rest),
        ("enc-slash-lead", "/%2F" + path[1:]),
        ("enc-dot", "/%2E" + path),
        ("enc-dotdot", "/v1/x/%2E%2E/" + rest),
        ("enc-dotdot-lower", "/v1/x/%2e%2e/" + rest),
        ("enc-unreserved", "/%761/" + rest),
        ("upper-v1", "/V1/" + rest),
        ("upper-segment", "/v1/" + first_seg.upper() + ("/" + tail if tail else "")),
        ("params-v1", "/v1;x=1/" + rest),
        ("params-end", path + ";x=1"),
        ("backslash", "/v1\\" + rest),
        ("enc-backslash", "/v1%5C" + rest),
        ("nul-end", path + "%00"),
        ("absolute-form", "http://127.0.0.1:%d%s" % (port, path)),
        ("absolute-form-2slash", "http://127.0.0.1:%d/%s" % (port, path)),
    ]
    if tail:
        i = path.rfind("/")
        out.append(("mid-2slash-last", path[:i] + "/" + path[i:]))
        out.append(("enc-slash-last", path[:i] + "%2F" + path[i + 1:]))
    return out


def request_op(ctx, c, op, target, role, body_kind):
    headers = auth_headers(role)
    body = None
    if op.method == "DELETE":
        headers["If-Match"] = '"0"'   # never the current version: 412 instead of a deletion
    if op.content_type:
        headers["Content-Type"] = op.content_type
        body = INVALID_BODY if body_kind == "invalid" else op.example
    return c.request(op.method, target, headers, body)


class Budget:
    def __init__(self, seconds):
        self.deadline = now() + seconds

    def left(self):
        return self.deadline - now()

    def over(self):
        return now() > self.deadline


def handle_no_answer(ctx, section, method, target, role, r, log_mark, detail="", opname=None, group=None):
    """No status came back. A timeout is a finding; so is a server that died or stopped answering.
    Returns (was_a_finding, server_usable)."""
    if r.timed_out:
        return True, handle_timeout(ctx, section, method, target, role, r, detail, opname, group)
    if ctx.server.healthy(5):
        return False, True   # the server refused the request by closing the connection: fine
    res = ctx.results
    if not ctx.server.alive():
        time.sleep(0.2)
        fatal = ctx.server.fatal_lines(log_mark)
        res.fail(section, "server-crash", method, target, role, None, r.elapsed,
                 "; ".join(x for x in [detail, r.error or "", " | ".join(fatal)] if x), opname,
                 (group or "") + (" -> " + fatal[0] if fatal else ""))
    else:
        res.fail(section, "server-unresponsive", method, target, role, None, r.elapsed,
                 "; ".join(x for x in [detail, r.error or ""] if x), opname, group)
    ok = handle_dead(ctx)
    return True, ok


def handle_timeout(ctx, section, method, target, role, r, detail="", opname=None, group=None):
    """A request took longer than the timeout: record it, probe the server, restart it if possible."""
    res = ctx.results
    res.fail(section, "timeout", method, target, role, None, r.elapsed,
             "; ".join(x for x in [detail, "no answer within %.0f s" % ctx.args.timeout] if x), opname, group)
    alive = ctx.server.healthy(5)
    if not alive:
        res.fail(section, "server-unresponsive", "GET", "/healthz", "-", None, 5.0,
                 "after %s %s" % (method, show(target)), "GET /healthz", "after a timeout")
    if ctx.server.can_restart and (not alive or ctx.args.restart_after_timeout):
        t = now()
        ok = ctx.server.restart()
        res.note("server restarted (%s) after timeout of %s %s in %.1f s%s" % (
            "unresponsive" if not alive else "still answering /healthz", method, show(target), now() - t,
            "" if ok else " -- RESTART FAILED"), quiet=ok)
        return ok
    return alive


def try_minted_token(ctx, r):
    """A token created through a bypass: does its secret work on the canonical path?"""
    body = r.json()
    secret = body.get("token") if isinstance(body, dict) else None
    if not secret:
        return "no secret in the answer"
    c = ctx.client()
    r2 = c.request("GET", "/v1/tokens", {"Authorization": "Bearer " + secret})
    c.close()
    return "minted %s token works on canonical GET /v1/tokens: %s" % (body.get("role"), r2.status)


def judge_path(ctx, op, target, variant, role, r, canonical):
    """Apply the rules of section 1 to one answer; True when it is fine."""
    opname = op.method + " " + op.path

    class _R:
        @staticmethod
        def fail(*a, **k):
            ctx.results.fail(*a, op=opname, group=variant, **k)
    res = _R
    st = r.status
    if st is None:
        # The server closed the connection without an answer (and still answers /healthz): refusing a
        # bad request line that way is fine.
        return True
    if st >= 500:
        res.fail("paths", "5xx", op.method, target, role, st, r.elapsed, variant)
        return False
    canon = canonical.get(role)
    impact = ""
    if op.op_id == "createToken" and st == 201:
        impact = "; " + try_minted_token(ctx, r)
    if role in UNAUTHENTICATED:
        if 200 <= st < 400:
            res.fail("paths", "auth-bypass", op.method, target, role, st, r.elapsed,
                     "%s; canonical %s%s" % (variant, canon, impact))
            return False
        if st in HANDLER_STATUSES and (variant == "canonical" or canon in (401, 403)):
            res.fail("paths", "auth-bypass-reached-handler", op.method, target, role, st, r.elapsed,
                     "%s; canonical %s" % (variant, canon))
            return False
        return True
    if variant == "canonical":
        return True
    if canon in DENIED and 200 <= st < 300:
        res.fail("paths", "role-bypass", op.method, target, role, st, r.elapsed,
                 "%s; canonical %s%s" % (variant, canon, impact))
        return False
    # A write that passes validation-level checks for a role the canonical path refuses. (Reads are
    # left to the 2xx rule: a spelling like /x%2Fhistory may land on another, permitted route and be
    # refused there with 422, which is no bypass.)
    if canon in (401, 403) and st in HANDLER_STATUSES and op.is_write:
        res.fail("paths", "role-bypass-reached-handler", op.method, target, role, st, r.elapsed,
                 "%s; canonical %s" % (variant, canon))
        return False
    return True


def section_paths(ctx, ops):
    args, res = ctx.args, ctx.results
    budget = Budget(args.paths_budget)
    v1 = [op for op in ops if op.path.startswith("/v1/") and not op.open]
    # Reads first, then writes that create or change, deletions last.
    order = {"GET": 0, "HEAD": 0, "POST": 1, "PUT": 1, "PATCH": 1, "DELETE": 2}
    v1.sort(key=lambda op: order.get(op.method, 1))
    print("== 1. path spellings: %d operations x %d spellings x %d token cases" %
          (len(v1), len(spellings("/v1/a/b", 1)) + 1, len(TOKENS)), flush=True)
    c = ctx.client()
    sent = 0
    scopes = [(None, list(TOKENS))]
    if ctx.other_city:
        scopes.append((ctx.other_city, ["cio", "integration"]))
    for op in v1:
        for city, roles in scopes:
            if city and "{cityId}" not in op.path:
                continue
            if budget.over():
                res.note("path section stopped at its time budget (%d s) before %s %s" %
                         (args.paths_budget, op.method, op.path))
                c.close()
                return
            path = ctx.fill(op.path, city)
            query = qs(required_query(op))
            canonical = {}
            ctx.canonical["%s %s%s" % (op.method, op.path, " (other city)" if city else "")] = canonical
            # The canonical path first, with a body that fails validation: allowed roles get 4xx
            # from the handler (422/400/412), denied ones 401/403/404; nothing is changed.
            def attempt(target, role, body_kind, variant):
                """Sends one request and judges it; False when the server can no longer be used."""
                nonlocal c, sent
                mark = ctx.server.log_size()
                r = request_op(ctx, c, op, target, role, body_kind)
                sent += 1
                if variant == "canonical":
                    canonical[role] = r.status
                if r.status is None:
                    finding, usable = handle_no_answer(ctx, "paths", op.method, target, role, r, mark, variant,
                                                       op.method + " " + op.path, variant)
                    if not usable:
                        return False
                    c.close()
                    c = ctx.client()
                    if finding:
                        return True
                if judge_path(ctx, op, target, variant, role, r, canonical):
                    res.ok()
                return True

            for role in roles:
                if not attempt(path + query, role, "invalid", "canonical"):
                    c.close()
                    return
            # Then every spelling with a valid-ish body (the spec's example), so a bypass shows as 2xx.
            for variant, vpath in spellings(path, ctx.server.port):
                for role in roles:
                    if not attempt(vpath + query, role, "valid", variant):
                        c.close()
                        return
    c.close()
    print("   %d requests" % sent, flush=True)


# --------------------------------------------------------------------------------------------------
# Section 2: numeric and date extremes

RAW_NUL = "\x00"
LONG_DIGITS = "9" * 5000
COMMON = ["", "%20", "0", "-1", "2147483648", "9223372036854775808", "18446744073709551616", "1e308",
          "NaN", LONG_DIGITS, "%00", RAW_NUL, "null", "%FF", "%C0%AE"]
INTS = ["0", "-1", "1", "-0", "%2B1", "+1", "2147483647", "2147483648", "-2147483649", "4294967296",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "18446744073709551616", "1e308", "1e309", "-1e308", "1e-308", "NaN", "Infinity", "-Infinity", "1.5",
        "0.5", "0x10", "", "%20", LONG_DIGITS, "-" + LONG_DIGITS, "0" * 5000 + "1", "%00", "1%00", RAW_NUL,
        "%EF%BC%91", "1,2", "1&limit=2"]
DATES = ["0000-01-01", "0001-01-01", "1899-12-31", "1900-01-01", "1969-12-31", "1970-01-01", "2024-02-29",
         "2026-02-28", "2026-02-29", "2026-02-30", "2026-04-31", "2026-00-01", "2026-13-01", "2026-12-32",
         "2026-01-00", "2199-12-31", "2200-01-01", "2201-01-01", "9999-12-31", "10000-01-01", "99999-12-31",
         "-0001-01-01", "%2B2026-01-01", "2026-1-1", "20260101", "2026-01-01T00:00:00Z", "2026-01-01%00",
         "2026-W01-1", "2026-001"]
DATETIMES = [
    "9999-12-31T22:00:00Z", "9999-12-31T21:59:59Z", "9999-12-31T21:59:59.999Z", "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:59.999Z", "9999-12-31T22:00:00.000Z", "9999-12-31T22:00:00%2B00:00",
    "9999-12-31T23:59:59-23:59", "9999-12-31T00:00:00-23:59", "10000-01-01T00:00:00Z",
    "0000-01-01T00:00:00Z", "0000-12-31T23:00:00Z", "0001-01-01T00:00:00Z", "0001-01-01T00:00:00%2B23:59",
    "-0001-01-01T00:00:00Z", "1899-12-31T23:59:59Z", "1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z",
    "2201-01-01T00:00:00Z", "2026-01-01T00:00:00-00:00", "2026-01-01T00:00:00%2B23:59",
    "2026-01-01T00:00:00-23:59", "2026-01-01T00:00:00+23:59", "2026-01-01T00:00:00%2B24:00",
    "2026-01-01T00:00:00-24:00", "2026-01-01T00:00:00%2B99:99",
    "2026-01-01T00:00:00." + "1" * 30 + "Z", "2026-01-01T00:00:00." + "9" * 30 + "Z",
    "9999-12-31T21:59:59." + "9" * 30 + "Z", "2026-01-01T00:00:00." + "9" * 30 + "%2B23:59",
    "2026-01-01T00:00:00." + "9" * 5000 + "Z", "2026-01-01T24:00:00Z", "2026-12-31T23:59:60Z",
    "2026-06-30T23:59:60Z", "2026-01-01T99:99:99Z", "2026-02-30T00:00:00Z", "2026-01-01t00:00:00z",
    "2026-01-01%2000:00:00Z", "2026-01-01T00:00Z", "2026-01-01T00:00:00", "2026-01-01T00:00:00.Z",
    "2026-01-01T00:00:00Z%00", "2026-01-01T00:00:00.%00Z",
]
MONTHS = ["0000-01", "0001-01", "1899-12", "1900-01", "2199-12", "2200-01", "9999-12", "10000-01", "2026-00",
          "2026-13", "2026-1", "2026-001", "2026-Q1", "2026-Q5", "2026-01-01", "-2026-01", "%2B2026-01",
          "2026-01%00"]
MONTH_PAIRS = [("1900-01", "2199-12"), ("2016-01", "2025-12"), ("2015-12", "2025-12"), ("2199-01", "2199-12"),
               ("1900-01", "1900-12"), ("2026-12", "2026-01"), ("0000-01", "9999-12"), ("9999-12", "9999-12"),
               ("0000-01", "0000-01")]


def dedupe(values):
    seen, out = set(), []
    for v in values:
        if v not in seen:
            seen.add(v)
            out.append(v)
    return out


def param_kind(p):
    sch = p.get("schema", {}) or {}
    name = p["name"]
    t = sch.get("type")
    pattern = sch.get("pattern", "")
    subs = sch.get("oneOf", []) + sch.get("anyOf", [])
    fmts = {sch.get("format")} | {s.get("format") for s in subs if isinstance(s, dict)}
    if t in ("integer", "number") or pattern in ("^[0-9]+$", r"^\d+$"):
        return "int"
    if "date-time" in fmts:
        return "datetime"
    if "date" in fmts or pattern == r"^\d{4}-\d{2}-\d{2}$":
        return "date"
    if "(0[1-9]|1[0-2])$" in pattern and "-\\d{2}-" not in pattern:
        return "month"
    if name in ("from", "to", "asOf", "on", "at", "since", "until") or re.search(r"(Before|After|On|Date)$", name):
        return "datetime"
    return None


def values_for(kind, name):
    if kind == "int":
        vals = dedupe(INTS + COMMON)
        if name == "wait":
            # Keep any wait the server may honour at one second at most.
            def small(v):
                try:
                    f = float(v)
                except ValueError:
                    return True
                return not f > 1
            vals = [v for v in vals if small(v)]
        return vals
    if kind == "date":
        return dedupe(DATES + COMMON)
    if kind == "datetime":
        return dedupe(DATES + DATETIMES + COMMON)
    if kind == "month":
        return dedupe(MONTHS + COMMON)
    return []


def value_class(v):
    """Values that probably fail the same way: instants at either end of the representable range."""
    m = re.match(r"^(?:%2B|\+|-)?(\d{4,})-", v)
    if not m:
        return None
    year = int(m.group(1))
    if year >= 9999:
        return "far-future"
    if year <= 1:
        return "far-past"
    return None


def section_extremes(ctx, ops):
    args, res = ctx.args, ctx.results
    budget = Budget(args.extremes_budget)
    cases = []   # (op, param name, value, query)
    for op in ops:
        if op.method != "GET" or op.open or not op.path.startswith("/v1/"):
            continue
        qps = op.query_params()
        base = {p["name"]: default_value(p["name"]) for p in qps if p.get("required")}
        names = {p["name"] for p in qps}
        for p in qps:
            kind = param_kind(p)
            if not kind:
                continue
            for v in values_for(kind, p["name"]):
                q = dict(base)
                q[p["name"]] = v
                cases.append((op, p["name"], v, q))
        if "from" in names and "to" in names and param_kind(next(p for p in qps if p["name"] == "from")) == "month":
            for v in MONTHS + ["", "0", LONG_DIGITS]:
                cases.append((op, "from+to", v, dict(base, **{"from": v, "to": v})))
            for a, b in MONTH_PAIRS:
                cases.append((op, "from+to", a + ".." + b, dict(base, **{"from": a, "to": b})))
    print("== 2. numeric and date extremes: %d requests planned" % len(cases), flush=True)
    c = ctx.client()
    last_op = None
    skipped_value = defaultdict(int)   # (param, value) -> operations not tried
    skipped_class = defaultdict(list)  # (op, param, class) -> values not tried
    failures_by_value = defaultdict(int)
    failed_class = set()
    sent = 0
    for op, pname, value, q in cases:
        if budget.over():
            res.note("extremes section stopped at its time budget (%d s); %d of %d requests sent" %
                     (args.extremes_budget, sent, len(cases)))
            break
        if last_op is not None and op is not last_op:
            health_check(ctx, last_op)
        last_op = op
        key, cls = (pname, value), value_class(value)
        # Bounded time: a value that already hung or crashed the server on enough operations is not
        # tried again, nor other values of its class on an operation that hung on one of them.
        if failures_by_value[key] >= args.max_failures_per_value:
            skipped_value[key] += 1
            continue
        if cls and (op.op_id, pname, cls) in failed_class:
            skipped_class[(op.method + " " + op.path, pname, cls)].append(value)
            continue
        target = ctx.fill(op.path) + "?" + "&".join("%s=%s" % kv for kv in q.items())
        mark = ctx.server.log_size()
        r = c.request("GET", target, auth_headers("admin"))
        sent += 1
        detail = "%s=%s" % (pname, show(value))
        opname, group = op.method + " " + op.path, "%s=%s" % (pname, cls or show(value))
        if r.status is None:
            finding, usable = handle_no_answer(ctx, "extremes", "GET", target, "admin", r, mark, detail, opname, group)
            c.close()
            c = ctx.client()
            if finding:
                failures_by_value[key] += 1
                if cls:
                    failed_class.add((op.op_id, pname, cls))
            else:
                res.ok()
            if not usable:
                res.note("the server cannot be restarted; extremes section stopped")
                break
            continue
        if r.status >= 500:
            res.fail("extremes", "5xx", "GET", target, "admin", r.status, r.elapsed, detail, opname, group)
        else:
            res.ok()
    if last_op is not None:
        health_check(ctx, last_op)
    c.close()
    print("   %d requests" % sent, flush=True)
    for (pname, value), n in sorted(skipped_value.items()):
        res.note("%s=%s failed %d times; not tried on %d further operation(s)" %
                 (pname, show(value), failures_by_value[(pname, value)], n))
    agg = defaultdict(lambda: [0, 0])
    for (opname, pname, cls), vals in sorted(skipped_class.items()):
        agg[(pname, cls)][0] += 1
        agg[(pname, cls)][1] += len(vals)
    for (pname, cls), (nops, nvals) in sorted(agg.items()):
        res.note("%s %s: after one failed on an operation, the other values of the class were skipped there "
                 "(%d operation(s), %d request(s) skipped)" % (cls, pname, nops, nvals))


def health_check(ctx, op):
    if ctx.server.healthy(5):
        ctx.results.ok()
        return
    ctx.results.fail("extremes", "server-unresponsive", "GET", "/healthz", "-", None, 5.0,
                     "after the extremes of %s %s" % (op.method, op.path), "GET /healthz", "after the extremes of an operation")
    handle_dead(ctx)


def handle_dead(ctx):
    if ctx.server.can_restart:
        ok = ctx.server.restart()
        ctx.results.note("server restarted after it stopped answering /healthz%s" % ("" if ok else " -- FAILED"),
                         quiet=ok)
        return ok
    return ctx.server.healthy(5)


# --------------------------------------------------------------------------------------------------
# Section 3: stall check

def percentile(xs, p):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, int(round(p / 100.0 * len(xs) + 0.5)) - 1))
    return xs[k]


def section_stall(ctx):
    args, res = ctx.args, ctx.results
    if not ctx.server.healthy(5):
        handle_dead(ctx)
    city = ctx.ids["cityId"]
    past = args.stall_as_of
    heavy = ["/v1/supplier-scorecards?from=2016-01&to=2025-12",
             "/v1/benchmark",
             "/v1/supplier-scorecards?from=2016-01&to=2025-12&asOf=" + past,
             "/v1/benchmark?asOf=" + past,
             "/v1/audit-log/verify",
             # Whole-portfolio exports stream every record of every city; they must not hold up others either.
             "/v1/export",
             "/v1/export?asOf=" + past]
    duration = args.stall_seconds
    stop = threading.Event()
    load_stats = defaultdict(list)
    lock = threading.Lock()
    print("== 3. stall check: %d threads on %s for %.0f s" % (args.stall_threads, ", ".join(heavy), duration),
          flush=True)

    def load(i):
        c = ctx.client()
        k = i
        while not stop.is_set():
            target = heavy[k % len(heavy)]
            k += 1
            r = c.request("GET", target, auth_headers("admin"))
            with lock:
                load_stats[target].append((r.status, r.elapsed))
            if r.status is None:
                c.close()
                c = ctx.client()
                if r.timed_out:
                    time.sleep(0.1)
        c.close()

    threads = [threading.Thread(target=load, args=(i,), daemon=True) for i in range(args.stall_threads)]
    for t in threads:
        t.start()
    time.sleep(0.5)   # let the load build up
    # One probe thread per target, so that a slow city read does not thin out the /healthz samples.
    probes = OrderedDict([("/healthz", []), ("/v1/cities/" + city, [])])
    probe_errors = defaultdict(int)
    end = now() + duration

    def probe(target, role):
        pc = ctx.client()
        while now() < end:
            r = pc.request("GET", target, auth_headers(role) if role else {})
            with lock:
                probes[target].append(r.elapsed * 1000)
                if r.status != 200:
                    probe_errors[(target, r.status if r.status is not None else r.error)] += 1
            if r.status is None:
                pc.close()
                pc = ctx.client()
            time.sleep(args.stall_probe_interval)
        pc.close()

    probers = [threading.Thread(target=probe, args=("/healthz", None), daemon=True),
               threading.Thread(target=probe, args=("/v1/cities/" + city, "admin"), daemon=True)]
    for t in probers:
        t.start()
    for t in probers:
        t.join(duration + args.timeout + 2)
    stop.set()
    for t in threads:
        t.join(args.timeout + 2)
    for target in heavy:
        xs = load_stats.get(target, [])
        sts = defaultdict(int)
        for s, _ in xs:
            sts[s] += 1
        lat = [e * 1000 for _, e in xs]
        print("   load  %-70s n=%-4d p50=%7.1f ms p99=%7.1f ms statuses=%s" % (
            target, len(xs), percentile(lat, 50), percentile(lat, 99), dict(sts)), flush=True)
        # 503 is the server shedding all-city reports beyond its concurrency limit (with Retry-After): allowed,
        # as long as some of them are answered.
        if xs and not any(s == 200 for s, _ in xs):
            res.fail("stall", "never-answered", "GET", target, "admin", None, 0.0, group=target)
        for s, e in xs:
            if s is not None and s >= 500 and s != 503:
                res.fail("stall", "5xx", "GET", target, "admin", s, e, group=target)
            elif s is None:
                res.fail("stall", "timeout" if e >= args.timeout - 0.01 else "no-answer", "GET", target, "admin",
                         None, e, group=target)
    for target, xs in probes.items():
        p50, p99 = percentile(xs, 50), percentile(xs, 99)
        print("   probe %-70s n=%-4d p50=%7.1f ms p99=%7.1f ms max=%7.1f ms" % (
            target, len(xs), p50, p99, max(xs) if xs else float("nan")), flush=True)
        threshold = args.stall_threshold_ms if target == "/healthz" else args.stall_city_threshold_ms
        if threshold and threshold > 0:
            if p99 > threshold:
                res.fail("stall", "stall", "GET", target, "admin" if target != "/healthz" else "none", 200,
                         p99 / 1000.0, "p99 %.1f ms > %.0f ms under load (p50 %.1f ms, n=%d)" %
                         (p99, threshold, p50, len(xs)), group=target)
            else:
                res.ok()
    for (target, st), n in sorted(probe_errors.items(), key=str):
        res.fail("stall", "probe-error", "GET", target, "-", st if isinstance(st, int) else None, 0,
                 "%d probe(s) answered %s" % (n, st), group=target)


# --------------------------------------------------------------------------------------------------

def group_findings(findings):
    groups = OrderedDict()
    for f in findings:
        groups.setdefault((f["section"], f["kind"], f["group"]), []).append(f)
    return groups


def print_groups(findings):
    print("GROUPED (%d findings in %d groups):" % (len(findings), len(group_findings(findings))))
    for (section, kind, group), fs in group_findings(findings).items():
        roles = sorted({f["role"] for f in fs})
        statuses = sorted({str(f["status"]) if f["status"] is not None else "-" for f in fs})
        opnames = list(OrderedDict.fromkeys(f["op"] for f in fs))
        shown = ", ".join(opnames[:4]) + (", ... (%d operations)" % len(opnames) if len(opnames) > 4 else "")
        print("  [%s] %s%s: %d finding(s); roles %s; statuses %s; %s" % (
            section, kind, " " + group if group else "", len(fs), ",".join(roles), ",".join(statuses), shown))
        ex = fs[0]
        print("      e.g. %s %s role=%s -> %s" % (ex["method"], ex["target"], ex["role"],
                                                  ex["status"] if ex["status"] is not None else ex["detail"]))


def raw_exchange(port, data, half_close=True, timeout=10.0):
    """Sends raw bytes and reads the answer until the server closes or `timeout`; (status, body bytes, seconds)."""
    started = now()
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        sock.sendall(data)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        out = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            out += chunk
    finally:
        sock.close()
    m = re.match(rb"HTTP/1\.[01] (\d{3})", out)
    return (int(m.group(1)) if m else None), out, now() - started


def section_protocol(ctx):
    """Requests that are not whole HTTP: a body shorter than its Content-Length, a chunk size that does not
    parse; each must be a 4xx (never a 5xx, never a hang). And error answers stay small whatever was sent."""
    port = ctx.server.port
    admin = b"Authorization: Bearer salkku-demo-admin\r\n"
    cases = {
        "truncated body": b"POST /v1/suppliers HTTP/1.1\r\nHost: x\r\n" + admin
            + b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\":",
        "bad chunk size": b"POST /v1/suppliers HTTP/1.1\r\nHost: x\r\n" + admin
            + b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
    }
    print("== 4. protocol: %d malformed requests, error answer sizes" % len(cases), flush=True)
    for name, data in cases.items():
        status, _, elapsed = raw_exchange(port, data)
        if status is None or status >= 500:
            ctx.results.fail("protocol", "5xx" if status else "no-answer", "POST", "/v1/suppliers", "admin", status, elapsed, name)
        else:
            ctx.results.ok()
    keys = ",".join('"k%d": 1' % i for i in range(60000))
    body = ("{" + keys + "}").encode()
    status, out, elapsed = raw_exchange(port, b"POST /v1/suppliers HTTP/1.1\r\nHost: x\r\n" + admin
                                        + b"Content-Type: application/json\r\nConnection: close\r\nContent-Length: "
                                        + str(len(body)).encode() + b"\r\n\r\n" + body, half_close=False)
    if status != 422 or len(out) > 64_000:
        ctx.results.fail("protocol", "large-error", "POST", "/v1/suppliers", "admin", status, elapsed,
                         "%d unknown keys answered with %d bytes" % (60000, len(out)))
    else:
        ctx.results.ok()
    if not ctx.server.healthy(5):
        ctx.results.fail("protocol", "dead", "GET", "/healthz", None, None, 0.0, "after malformed requests")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base-url", help="a running server, http://127.0.0.1:PORT (else --binary starts one)")
    ap.add_argument("--binary", help="the salkku binary, to (re)start the server")
    ap.add_argument("--db", help="the server's database (for restarts)")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--pidfile", help="file holding the server's pid; rewritten after a restart")
    ap.add_argument("--server-log", help="append the server's output to this file")
    ap.add_argument("--server-arg", action="append", help="extra argument for 'salkku serve' (repeatable)")
    ap.add_argument("--spec", default=SPEC_DEFAULT)
    ap.add_argument("--sections", default="paths,extremes,stall,protocol")
    ap.add_argument("--timeout", type=float, default=10.0, help="per-request timeout in seconds (a finding)")
    ap.add_argument("--restart-after-timeout", action=argparse.BooleanOptionalAction, default=True,
                    help="restart the server after any timeout even if /healthz still answers")
    ap.add_argument("--max-failures-per-value", type=int, default=2,
                    help="after this many timeouts/crashes caused by one parameter value, skip it on further operations")
    ap.add_argument("--paths-budget", type=float, default=150, help="seconds for section 1")
    ap.add_argument("--extremes-budget", type=float, default=210, help="seconds for section 2")
    ap.add_argument("--stall-seconds", type=float, default=10)
    ap.add_argument("--stall-threads", type=int, default=4)
    ap.add_argument("--stall-threshold-ms", type=float, default=1000, help="/healthz p99 limit under load")
    ap.add_argument("--stall-city-threshold-ms", type=float, default=0,
                    help="GET /v1/cities/{id} p99 limit under load (0: report only)")
    ap.add_argument("--stall-probe-interval", type=float, default=0.02)
    ap.add_argument("--stall-as-of", default="2025-06-30")
    ap.add_argument("--json-report", help="write every finding as JSON to this file")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each finding as it happens")
    args = ap.parse_args()

    spec = load_spec(args.spec)
    ops = operations(spec)
    results = Results(args.verbose)
    server = Server(args)
    started_own = False
    if not args.base_url:
        server.start_own()
        started_own = True
    if not server.healthy(5):
        raise SystemExit("server at 127.0.0.1:%d does not answer /healthz" % server.port)
    ctx = Context(server, results, args)
    t0 = now()
    try:
        ids = ctx.discover()
        print("ids: " + json.dumps(ids) + (" otherCity: %s" % ctx.other_city), flush=True)
        sections = [s.strip() for s in args.sections.split(",")]
        if "paths" in sections:
            t = now()
            section_paths(ctx, ops)
            print("   (%.1f s)" % (now() - t), flush=True)
        if "extremes" in sections:
            t = now()
            section_extremes(ctx, ops)
            print("   (%.1f s)" % (now() - t), flush=True)
        if "stall" in sections:
            t = now()
            section_stall(ctx)
            print("   (%.1f s)" % (now() - t), flush=True)
        if "protocol" in sections:
            t = now()
            section_protocol(ctx)
            print("   (%.1f s)" % (now() - t), flush=True)
    finally:
        if started_own:
            server.stop()

    findings = results.findings
    print("")
    if findings:
        print("FINDINGS (%d):" % len(findings))
        for f in findings:
            print("  " + fmt_finding(f))
        print("")
        print_groups(findings)
    if results.notes:
        print("NOTES:")
        for n in results.notes:
            print("  " + n)
    if args.json_report:
        with open(args.json_report, "w") as f:
            json.dump({"findings": findings, "notes": results.notes, "passed": results.passed,
                       "canonical": ctx.canonical, "ids": ctx.ids}, f, indent=1)
    print("total %.1f s, server restarts %d" % (now() - t0, server.restarts))
    print("%d passed, %d failed" % (results.passed, len(findings)))
    sys.exit(1 if findings else 0)


if __name__ == "__main__":
    main()
