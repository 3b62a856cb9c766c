"""The command-line tools' wall time, as a person or a script runs them: each command started as a fresh
process (Python start-up, Django set-up, system checks and all) against the bench database with the
production settings, 3 times, the median reported. The scenario file is worked example 1 of the spec
(bench/fixtures/)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = Path(__file__).resolve().parent / "fixtures" / "example-1.scenario.json"
REPEATS = 3
TARGET_SECONDS = 1.0
COMMANDS = [
    ("cli: manage.py clawback_scenario example-1.scenario.json", ["clawback_scenario", str(SCENARIO)]),
    ("cli: manage.py regfd_deadline 2026-03-03T14:00-05:00", ["regfd_deadline", "2026-03-03T14:00-05:00"]),
]


def run(*, env: dict) -> list[dict]:
    rows = []
    for name, arguments in COMMANDS:
        timings = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, capture_output=True, text=True
            )
            timings.append(time.perf_counter() - started)
            if done.returncode != 0 or not done.stdout.strip():
                raise RuntimeError(f"{name} failed ({done.returncode}): {done.stderr[-1000:]}")
        rows.append(
            {
                "name": name,
                "value": statistics.median(timings),
                "unit": "s",
                "target": TARGET_SECONDS,
                "note": f"median of {REPEATS} runs: " + ", ".join(f"{t:.2f}" for t in timings) + " s",
            }
        )
    return rows
