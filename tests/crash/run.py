#!/usr/bin/env python3
"""Crash safety: writers hammer a running Salkku, which is killed with SIGKILL at random moments and
restarted. After every restart each write that was acknowledged with 2xx must be there with its
acknowledged content, PRAGMA integrity_check must say ok and the audit chain must verify. Finally a
request held open across SIGTERM must complete and the server exit cleanly.

    tests/crash/run.py [--cycles 20] [--binary .build/debug/salkku] [--seed 1]
"""
import argparse
import json
import os
import random
import signal
import sqlite3
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, db, port):
        self.binary, self.db, self.port = binary, db, port
        self.process = None

    def start(self):
        # Generous limits: the verification reads back every acknowledged write with one token.
        self.process = subprocess.Popen([self.binary, "serve", "--db", self.db, "--port", str(self.port),
                                         "--token-rate", "1000000", "--token-burst", "1000000", "--metrics-port", "0"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/readyz", timeout=1) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.05)
        raise RuntimeError("server did not become ready")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


class Client:
    def __init__(self, port, token):
        self.base, self.token = f"http://127.0.0.1:{port}", token

    def call(self, method, path, body=None, timeout=10):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cycles", type=int, default=20)
    parser.add_argument("--binary", default=".build/debug/salkku")
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    workdir = tempfile.mkdtemp(prefix="salkku-crash-")
    db = os.path.join(workdir, "crash.sqlite")
    created = subprocess.run([args.binary, "token", "create", "--role", "admin", "--name", "crash test", "--db", db],
                             check=True, capture_output=True, text=True)
    token = created.stdout.strip().splitlines()[-1]
    port = free_port()
    server = Server(args.binary, db, port)
    client = Client(port, token)

    server.start()
    status, city = client.call("POST", "/v1/cities", {"municipalityCode": "092", "name": {"fi": "Vantaa"}})
    assert status == 201, city
    city_id = city["id"]
    status, supplier = client.call("POST", "/v1/suppliers", {"name": "Kaatuva Oy", "businessId": "0112038-9", "kind": "commercial"})
    assert status == 201, supplier
    status, service = client.call("POST", f"/v1/cities/{city_id}/services", {
        "name": "Mittauspalvelu", "sector": "administration", "owner": {"name": "A"}, "lifecycle": "active",
        "providerId": supplier["id"], "criticality": "low"})
    assert status == 201, service
    status, contract = client.call("POST", f"/v1/cities/{city_id}/contracts", {
        "title": "Pitkä sopimus", "supplierId": supplier["id"], "category": "services", "procedure": "open",
        "totalValueCents": 120000, "annualValueCents": 1200, "startDate": "2000-01-01", "initialEndDate": "2099-12-31",
        "renewal": "none", "managedBy": "central", "serviceIds": [service["id"]]})
    assert status == 201, contract
    slas = []
    for writer in range(args.writers):
        status, sla = client.call("POST", f"/v1/cities/{city_id}/slas", {
            "contractId": contract["id"], "serviceId": service["id"], "name": f"SLA {writer}", "metric": "availability",
            "unit": "percent", "target": 99.5, "period": "month", "serviceCreditPercent": 5})
        assert status == 201, sla
        slas.append(sla["id"])

    acknowledged = {"services": {}, "contracts": {}, "measurements": {}}
    lock = threading.Lock()
    next_month = [0] * args.writers

    def writer(index, stop):
        local = random.Random(rng.random())
        while not stop.is_set():
            try:
                kind = local.choice(["service", "service", "contract", "measurement", "measurement", "measurement"])
                if kind == "service":
                    name = f"Palvelu {index}-{local.getrandbits(32)}"
                    status, body = client.call("POST", f"/v1/cities/{city_id}/services", {
                        "name": name, "sector": "administration", "owner": {"name": "B"}, "lifecycle": "plan", "criticality": "low"})
                    if 200 <= status < 300:
                        with lock:
                            acknowledged["services"][body["id"]] = name
                elif kind == "contract":
                    title = f"Sopimus {index}-{local.getrandbits(32)}"
                    status, body = client.call("POST", f"/v1/cities/{city_id}/contracts", {
                        "title": title, "supplierId": supplier["id"], "category": "supplies", "procedure": "open",
                        "totalValueCents": local.randrange(1, 10**9), "startDate": "2025-01-01", "initialEndDate": "2026-12-31",
                        "renewal": "none", "managedBy": "central"})
                    if 200 <= status < 300:
                        with lock:
                            acknowledged["contracts"][body["id"]] = title
                else:
                    month = next_month[index]
                    next_month[index] += 1
                    period = f"{2000 + month // 12}-{month % 12 + 1:02d}"
                    value = local.randrange(90000, 100001) / 1000
                    status, body = client.call("PUT", f"/v1/cities/{city_id}/slas/{slas[index]}/measurements/{period}",
                                               {"value": value, "source": "monitoring"})
                    if 200 <= status < 300:
                        with lock:
                            acknowledged["measurements"][(slas[index], period)] = body["value"]
            except (urllib.error.URLError, ConnectionError, OSError, json.JSONDecodeError):
                time.sleep(0.01)

    def verify():
        problems = []
        for service_id, name in list(acknowledged["services"].items()):
            status, body = client.call("GET", f"/v1/cities/{city_id}/services/{service_id}")
            if status != 200 or body.get("name") != name:
                problems.append(f"service {service_id}: {status}")
        for contract_id, title in list(acknowledged["contracts"].items()):
            status, body = client.call("GET", f"/v1/cities/{city_id}/contracts/{contract_id}")
            if status != 200 or body.get("title") != title:
                problems.append(f"contract {contract_id}: {status}")
        for (sla_id, period), value in list(acknowledged["measurements"].items()):
            status, body = client.call("GET", f"/v1/cities/{city_id}/slas/{sla_id}/measurements/{period}")
            if status != 200 or body.get("value") != value:
                problems.append(f"measurement {sla_id} {period}: {status} {body.get('value') if status == 200 else ''}")
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
            integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            problems.append(f"integrity_check: {integrity}")
        audit = subprocess.run([args.binary, "audit", "verify", "--db", db], capture_output=True, text=True)
        if audit.returncode != 0:
            problems.append(f"audit chain: {audit.stdout.strip()}")
        return problems

    passed = failed = 0
    for cycle in range(1, args.cycles + 1):
        stop = threading.Event()
        threads = [threading.Thread(target=writer, args=(i, stop)) for i in range(args.writers)]
        for thread in threads:
            thread.start()
        time.sleep(rng.uniform(0.3, 1.5))
        server.kill()
        stop.set()
        for thread in threads:
            thread.join()
        server.start()
        problems = verify()
        writes = sum(len(v) for v in acknowledged.values())
        if problems:
            failed += 1
            print(f"cycle {cycle}: FAILED after {writes} acknowledged writes: " + "; ".join(problems[:5]), flush=True)
        else:
            passed += 1
            print(f"cycle {cycle}: ok, {writes} acknowledged writes all present", flush=True)

    # Graceful shutdown: a request held open across SIGTERM still gets its answer.
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        after = connection.execute("SELECT max(seq) FROM change").fetchone()[0]
    result = {}

    def held():
        result["answer"] = client.call("GET", f"/v1/changes?after={after}&wait=3", timeout=20)

    holder = threading.Thread(target=held)
    holder.start()
    time.sleep(0.5)
    server.process.send_signal(signal.SIGTERM)
    holder.join()
    exit_code = server.process.wait(timeout=30)
    if result.get("answer", (0,))[0] == 200 and exit_code == 0:
        passed += 1
        print("graceful shutdown: ok, the held request was answered and the server exited 0")
    else:
        failed += 1
        print(f"graceful shutdown: FAILED ({result.get('answer')}, exit {exit_code})")

    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    try:
        main()
    finally:
        # Never leave a server behind, whatever happened.
        subprocess.run(["pkill", "-KILL", "-f", "salkku serve --db /tmp/salkku-crash-"], check=False)
