"""The web benchmark on the production shape: gunicorn (2 sync workers, production settings) on the seeded
PostgreSQL database, driven by wrk at 4 concurrent connections, each page or API endpoint measured right
beside its stock peer (bench/peers.py), served by the same gunicorn in the same run.

`run(env=..., handles=...)` starts the server, measures and stops it, and returns the rows for bench/run.py:
req/s, p50 and p95, and the ratio of req/s to the stock peer's. Each row is measured, then its peer at once
after it (so machine load moving during the run moves both), each for BENCH_SECONDS (5) after a warm-up of
BENCH_WARMUP (1) seconds. Before any timing every URL is fetched once and must answer 200 (wrk counts a
redirect to the sign-in page as a success).

Requests carry `X-Forwarded-Proto: https`, as the TLS proxy in front of production sends it
(SECURE_PROXY_SSL_HEADER): with it the production settings' SECURE_SSL_REDIRECT does not send wrk away.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).resolve().parent / "wrk_report.lua"
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "1"))
THREADS, CONNECTIONS, WORKERS = 2, 4, 2
TARGET_RATIO = 1.5  # at least 1.5x the stock peer's req/s
TARGET_P95_MS = 50.0

# Peers: key -> (name, path, authentication).
PEERS = {
    "json": ("bare Django JsonResponse view, no authentication", "/bench-peer/json/", None),
    "drf": ("bare DRF APIView, token authentication", "/bench-peer/drf/", "token"),
    "incidents": ("stock DRF ReadOnlyModelViewSet, incidents", "/bench-peer/api/incidents/", "token"),
    "awards": ("stock DRF ReadOnlyModelViewSet, awards", "/bench-peer/api/awards/", "token"),
    "executives": ("stock DRF ReadOnlyModelViewSet, executives", "/bench-peer/api/executives/", "token"),
    "audit": ("stock DRF ReadOnlyModelViewSet, audit events", "/bench-peer/api/audit-events/", "token"),
    "documents": ("stock DRF ReadOnlyModelViewSet, documents", "/bench-peer/api/documents/", "token"),
    "listview": ("stock Django ListView, incidents", "/bench-peer/incidents/", "session"),
}

# Footnotes of the table, by mark.
FOOTNOTES = {
    "a": "No stock peer over the same table: compared with the stock Django ListView over incidents "
    "(paginate_by=50, a minimal template).",
    "b": "The documents peer gives the file's stored name: the stock FileField answers with a URL, and "
    "documents have none (MEDIA_URL is None), so it would fail.",
    "c": "Informational, no target: the floors of the stack, measured once at the start.",
    "d": "Informational, no target: the search box on the incident list.",
}
LATENCY_NOTE = (
    f"Latencies are wrk's, at {CONNECTIONS} connections on {WORKERS} sync workers: a request often waits for "
    "another to finish, so p50 and p95 include that wait (the peers' too); req/s is what both workers served."
)


def rows_to_measure(handles: dict) -> list[dict]:
    """The app's endpoints, each with its peer; `handles` come from bench/seed.py."""
    case = handles["restatement_pk"]

    def row(name, path, auth, peer, *, footnote="", target=True):
        return {
            "name": name,
            "path": path,
            "auth": auth,
            "peer": peer,
            "footnote": footnote,
            "target": target,
        }

    return [
        row("api: GET /api/regfd/incidents/", "/api/regfd/incidents/", "token", "incidents"),
        row("api: GET /api/clawback/awards/", "/api/clawback/awards/", "token", "awards"),
        row("api: GET /api/clawback/executives/", "/api/clawback/executives/", "token", "executives"),
        row("api: GET /api/audit/events/", "/api/audit/events/", "token", "audit"),
        row("api: GET /api/documents/", "/api/documents/", "token", "documents", footnote="b"),
        row("page: /regfd/incidents/", "/regfd/incidents/", "session", "listview"),
        row("page: /clawback/awards/", "/clawback/awards/", "session", "listview", footnote="a"),
        row("page: /clawback/executives/", "/clawback/executives/", "session", "listview", footnote="a"),
        row("page: /audit/", "/audit/", "session", "listview", footnote="a"),
        row("page: /documents/", "/documents/", "session", "listview", footnote="a"),
        row("page: / (dashboard)", "/", "session", "listview", footnote="a"),
        row(f"page: /clawback/restatements/{case}/ (case)", f"/clawback/restatements/{case}/", "session",
            "listview", footnote="a"),
        row(f"page: /regfd/incidents/?q={handles['incident_reference']}",
            f"/regfd/incidents/?q={handles['incident_reference']}", "session", "listview", footnote="d",
            target=False),
    ]  # fmt: skip


def run(*, env: dict, handles: dict, log: Path) -> list[dict]:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed (apt-get install -y wrk; `make bench` does it)")
    port = _free_port()
    server = _start_gunicorn(env=env, port=port, log=log)
    try:
        _wait_until_up(port, server, log)
        bench = _Bench(wrk=wrk, port=port, handles=handles)
        rows = []
        for key in ("json", "drf"):
            name, path, auth = PEERS[key]
            bench.check(path, auth)
            result = bench.measure(path, auth)
            rows.append(_row(f"floor: {name}", result, footnote="c"))
        for spec in rows_to_measure(handles):
            peer_name, peer_path, peer_auth = PEERS[spec["peer"]]
            try:
                bench.check(spec["path"], spec["auth"])
                bench.check(peer_path, peer_auth)
                result = bench.measure(spec["path"], spec["auth"])
                peer = bench.measure(peer_path, peer_auth)  # right after, under the same load
            except RuntimeError as exc:  # a broken page is a row that says so, not the end of the run
                result = {"rps": float("nan"), "p50_ms": None, "p95_ms": float("nan"), "bytes": 0}
                rows.append(_row(spec["name"], result | {"errors": str(exc)[:500]}, spec=spec))
                print(f"  {spec['name']}: FAILED {exc}", file=sys.stderr, flush=True)
                continue
            rows.append(_row(spec["name"], result, peer=peer, peer_name=peer_name, spec=spec))
            print(f"  {_progress(rows[-1])}", file=sys.stderr, flush=True)
        return rows
    finally:
        _stop(server)


def _row(name, result, *, peer=None, peer_name="", spec=None, footnote="") -> dict:
    spec = spec or {}
    row = {
        "name": name,
        "kind": "web",
        "value": result["rps"],
        "unit": "req/s",
        "p50_ms": result["p50_ms"],
        "p95_ms": result["p95_ms"],
        "bytes": result["bytes"],
        "footnote": spec.get("footnote", footnote),
        "higher_is_better": True,
    }
    if result["errors"]:
        row["note"] = result["errors"]
        row["value"] = float("nan")  # a run with failed requests measures nothing: never a target met
    if peer is not None:
        row.update(
            peer=peer_name,
            peer_value=peer["rps"],
            peer_p95_ms=peer["p95_ms"],
            ratio=row["value"] / peer["rps"] if peer["rps"] else float("nan"),
        )
        if peer["errors"]:
            row["note"] = (row.get("note", "") + f" peer: {peer['errors']}").strip()
            row["ratio"] = float("nan")
    if spec.get("target"):
        row["target_ratio"] = TARGET_RATIO
        row["target_p95_ms"] = TARGET_P95_MS
    return row


def _progress(row) -> str:
    return (
        f"{row['name']}: {row['value']:.1f} req/s, p95 {row['p95_ms']:.1f} ms; "
        f"peer {row.get('peer_value', float('nan')):.1f} req/s -> {row.get('ratio', float('nan')):.2f}x"
    )


class _Bench:
    def __init__(self, *, wrk: str, port: int, handles: dict):
        self.wrk = wrk
        self.port = port
        self.handles = handles
        self.sizes: dict[str, int] = {}
        self.warmed: set[str] = set()

    def headers(self, auth) -> dict[str, str]:
        headers = {"X-Forwarded-Proto": "https", "Accept": "text/html,application/json"}
        if auth == "token":
            headers["Authorization"] = f"Token {self.handles['token']}"
        elif auth == "session":
            headers["Cookie"] = self.handles["session_cookie"]
        return headers

    def check(self, path: str, auth) -> None:
        """One request, which must be a 200 (no redirect followed): the size of the answer is kept."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request("GET", path, headers=self.headers(auth))
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        if response.status != 200:
            raise RuntimeError(
                f"GET {path} answered {response.status} {response.reason} "
                f"(Location: {response.getheader('Location')}): {body[:300]!r}"
            )
        self.sizes[path] = len(body)

    def measure(self, path: str, auth) -> dict:
        if path not in self.warmed:
            self._wrk(path, auth, WARMUP)
            self.warmed.add(path)
        result = self._wrk(path, auth, SECONDS)
        result["bytes"] = self.sizes.get(path, 0)
        return result

    def _wrk(self, path: str, auth, seconds: int) -> dict:
        command = [self.wrk, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "30s",
                   "-s", str(LUA)]  # fmt: skip
        for name, value in self.headers(auth).items():
            command += ["-H", f"{name}: {value}"]
        command.append(f"http://127.0.0.1:{self.port}{path}")
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
        match = re.search(r"^BENCH-RESULT (.*)$", done.stdout, re.MULTILINE)
        if done.returncode != 0 or match is None:
            raise RuntimeError(f"wrk failed on {path}: {done.stdout[-500:]} {done.stderr[-500:]}")
        fields = {key: float(value) for key, value in re.findall(r"(\w+)=([\d.]+)", match[1])}
        errors = []
        if fields["status_errors"]:
            errors.append(f"{fields['status_errors']:.0f} responses outside 2xx/3xx")
        if fields["socket_errors"]:
            errors.append(f"{fields['socket_errors']:.0f} socket errors")
        if not fields["requests"]:
            errors.append("no request completed")
        return {
            "rps": fields["requests"] / (fields["duration_us"] / 1e6),
            "p50_ms": fields["p50_us"] / 1000,
            "p95_ms": fields["p95_us"] / 1000,
            "requests": int(fields["requests"]),
            "errors": "; ".join(errors),
        }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_gunicorn(*, env: dict, port: int, log: Path) -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [
        str(gunicorn), "compliance_site.wsgi:application",
        "--workers", str(WORKERS), "--worker-class", "sync",
        "--bind", f"127.0.0.1:{port}",
        "--timeout", "120",
        "--error-logfile", str(log),
        # Not the shared default (~/.gunicorn/gunicorn.ctl), which another gunicorn on the machine may hold.
        "--no-control-socket",
    ]  # fmt: skip
    with open(log, "ab") as handle:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)


def _wait_until_up(port: int, server: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}; see {log}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer /healthz within {timeout:.0f} s; see {log}")


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    server.terminate()  # the master stops its workers
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
