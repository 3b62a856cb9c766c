"""`make bench`: the app on the production shape, measured against stock DRF and Django in the same run.

1. A throwaway PostgreSQL database, `compliance_bench` (BENCH_DATABASE_URL overrides), dropped and created
   again, migrated; `bench_sweep` is cloned from it for the reminder sweep.
2. bench/seed.py fills it: the demo plus 10,000 Reg FD incidents, 100 executives with 10,000 awards, 1,000
   documents and 50,000 audit events; an API token and a session for the Administrator.
3. bench/bench_server.py: gunicorn (2 sync workers) with the production settings (bench/settings.py: the
   app's production settings plus the stock peers' URLs) driven by wrk at 4 connections, every list API
   and page beside its stock peer. Target: at least 1.5x the peer's req/s and p95 at most 50 ms.
4. bench/bench_cli.py: `manage.py clawback_scenario` and `manage.py regfd_deadline` wall time (< 1 s).
5. In this process: the recovery engine on 10,000 awards (< 1 s), the Board determination PDF with 200 awards
   (< 3 s); the reminder sweep over 100,000 reminders on `bench_sweep` (< 1 s).

One table at the end; the exit status is 1 when a target is missed. The server's environment is the
production one (DJANGO_ENV=production, DEBUG off, second factor required) with secrets made for the run; see
`server_env` for every variable set. `compliance_bench` is left in place after the run, to look into.
"""

from __future__ import annotations

import json
import math
import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VAR = ROOT / "var" / "bench"
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/compliance_bench")
SERVER_URL, DATABASE = DATABASE_URL.rsplit("/", 1)
SWEEP_DATABASE = "bench_sweep"  # bench/bench_sweep.py's
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/13")


def base_env() -> dict:
    """The environment every child starts from: the machine's basics only, so a variable set in the caller's
    shell (DEBUG, DATABASE_URL, MFA_REQUIRED...) never changes what is measured."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ", "USER")
    return {k: os.environ[k] for k in keep if k in os.environ} | {"PYTHONUNBUFFERED": "1"}


def seed_env(run_secrets: dict) -> dict:
    """Migrating and seeding: the development settings (the demo refuses production) on the bench database,
    with the run's SECRET_KEY and audit chain key, so the server accepts the session and the chain."""
    return base_env() | {
        "DJANGO_SETTINGS_MODULE": "compliance_site.settings",
        "DJANGO_ENV": "development",
        "DATABASE_URL": DATABASE_URL,
        "CACHE_URL": CACHE_URL,
        "VAR_DIR": str(VAR),
        "MFA_REQUIRED": "1",  # the demo gives each persona who needs one their second factor
        "LOG_LEVEL": "WARNING",
        **run_secrets,
    }


def server_env(run_secrets: dict, handles: dict, *, settings: str = "bench.settings") -> dict:
    """The production settings, as compliance_site/settings.py reads them. Nothing is relaxed for HTTP: the
    requests carry X-Forwarded-Proto: https as from the TLS proxy (bench/bench_server.py)."""
    return base_env() | {
        "DJANGO_SETTINGS_MODULE": settings,
        "DJANGO_ENV": "production",
        "DEBUG": "0",
        "MFA_REQUIRED": "1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": DATABASE_URL,
        "CACHE_URL": CACHE_URL,
        "VAR_DIR": str(VAR),
        "STATIC_ROOT": str(VAR / "staticfiles"),
        "DOCUMENT_SEAL_KEY_FILE": handles["seal_key_file"],
        "DOCUMENT_SEAL_CERT_FILE": handles["seal_cert_file"],
        **run_secrets,
    }


def main() -> int:
    started = time.perf_counter()
    phases: dict[str, float] = {}

    def phase(name, since):
        phases[name] = time.perf_counter() - since
        print(f"[bench] {name}: {phases[name]:.1f} s", file=sys.stderr, flush=True)

    VAR.mkdir(parents=True, exist_ok=True)
    # Checkpoints of the previous run's audit chain would contradict this run's database.
    shutil.rmtree(VAR / "audit-checkpoints", ignore_errors=True)
    run_secrets = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "AUDIT_CHAIN_KEY": secrets.token_urlsafe(48),
    }

    step = time.perf_counter()
    try:
        _admin("SELECT 1")
    except Exception as exc:  # no server, no rights: nothing below can run
        raise SystemExit(f"PostgreSQL does not answer at {SERVER_URL}: {exc}".strip()) from None
    _admin(
        f"DROP DATABASE IF EXISTS {SWEEP_DATABASE} WITH (FORCE)",
        f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)",
        f"CREATE DATABASE {DATABASE}",
    )
    _child([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env=seed_env(run_secrets))
    _admin(f"CREATE DATABASE {SWEEP_DATABASE} TEMPLATE {DATABASE}")
    phase("migrate", step)

    step = time.perf_counter()
    seeded = json.loads(_child([sys.executable, "bench/seed.py"], env=seed_env(run_secrets)).splitlines()[-1])
    phase("seed", step)

    env = server_env(run_secrets, seeded)
    step = time.perf_counter()
    _child([sys.executable, "manage.py", "collectstatic", "--noinput", "--clear", "-v0"], env=env)
    phase("collectstatic", step)

    from bench import bench_cli, bench_pdf, bench_recovery, bench_server, bench_sweep

    rows = []
    step = time.perf_counter()
    rows += bench_server.run(env=env, handles=seeded, log=VAR / "gunicorn.log")
    phase("web (gunicorn + wrk)", step)

    step = time.perf_counter()
    rows += bench_cli.run(env=server_env(run_secrets, seeded, settings="compliance_site.settings"))
    phase("command line", step)

    # In this process, on the development settings pointed at the bench database (never the development one).
    os.environ.update(seed_env(run_secrets) | {"CELERY_TASK_ALWAYS_EAGER": "true"})
    for name, module, kwargs in [
        ("recovery engine", bench_recovery, {}),
        ("determination PDF", bench_pdf, {}),
        ("reminder sweep", bench_sweep, {"prepared": True}),
    ]:
        step = time.perf_counter()
        rows += module.run(**kwargs)
        phase(name, step)

    failed = [row["name"] for row in rows if _has_target(row) and not _meets(row)]
    _print_table(rows)
    _print_notes(rows, seeded)
    total = time.perf_counter() - started
    print("\nPhases: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in phases.items()))
    print("Seeding, in the seeding process: " + ", ".join(
        f"{name} {seconds:.1f} s" for name, seconds in seeded["timings"].items()
    ))  # fmt: skip
    print(f"{len(rows)} figures in {total:.0f} s (load average now {os.getloadavg()[0]:.1f}).", end=" ")
    if failed:
        print(f"Targets missed ({len(failed)}): {', '.join(failed)}")
        return 1
    print("All targets met.")
    return 0


def _has_target(row) -> bool:
    return row.get("target") is not None or row.get("target_ratio") is not None


def _meets(row) -> bool:
    # A figure that could not be measured (NaN) meets no target: every comparison with NaN is False.
    if row.get("target_ratio") is not None:
        return row.get("ratio", math.nan) >= row["target_ratio"] and row["p95_ms"] <= row["target_p95_ms"]
    if row.get("higher_is_better"):
        return row["value"] >= row["target"]
    return row["value"] <= row["target"]


def _number(value, spec: str, width: int) -> str:
    if value is None:
        return " " * width
    return format(value, f">{width}{spec}")


def _target(row) -> str:
    if row.get("target_ratio") is not None:
        return f">={row['target_ratio']:g}x, p95<={row['target_p95_ms']:g}ms"
    if row.get("target") is not None:
        return ("≥" if row.get("higher_is_better") else "≤") + f"{row['target']:g} {row['unit']}"
    return ""


def _print_table(rows) -> None:
    header = (
        f"{'benchmark':<66} {'value':>9} {'unit':<6} {'p50 ms':>7} {'p95 ms':>7} {'KiB':>6} "
        f"{'peer req/s':>10} {'peer p95':>8} {'ratio':>6}  {'target':<24} result"
    )
    print()
    print(header)
    print("-" * len(header))
    for row in rows:
        name = row["name"] + (f" [{row['footnote']}]" if row.get("footnote") else "")
        result = ("OK" if _meets(row) else "MISS") if _has_target(row) else "—"
        kib = row["bytes"] / 1024 if row.get("bytes") else None
        print(
            f"{name:<66} {_number(row['value'], '.4g', 9)} {row['unit']:<6} "
            f"{_number(row.get('p50_ms'), '.1f', 7)} {_number(row.get('p95_ms'), '.1f', 7)} "
            f"{_number(kib, '.1f', 6)} {_number(row.get('peer_value'), '.1f', 10)} "
            f"{_number(row.get('peer_p95_ms'), '.1f', 8)} "
            f"{(format(row['ratio'], '.2f') + 'x') if row.get('ratio') is not None else '':>6}  "
            f"{_target(row):<24} {result}"
        )


def _print_notes(rows, seeded) -> None:
    from bench.bench_server import FOOTNOTES, LATENCY_NOTE, PEERS

    print()
    used = {row.get("footnote") for row in rows}
    for mark, text in FOOTNOTES.items():
        if mark in used:
            print(f"[{mark}] {text}")
    print(LATENCY_NOTE)
    peers = {row["peer"] for row in rows if row.get("peer")}
    print("Peers (bench/peers.py, same gunicorn, measured right after each row): " + "; ".join(
        f"{name} {path}" for name, path, _ in PEERS.values() if name in peers
    ))  # fmt: skip
    counts = ", ".join(f"{count:,} {what}" for what, count in seeded["counts"].items())
    print(f"Data set: {counts}, plus the demo's records.")
    for row in rows:
        if row.get("note") and (_has_target(row) or row["value"] != row["value"]):
            print(f"{row['name']}: {row['note']}")


def _child(command: list[str], *, env: dict) -> str:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout


def _admin(*statements: str) -> None:
    from bench.pg import admin

    admin(SERVER_URL, *statements, connect_timeout=5)


if __name__ == "__main__":
    raise SystemExit(main())
