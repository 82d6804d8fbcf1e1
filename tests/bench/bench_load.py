"""A load run against a real Samnav server on localhost (issue 10).

Run: `make bench BENCH_ARGS=load` or `python -m tests.bench load`.
Settings come from the environment: SAMNAV_BENCH_LOAD_AGENCIES (agencies in the federation,
default 50, topped up by template clone with a copy of the first one's tickets),
SAMNAV_BENCH_LOAD_SECONDS (default 20), SAMNAV_BENCH_LOAD_MAX_REQUESTS (default 20000: the run
stops at whichever comes first), SAMNAV_BENCH_LOAD_CONNECTIONS (default 8),
SAMNAV_BENCH_LOAD_WORKERS and SAMNAV_BENCH_LOAD_THREADS (gunicorn's, default 2 and 4 as in
deploy/gunicorn.conf.py).

The server is gunicorn serving `config.wsgi` as in production (gthread, 2 workers x 4 threads)
on 127.0.0.1 and a free port, against the benchmark database, started as a subprocess and
stopped at the end. Traffic goes only to that address. The load generator is wrk
(`apt-get install wrk`), driven by a Lua script that cycles through a fixed mix of GraphQL
requests with API tokens; without wrk a small Python client (threads, keep-alive) does the
same, bounded the same way.

The mix (weights in brackets): on the central host a service-desk agent reads the service-desk
queue [3] and the fulfilment queue [2]; on agency hosts, spread over up to 10 agencies, the
agency's admin reads its ticket list [3] and the catalogue [1], and its staff member reads
their own tickets [1]. An error is a response that is not 200 or carries GraphQL errors, or a
socket error or timeout. Reported: requests, throughput, p50/p95/p99 and errors (aim: 0).
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.db import connection

from services.agencies.tokens import issue_api_token
from services.crossindex.models import IndexEntry
from tenants.models import Agency, RoleGrant, User
from tenants.roles import Role
from tests.bench import bench_graphql, bench_queue, bench_scale, harness

DEFAULT_AGENCIES = 50
DEFAULT_SECONDS = 20
DEFAULT_MAX_REQUESTS = 20_000
DEFAULT_CONNECTIONS = 8
# As deploy/gunicorn.conf.py by default (GUNICORN_WORKERS, GUNICORN_THREADS).
WORKERS = int(os.environ.get("SAMNAV_BENCH_LOAD_WORKERS", "2"))
THREADS = int(os.environ.get("SAMNAV_BENCH_LOAD_THREADS", "4"))
MIX_AGENCIES = 10
STAFF_TICKETS = "{ tickets(first: 20) { totalCount edges { node { subject state } } } }"
ORDERS = "{ orders(first: 20) { totalCount edges { node { state } } } }"


@dataclass(frozen=True)
class Request:
    name: str
    host: str
    token: str
    body: str


# --- The mix ----------------------------------------------------------------------------------
def _token(username: str, role: str, agency: Agency | None) -> str:
    user, created = User.objects.get_or_create(username=username)
    if created:
        RoleGrant.objects.create(user=user, role=role, agency=agency)
    return issue_api_token(user, "load benchmark")[0]


def _body(query: str) -> str:
    return json.dumps({"query": query})


def request_mix(agencies: list[Agency]) -> list[Request]:
    """The requests the load cycles through, in proportion to their weights."""
    desk = bench_queue.desk_token()
    central = bench_queue.host(None)
    mix = [Request("service_desk_queue", central, desk, _body(bench_queue.QUEUE))] * 3
    mix += [Request("fulfilment_queue", central, desk, _body(bench_scale.FULFILMENT))] * 2
    for agency in agencies:
        host = bench_queue.host(agency)
        admin = bench_queue.admin_token(agency)
        staff = _token(f"bench-staff-{agency.slug}", Role.AGENCY_STAFF, agency)
        mix += [Request("agency_tickets", host, admin, _body(bench_queue.TICKETS))] * 3
        mix.append(Request("catalogue", host, admin, _body(bench_graphql.CATALOGUE_QUERY)))
        mix.append(Request("staff_tickets", host, staff, _body(STAFF_TICKETS)))
    return mix


def prepare(agencies: int) -> list[Request]:
    """A federation of `agencies` (topped up by template clone, with tickets) and the mix."""
    figures = bench_scale.load_federation(demo=False)
    if figures["agencies"] < agencies:
        first = Agency.objects.members().order_by("id").first()
        bench_scale.grow(agencies, bench_scale.Prototype(first))
    connection.set_schema_to_public()
    members = list(Agency.objects.members().order_by("id")[:MIX_AGENCIES])
    if not IndexEntry.objects.exists():
        raise AssertionError("the federation has no tickets")
    return request_mix(members)


# --- The server -------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn on 127.0.0.1:<free port> against the benchmark database."""

    def __init__(self, log: Path):
        self.port = free_port()
        self.log_path = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "LOG_LEVEL": "WARNING"}
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--worker-class=gthread",
            f"--workers={WORKERS}",
            f"--threads={THREADS}",
            f"--bind=127.0.0.1:{self.port}",
            f"--pythonpath={harness.REPO / 'platform'},{harness.REPO}",
            "config.wsgi:application",
        ]
        self._log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            command, cwd=harness.REPO, env=env, stdout=self._log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2)  # noqa: S310
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.3)
        self.stop()
        tail = self.log_path.read_text()[:4000]
        raise RuntimeError(f"the server did not start:\n{tail}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if getattr(self, "_log", None):
            self._log.close()


# --- Load generators --------------------------------------------------------------------------
LUA = r"""
local mix = %(mix)s
local max_requests = %(max_requests)d
local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  n = 0
  responses = 0
  bad = 0
  per_thread = math.floor(max_requests / %(threads)d)
end

function request()
  n = n + 1
  local r = mix[(n + id * 7) %% #mix + 1]
  return wrk.format("POST", "/graphql/", {
    ["Host"] = r[1],
    ["Authorization"] = "Bearer " .. r[2],
    ["Content-Type"] = "application/json",
  }, r[3])
end

function response(status, headers, body)
  responses = responses + 1
  if status ~= 200 or string.find(body, '"errors"', 1, true) then
    bad = bad + 1
  end
  if responses >= per_thread then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local bad_total = 0
  for _, t in ipairs(threads) do
    bad_total = bad_total + t:get("bad")
  end
  local e = summary.errors
  io.write(string.format(
    'SAMNAV {"requests": %%d, "seconds": %%.3f, "p50_ms": %%.3f, "p95_ms": %%.3f, '
    .. '"p99_ms": %%.3f, "bad": %%d, "connect": %%d, "read": %%d, "write": %%d, '
    .. '"status": %%d, "timeout": %%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, latency:percentile(99) / 1e3, bad_total,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def _lua_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'"


def lua_script(mix: list[Request], max_requests: int, threads: int) -> str:
    rows = ",\n  ".join(
        "{" + ", ".join(_lua_string(v) for v in (r.host, r.token, r.body)) + "}" for r in mix
    )
    return LUA % {"mix": "{\n  " + rows + "\n}", "max_requests": max_requests, "threads": threads}


def parse_wrk(output: str) -> dict:
    """The figures from the SAMNAV line that the script's done() prints."""
    for line in output.splitlines():
        if line.startswith("SAMNAV "):
            raw = json.loads(line.removeprefix("SAMNAV "))
            errors = raw["bad"] + sum(raw[k] for k in ("connect", "read", "write", "timeout"))
            return {
                "requests": raw["requests"],
                "seconds": raw["seconds"],
                "rps": raw["requests"] / raw["seconds"] if raw["seconds"] else 0.0,
                "p50_ms": raw["p50_ms"],
                "p95_ms": raw["p95_ms"],
                "p99_ms": raw["p99_ms"],
                "errors": errors,
            }
    raise ValueError(f"no SAMNAV line in wrk's output:\n{output}")


def run_wrk(port: int, mix, seconds: int, max_requests: int, connections: int) -> dict:
    threads = 2
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_script(mix, max_requests, threads))
    try:
        done = subprocess.run(
            [
                "wrk",
                f"--threads={threads}",
                f"--connections={max(connections, threads)}",
                f"--duration={seconds}s",
                "--timeout=10s",
                f"--script={script.name}",
                f"http://127.0.0.1:{port}/graphql/",
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=False,
        )
    finally:
        os.unlink(script.name)
    return {"tool": "wrk", **parse_wrk(done.stdout)}


def run_python(port: int, mix, seconds: int, max_requests: int, connections: int) -> dict:
    """The fallback: `connections` threads with one keep-alive connection each."""
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]
    issued = [0]

    def worker(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        i = offset
        while time.monotonic() < deadline:
            with lock:
                if issued[0] >= max_requests:
                    break
                issued[0] += 1
            r = mix[i % len(mix)]
            i += 1
            start = time.perf_counter()
            try:
                conn.request(
                    "POST",
                    "/graphql/",
                    r.body,
                    {
                        "Host": r.host,
                        "Authorization": f"Bearer {r.token}",
                        "Content-Type": "application/json",
                    },
                )
                response = conn.getresponse()
                body = response.read()
                ok = response.status == 200 and b'"errors"' not in body
            except OSError:
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                errors[0] += 0 if ok else 1
        conn.close()

    started = time.perf_counter()
    workers = [threading.Thread(target=worker, args=(k * 7,)) for k in range(connections)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    total = time.perf_counter() - started
    return {
        "tool": "python",
        "requests": len(latencies),
        "seconds": total,
        "rps": len(latencies) / total,
        "p50_ms": harness.percentile(latencies, 50) * 1000,
        "p95_ms": harness.percentile(latencies, 95) * 1000,
        "p99_ms": harness.percentile(latencies, 99) * 1000,
        "errors": errors[0],
    }


def service_times(port: int, mix: list[Request], repeat: int = 10) -> dict[str, dict]:
    """Each kind of request alone, on one connection with nothing else running: its median and
    slowest time, to read the load run's tail against (is it one slow kind, or queueing?)."""
    kinds: dict[str, list[Request]] = {}
    for r in mix:
        kinds.setdefault(r.name, []).append(r)
    out = {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        for name, requests in kinds.items():
            seconds = []
            for i in range(repeat):
                r = requests[i % len(requests)]
                headers = {
                    "Host": r.host,
                    "Authorization": f"Bearer {r.token}",
                    "Content-Type": "application/json",
                }
                start = time.perf_counter()
                conn.request("POST", "/graphql/", r.body, headers)
                conn.getresponse().read()
                seconds.append(time.perf_counter() - start)
            out[name] = {
                "p50_ms": harness.median(seconds) * 1000,
                "max_ms": max(seconds) * 1000,
                "share": len(requests) / len(mix),
            }
    finally:
        conn.close()
    return out


# --- The benchmark ----------------------------------------------------------------------------
def load(
    agencies: int = DEFAULT_AGENCIES,
    seconds: int = DEFAULT_SECONDS,
    max_requests: int = DEFAULT_MAX_REQUESTS,
    connections: int = DEFAULT_CONNECTIONS,
    tool: str | None = None,
) -> dict:
    mix = prepare(agencies)
    tool = tool or ("wrk" if shutil.which("wrk") else "python")
    runner = {"wrk": run_wrk, "python": run_python}[tool]
    connection.close()  # the server and its workers get the database to themselves
    with tempfile.TemporaryDirectory(prefix="samnav-load-") as tmp:
        server = Server(Path(tmp) / "server.log")
        server.start()
        try:
            # one pass over the mix first: every request must succeed (and warms the workers)
            warm = runner(server.port, mix, seconds, len(mix), 1)
            if warm["errors"]:
                log = server.log_path.read_text()[-3000:]
                raise AssertionError(f"the mix failed before the load run:\n{log}")
            alone = service_times(server.port, mix)
            figures = runner(server.port, mix, seconds, max_requests, connections)
        finally:
            server.stop()
    figures.update(
        alone=alone,
        agencies=Agency.objects.members().count(),
        mix=len(mix),
        mix_agencies=min(agencies, MIX_AGENCIES),
        connections=connections,
        bound_seconds=seconds,
        bound_requests=max_requests,
    )
    return figures


def report(figures: dict) -> str:
    f = figures
    return "\n".join(
        [
            harness.table(
                f"Load run with {f['tool']} on 127.0.0.1: {f['agencies']} agencies, a mix of "
                f"{f['mix']} requests over the central host and {f['mix_agencies']} agency "
                f"hosts, {f['connections']} connections, bounded by {f['bound_seconds']} s and "
                f"{f['bound_requests']} requests (gunicorn gthread, {WORKERS} workers x "
                f"{THREADS} threads)",
                ["requests", "seconds", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors"],
                [
                    [f["requests"], f["seconds"], f["rps"], f["p50_ms"]]
                    + [f["p95_ms"], f["p99_ms"], f["errors"]]
                ],
            ),
            f"errors: {f['errors']} (aim 0: {'met' if f['errors'] == 0 else 'NOT met'})",
            "",
            harness.table(
                "Each kind alone (one connection, before the load run)",
                ["request", "share of the mix", "p50 ms", "slowest ms"],
                [
                    [name, f"{a['share']:.0%}", a["p50_ms"], a["max_ms"]]
                    for name, a in f["alone"].items()
                ],
            ),
        ]
    )


def run(options) -> dict:
    figures = load(
        agencies=int(os.environ.get("SAMNAV_BENCH_LOAD_AGENCIES", DEFAULT_AGENCIES)),
        seconds=int(os.environ.get("SAMNAV_BENCH_LOAD_SECONDS", DEFAULT_SECONDS)),
        max_requests=int(os.environ.get("SAMNAV_BENCH_LOAD_MAX_REQUESTS", DEFAULT_MAX_REQUESTS)),
        connections=int(os.environ.get("SAMNAV_BENCH_LOAD_CONNECTIONS", DEFAULT_CONNECTIONS)),
    )
    print(report(figures), flush=True)
    return figures
