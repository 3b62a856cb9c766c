"""Benchmark: the recovery determination PDF for a large case (20 executives, 200 awards), rendered through
the one PDF path (`compliance_site.lib.pdf.render_pdf`) from a snapshot, as the worker renders it.

`run()` returns rows for bench/run.py; `python bench/bench_pdf.py` prints them. The first rendering pays
WeasyPrint's import and font set-up (once per worker process) and is reported apart.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

AWARDS = 200
EXECUTIVES = 20
REPEATS = 3
TARGET_SECONDS = 3.0


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compliance_site.settings")
    import django
    from django.conf import settings

    if not settings.configured or not django.apps.apps.ready:
        django.setup()


def determination_snapshot() -> dict:
    """The snapshot the determination template reads, for a synthetic case (no database needed)."""
    from bench.bench_recovery import build_scenario
    from clawback.documents.snapshots import plan_formulas, worksheet
    from clawback.recovery import evaluate
    from clawback.scenario import result_to_json, scenario_to_json

    scenario = build_scenario(awards=AWARDS, executives=EXECUTIVES)
    inputs, result = scenario_to_json(scenario), result_to_json(evaluate(scenario))
    rows, totals = worksheet(inputs, result)
    formulas = plan_formulas(rows)
    lookback = result["lookback"]
    statuses = [r["status"] for r in rows]
    return {
        "format": "document-snapshot/1",
        "kind": "clawback_determination",
        "title": "Recovery determination — Benchmark restatement",
        "as_of": "2026-11-21T15:00:00+00:00",
        "company": {"name": "Benchmark Corp", "ticker": "BNCH", "legend": "Confidential — Privileged",
                    "logo": None},
        "data": {
            "restatement": {"title": "Benchmark restatement", "kind": "Big R (reissuance)",
                            "description": "", "periods_restated": "FY2023–FY2025",
                            "administering_body": "Compensation Committee", "events": []},
            "determination": {"source": "determination", "number": 1, "sha256": "0" * 64, "approved": True,
                              "rule_version": result.get("rule_version", ""), "computed_at": None,
                              "computed_by": "Bench", "invalidated_at": None},
            "summary": {"triggers_recovery_analysis": True, "required_on": result["required_on"],
                        "required_on_event": "Board concluded", "window_start": lookback["start"],
                        "window_end": lookback["end"], "window_periods": lookback["periods"],
                        "total_excess_usd": result["totals"]["excess_usd"],
                        "total_excess_units": result["totals"]["excess_units"],
                        "pending_estimates": result["totals"]["pending_estimates"], "awards": len(rows),
                        "in_scope": sum(1 for r in rows if r["in_scope"]),
                        "excluded": statuses.count("excluded"),
                        "estimated": statuses.count("estimated"),
                        "estimate_required": statuses.count("reasonable_estimate_required"),
                        "warnings": result["warnings"]},
            "executives": totals,
            "awards": rows,
            "formulas": formulas,
            "exclusions": [r for r in rows if r["status"] == "excluded"],
            "estimates": [], "impracticabilities": [], "recovery": [], "recovery_methods": ["(a) Cash"],
            "decision": None, "policy": None, "scenario": inputs, "result": result,
        },
    }  # fmt: skip


def _page_count(content: bytes) -> int:
    """Pages of the PDF, read from its page tree: WeasyPrint puts the dictionaries in compressed object
    streams, so each stream is inflated and the root `/Type /Pages` node's `/Count` (the largest) is taken.
    poppler's `pdfinfo` is only a fallback: without it the count was silently 0."""
    counts = []
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.DOTALL):
        try:
            text = zlib.decompress(stream[1])
        except zlib.error:
            text = stream[1]
        for node in re.finditer(rb"/Type\s*/Pages\b(.*?)>>", text, re.DOTALL):
            counts += [int(c) for c in re.findall(rb"/Count\s+(\d+)", node[1])]
        counts += [int(c) for c in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", text)]
    if counts:
        return max(counts)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True, check=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    if not match:
        raise RuntimeError("the determination PDF's page count could not be read")
    return int(match[1])


def run() -> list[dict]:
    _setup_django()
    from compliance_site.documents.rendering import render_snapshot_pdf

    snapshot = determination_snapshot()
    kwargs = {
        "reference": "DOC-BENCH",
        "version": 1,
        "status": "FINAL",
        "snapshot": snapshot,
        "generated_at": datetime(2026, 11, 21, 15, 0, tzinfo=UTC),
    }
    started = time.perf_counter()
    content = render_snapshot_pdf("pdf/clawback_determination.html", **kwargs)
    cold = time.perf_counter() - started
    walls, cpus = [], []
    for _ in range(REPEATS):
        started, cpu = time.perf_counter(), time.process_time()
        content = render_snapshot_pdf("pdf/clawback_determination.html", **kwargs)
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    pages = _page_count(content)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    return [
        {
            "name": f"documents: determination PDF, {EXECUTIVES} executives, {AWARDS} awards (median)",
            "value": round(statistics.median(walls), 3),
            "unit": "s",
            "target": TARGET_SECONDS,
        },
        # CPU time of the rendering process: what the figure above is on an idle machine (the wall clock
        # also counts time waiting for a core when other processes load it; load average shown).
        {"name": f"documents: same, CPU time (load average {load:.1f})",
         "value": round(statistics.median(cpus), 3), "unit": "s"},
        {"name": "documents: same, first rendering in a process (import, fonts)", "value": round(cold, 3),
         "unit": "s"},
        {"name": "documents: determination PDF pages", "value": pages, "unit": "pages"},
        {"name": "documents: determination PDF size", "value": round(len(content) / 1024), "unit": "KiB"},
    ]  # fmt: skip


if __name__ == "__main__":
    for row in run():
        print(json.dumps(row))
