#!/usr/bin/env python3
"""Measures Salkku and Datasette on the same SQLite file with wrk, alternating A B A B; see bench/run."""
import argparse
import datetime
import json
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url, timeout=120):
    start = time.time()
    while time.time() - start < timeout:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.time() - start
        except Exception:
            time.sleep(0.01)
    raise RuntimeError(f"{url} did not answer")


def wrk(url, seconds, connections, headers=()):
    threads = 1 if connections == 1 else 2
    command = ["wrk", "--timeout", "60s", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "-s", os.path.join(HERE, "latency.lua"), url]
    for header in headers:
        command[1:1] = ["-H", header]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(l for l in output.splitlines() if l.startswith("WRKJSON "))
    result = json.loads(line[len("WRKJSON "):])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    drain(url, headers)
    return result


def request_with(url, headers):
    request = urllib.request.Request(url)
    for header in headers:
        name, value = header.split(": ", 1)
        request.add_header(name, value)
    return request


def warm(url, headers, times=2):
    """Untimed requests first, for both servers alike, so that a measurement does not include reading the
    file into the page cache the first time a view touches it."""
    request = request_with(url, headers)
    for _ in range(times):
        urllib.request.urlopen(request, timeout=300).read()


ALL_CITY = ("/v1/supplier-scorecards", "/v1/benchmark")


def drain(url, headers):
    """Requests still running when wrk stops would slow the next measurement: wait until a cheap request
    is fast again (twice in a row), up to two minutes. Cheap requests stay fast while all-city reports run,
    so after those the probe is the report itself, until the server has a free place for it again."""
    if any(path in url for path in ALL_CITY):
        request = request_with(url, headers)
        answered, deadline = 0, time.time() + 120
        while answered < 2 and time.time() < deadline:
            try:
                urllib.request.urlopen(request, timeout=120).read()
                answered += 1
            except Exception:
                answered = 0
                time.sleep(0.2)
        return
    probe = url.split("/v1/")[0] + "/v1/catalogue/focus-areas" if "/v1/" in url else url
    request = request_with(probe, headers)
    fast, deadline = 0, time.time() + 120
    while fast < 2 and time.time() < deadline:
        start = time.time()
        try:
            urllib.request.urlopen(request, timeout=60).read()
        except Exception:
            pass
        fast = fast + 1 if time.time() - start < 0.02 else 0
        time.sleep(0.2)


def report_loops(urls, headers, stop, count=4):
    """`count` clients asking all-city reports back to back until `stop` is set; the server sheds those beyond
    its limit with 503, which is what they are for."""
    def loop(url):
        request = request_with(url, headers)
        while not stop.is_set():
            try:
                urllib.request.urlopen(request, timeout=120).read()
            except Exception:
                time.sleep(0.05)
    threads = [threading.Thread(target=loop, args=(urls[i % len(urls)],), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    return threads


def isolation(base, city_id, auth, seconds):
    """Cheap reads and /healthz alone, then while four all-city reports run: what one user's heavy reports
    cost everyone else."""
    cheap = {"cheap read (one city)": (f"{base}/v1/cities/{city_id}", auth), "/healthz": (f"{base}/healthz", [])}
    reports = [f"{base}/v1/supplier-scorecards?from=2016-01&to=2025-12", f"{base}/v1/benchmark"]
    line = {}
    for name, (url, headers) in cheap.items():
        warm(url, headers)
        alone = wrk(url, seconds, 1, headers)
        stop = threading.Event()
        loops = report_loops(reports, auth, stop)
        time.sleep(0.5)
        loaded = wrk(url, seconds, 1, headers)
        stop.set()
        for thread in loops:
            thread.join(130)
        drain(reports[0], auth)
        line[name] = {"aloneP99ms": alone["p99"] / 1000, "aloneRps": round(alone["rps"], 1),
                      "withReportsP99ms": loaded["p99"] / 1000, "withReportsRps": round(loaded["rps"], 1),
                      "non2xx": alone["non2xx"] + alone["errors"] + loaded["non2xx"] + loaded["errors"]}
    return line


def contract_file(connection, city_id, rows):
    """A contract register of `rows` rows as a Finnish spreadsheet writes it: semicolons, euros, D.M.YYYY dates."""
    suppliers = [r[0] for r in connection.execute("SELECT businessId FROM supplier ORDER BY id LIMIT 50")]
    services = [r[0] for r in connection.execute(
        "SELECT externalId FROM service WHERE cityId = ? AND externalId IS NOT NULL ORDER BY id LIMIT 50", (city_id,))]
    lines = ["title;supplierBusinessId;externalId;category;procedure;totalValue;startDate;initialEndDate;options;renewal;"
             "noticePeriodMonths;managedBy;serviceExternalIds"]
    for n in range(rows):
        lines.append(f"Tuotu sopimus {n + 1};{suppliers[n % len(suppliers)]};TUONTI-{n + 1:05d};services;open;"
                     f"{1000 + n} 345,50;1.{1 + n % 12}.2025;31.12.2028;12+12;none;{3 + n % 4};central;"
                     f"{services[n % len(services)]}|{services[(n + 7) % len(services)]}")
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


def timed_import(url, body, headers):
    """Seconds an import took, and its totals."""
    request = request_with(url, headers + ["Content-Type: text/csv"])
    request.data = body
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            report = json.load(response)
    except urllib.error.HTTPError as error:
        report = json.load(error)
    return round(time.perf_counter() - start, 2), report["totals"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    rounds, seconds = (2, 1) if args.smoke else (3, 5)

    work = tempfile.mkdtemp(prefix="salkku-bench-")
    db = os.path.join(work, "national.sqlite")
    shutil.copy(args.data, db)
    token = subprocess.run([args.binary, "token", "create", "--role", "admin", "--name", "benchmark", "--db", db],
                           capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        city_id, code = connection.execute(
            "SELECT id, municipalityCode FROM city ORDER BY municipalityCode LIMIT 1").fetchone()
        contract_id = connection.execute("SELECT id FROM contract WHERE cityId = ? ORDER BY id LIMIT 1", (city_id,)).fetchone()[0]
        counts = {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                  for table in ["city", "service", "contract", "sla", "measurement"]}
        # A record time in the middle of the history, by which the measured city's records had all been written.
        middle = connection.execute("SELECT at FROM change WHERE seq >= (SELECT max(seq) / 2 FROM change) ORDER BY seq LIMIT 1").fetchone()[0]
        city_done = connection.execute("SELECT max(at) FROM change WHERE cityId = ?", (city_id,)).fetchone()[0]
        as_of = max(middle, city_done).replace("+", "%2B")

    salkku_port, datasette_port = free_port(), free_port()
    env = dict(os.environ, LOG_LEVEL="warning")
    salkku = subprocess.Popen([args.binary, "serve", "--db", db, "--port", str(salkku_port), "--token-rate", "10000000",
                               "--token-burst", "10000000", "--metrics-port", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    startup = wait_ready(f"http://127.0.0.1:{salkku_port}/readyz")
    datasette = subprocess.Popen([sys.executable, "-m", "datasette", "serve", "-i", db, "--port", str(datasette_port),
                                  "--setting", "max_returned_rows", "1000", "--setting", "suggest_facets", "off",
                                  "--setting", "num_sql_threads", "3"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_ready(f"http://127.0.0.1:{datasette_port}/-/versions.json")
    auth = [f"Authorization: Bearer {token}"]
    s, d = f"http://127.0.0.1:{salkku_port}", f"http://127.0.0.1:{datasette_port}/national"
    try:
        side_by_side = {
            "contract by id": (f"{s}/v1/cities/{city_id}/contracts/{contract_id}",
                               f"{d}/contract/{contract_id}.json?_shape=array"),
            "50 first contracts of a city": (f"{s}/v1/cities/{city_id}/contracts?limit=50",
                                             f"{d}/contract.json?cityId={city_id}&_sort=id&_size=50&_shape=array&_nocount=1"),
            "1000 contracts of a city": (f"{s}/v1/cities/{city_id}/contracts?limit=1000",
                                         f"{d}/contract.json?cityId={city_id}&_sort=id&_size=1000&_shape=array&_nocount=1"),
        }
        results = {"when": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                   "smoke": args.smoke, "rows": counts, "startupSeconds": round(startup, 3), "sideBySide": {}, "salkkuOnly": {}}
        for name, (salkku_url, datasette_url) in side_by_side.items():
            warm(salkku_url, auth)
            warm(datasette_url, [])
            runs = {"salkku": [], "datasette": []}
            for _ in range(rounds):
                runs["salkku"].append(wrk(salkku_url, seconds, 16, auth))
                runs["datasette"].append(wrk(datasette_url, seconds, 16))
            a = statistics.median(r["rps"] for r in runs["salkku"])
            b = statistics.median(r["rps"] for r in runs["datasette"])
            results["sideBySide"][name] = {"salkkuRps": round(a), "datasetteRps": round(b), "ratio": round(a / b, 1) if b else None,
                                           "salkkuNon2xx": sum(r["non2xx"] + r["errors"] for r in runs["salkku"]),
                                           "datasetteNon2xx": sum(r["non2xx"] + r["errors"] for r in runs["datasette"])}

        months = 12
        today = datetime.date.today()
        last = (today.replace(day=1) - datetime.timedelta(days=1))
        def month(date, back):
            index = date.year * 12 + date.month - 1 - back
            return f"{index // 12}-{index % 12 + 1:02d}"
        year = f"from={month(last, months - 1)}&to={month(last, 0)}"
        two_years = f"from={month(last, 23)}&to={month(last, 0)}"
        only = {
            "city-year compliance by supplier": (f"{s}/v1/cities/{city_id}/sla-compliance?{year}&groupBy=supplier", []),
            "city compliance trend, 24 months": (f"{s}/v1/cities/{city_id}/sla-compliance/trend?{two_years}", []),
            "supplier scorecards, all cities, 12 months": (f"{s}/v1/supplier-scorecards?{year}", []),
            "maturity of one city": (f"{s}/v1/cities/{city_id}/maturity", []),
            "benchmark of all cities": (f"{s}/v1/benchmark", []),
            "contract deadlines": (f"{s}/v1/cities/{city_id}/contract-deadlines", []),
            "breaches of a city as CSV": (f"{s}/v1/cities/{city_id}/sla-breaches?{year}", ["Accept: text/csv"]),
        }
        # All-city reports run a few at a time by design (503 beyond `--concurrent-reports`, default 2), so they
        # are measured at that concurrency instead of 16.
        all_city = {"supplier scorecards, all cities, 12 months", "benchmark of all cities"}
        for name, (url, extra) in only.items():
            warm(url, auth + extra)
            line = {}
            for connections in ((1, 2) if name in all_city else (1, 16)):
                result = wrk(url, seconds, connections, auth + extra)
                line[f"c{connections}"] = {"rps": round(result["rps"], 1), "p50ms": result["p50"] / 1000, "p95ms": result["p95"] / 1000,
                                           "p99ms": result["p99"] / 1000, "non2xx": result["non2xx"] + result["errors"]}
            results["salkkuOnly"][name] = line
        # Past reads (`asOf` in the middle of the history) against the same reads now: at most 2× the time.
        past = {
            "contract by id": f"{s}/v1/cities/{city_id}/contracts/{contract_id}",
            "50 first contracts of a city": f"{s}/v1/cities/{city_id}/contracts?limit=50",
            "city-year compliance by supplier": f"{s}/v1/cities/{city_id}/sla-compliance?{year}&groupBy=supplier",
            "maturity of one city": f"{s}/v1/cities/{city_id}/maturity",
            "supplier scorecards, all cities, 12 months": f"{s}/v1/supplier-scorecards?{year}",
            "benchmark of all cities": f"{s}/v1/benchmark",
        }
        results["asOf"] = {"instant": as_of.replace("%2B", "+"), "views": {}}
        for name, url in past.items():
            with_as_of = url + ("&" if "?" in url else "?") + f"asOf={as_of}"
            warm(url, auth)
            warm(with_as_of, auth)
            now_run, past_run = wrk(url, seconds, 1, auth), wrk(with_as_of, seconds, 1, auth)
            now_ms, past_ms = now_run["p50"] / 1000, past_run["p50"] / 1000
            results["asOf"]["views"][name] = {"nowP50ms": now_ms, "asOfP50ms": past_ms,
                                              "ratio": round(past_ms / now_ms, 2) if now_ms else None,
                                              "non2xx": now_run["non2xx"] + now_run["errors"] + past_run["non2xx"] + past_run["errors"]}
        # Four cross-city past reads at once (two run, the rest are turned away while they do), for the peak RSS.
        stop = threading.Event()
        loops = report_loops([f"{s}/v1/supplier-scorecards?{year}&asOf={as_of}", f"{s}/v1/benchmark?asOf={as_of}"], auth, stop)
        time.sleep(seconds * 2)
        stop.set()
        for thread in loops: thread.join()
        results["isolation"] = isolation(s, city_id, auth, seconds)
        with open(f"/proc/{salkku.pid}/status") as status:
            peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
        results["peakRssMB"] = round(peak / 1024, 1)

        # Last, so that the imported contracts change none of the measurements above.
        import_rows = 200 if args.smoke else 10_000
        with sqlite3.connect(db) as connection:
            body = contract_file(connection, city_id, import_rows)
        url = f"{s}/v1/cities/{city_id}/imports/contracts"
        results["import"] = {"rows": import_rows, "bytes": len(body)}
        for name, query in [("dryRun", "?dryRun=true"), ("create", ""), ("unchanged", "")]:
            seconds_taken, totals = timed_import(url + query, body, auth)
            results["import"][name] = {"seconds": seconds_taken, "totals": totals}
    finally:
        salkku.terminate()
        datasette.terminate()
        salkku.wait()
        datasette.wait()
        shutil.rmtree(work, ignore_errors=True)

    targets = [
        ("by id ≥ 10× Datasette", (results["sideBySide"]["contract by id"]["ratio"] or 0) >= 10),
        ("50-row page ≥ 12× Datasette", (results["sideBySide"]["50 first contracts of a city"]["ratio"] or 0) >= 12),
        ("1000-row page ≥ 5× Datasette", (results["sideBySide"]["1000 contracts of a city"]["ratio"] or 0) >= 5),
        ("city-year compliance p95 < 50 ms", results["salkkuOnly"]["city-year compliance by supplier"]["c1"]["p95ms"] < 50),
        ("all-city scorecards < 1 s", results["salkkuOnly"]["supplier scorecards, all cities, 12 months"]["c1"]["p95ms"] < 1000),
        ("maturity of one city < 100 ms", results["salkkuOnly"]["maturity of one city"]["c1"]["p95ms"] < 100),
        ("benchmark of all cities < 2 s", results["salkkuOnly"]["benchmark of all cities"]["c1"]["p95ms"] < 2000),
        ("peak RSS < 300 MB", results["peakRssMB"] < 300),
        (f"{results['import']['rows']}-row contract import < 10 s",
         results["import"]["create"]["seconds"] < 10 and results["import"]["create"]["totals"]["created"] == results["import"]["rows"]),
        ("start-up < 1 s", results["startupSeconds"] < 1),
        ("cheap read p99 ≤ 50 ms while 4 all-city reports run",
         results["isolation"]["cheap read (one city)"]["withReportsP99ms"] <= 50),
        ("/healthz p99 ≤ 50 ms while 4 all-city reports run", results["isolation"]["/healthz"]["withReportsP99ms"] <= 50),
    ] + [(f"{name} with asOf ≤ 2× without", (line["ratio"] or 99) <= 2) for name, line in results["asOf"]["views"].items()]
    # A view that completed no request in the window has not met its latency target.
    for name, key in [("all-city scorecards < 1 s", "supplier scorecards, all cities, 12 months"),
                      ("maturity of one city < 100 ms", "maturity of one city"),
                      ("benchmark of all cities < 2 s", "benchmark of all cities"),
                      ("city-year compliance p95 < 50 ms", "city-year compliance by supplier")]:
        if results["salkkuOnly"][key]["c1"]["rps"] == 0:
            targets = [(n, False if n == name else m) for n, m in targets]
    results["targets"] = {name: met for name, met in targets}
    failures = [name for name in ["sideBySide", "salkkuOnly"] for line in results[name].values()
                if any(v.get("non2xx", 0) for v in (line.values() if name == "salkkuOnly" else [{"non2xx": line["salkkuNon2xx"]}]))]
    failures += ["isolation" for line in results["isolation"].values() if line["non2xx"]]
    failures += [f"asOf {name}" for name, line in results["asOf"]["views"].items() if line["non2xx"]]

    print(f"\nrows: {counts}; start-up {results['startupSeconds']} s; peak RSS {results['peakRssMB']} MB")
    imported = results["import"]
    print(f"import of {imported['rows']} contracts ({imported['bytes']} bytes of CSV): dry run {imported['dryRun']['seconds']} s, "
          f"created in {imported['create']['seconds']} s, again (unchanged) {imported['unchanged']['seconds']} s")
    print(f"\n| side by side (16 connections) | Salkku req/s | Datasette req/s | ratio |")
    print("|---|---|---|---|")
    for name, line in results["sideBySide"].items():
        print(f"| {name} | {line['salkkuRps']} | {line['datasetteRps']} | {line['ratio']}× |")
    print(f"\n| Salkku only | c1 req/s | c1 p50 / p95 / p99 ms | cN | cN req/s | cN p50 / p95 / p99 ms |")
    print("|---|---|---|---|---|---|")
    for name, line in results["salkkuOnly"].items():
        c1 = line["c1"]
        key = next(k for k in line if k != "c1")
        cn = line[key]
        print(f"| {name} | {c1['rps']} | {c1['p50ms']} / {c1['p95ms']} / {c1['p99ms']} | {key[1:]} | {cn['rps']} | "
              f"{cn['p50ms']} / {cn['p95ms']} / {cn['p99ms']} |")
    print(f"\n| isolation (1 connection) | alone p99 ms | alone req/s | with 4 all-city reports p99 ms | req/s |")
    print("|---|---|---|---|---|")
    for name, line in results["isolation"].items():
        print(f"| {name} | {line['aloneP99ms']} | {line['aloneRps']} | {line['withReportsP99ms']} | {line['withReportsRps']} |")
    print(f"\n| with asOf={results['asOf']['instant']} (1 connection) | now p50 ms | asOf p50 ms | ratio |")
    print("|---|---|---|---|")
    for name, line in results["asOf"]["views"].items():
        print(f"| {name} | {line['nowP50ms']} | {line['asOfP50ms']} | {line['ratio']}× |")
    print("\n| target | met |\n|---|---|")
    for name, met in targets:
        print(f"| {name} | {'yes' if met else 'no'} |")
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    name = ("smoke-" if args.smoke else "") + results["when"].replace(":", "").replace("+0000", "Z")
    with open(os.path.join(HERE, "results", f"{name}.json"), "w") as out:
        json.dump(results, out, indent=2, ensure_ascii=False)
    if failures:
        print(f"\nrequests failed (non-2xx) in: {failures}")
        sys.exit(1)


if __name__ == "__main__":
    main()
