"""`make bench`: every bench/bench_*.py against a large seeded data set, in one table.

Each module exposes `run() -> list[dict]` with rows {"name", "value", "unit", "target"?, "baseline"?}. Web
figures are requests per second through Django's WSGI handler in-process, reported with their ratio to a
bare `JsonResponse` view measured in the same run (absolute figures vary between runs and machines).
The data set lives in a throwaway SQLite file under var/bench/, never the development database.
"""

import importlib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DIR = ROOT / "var" / "bench"
BENCH_DIR.mkdir(parents=True, exist_ok=True)
os.environ["DATABASE_URL"] = f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compliance_site.settings")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")


def main() -> int:
    import django

    (BENCH_DIR / "bench.sqlite3").unlink(missing_ok=True)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    rows = []
    failed = []
    for path in sorted((ROOT / "bench").glob("bench_*.py")):
        module = importlib.import_module(f"bench.{path.stem}")
        for row in module.run():
            rows.append(row)
            target = row.get("target")
            if target is not None and not _meets(row):
                failed.append(row["name"])
    _print_table(rows)
    for row in rows:
        if row.get("note") and row["value"] != row["value"]:  # NaN: not measured, say why
            print(f"\n{row['name']}:\n{row['note']}")
    print(f"\n{len(rows)} figures in {time.perf_counter() - started:.1f} s.", end=" ")
    if failed:
        print(f"Targets missed: {', '.join(failed)}")
        return 1
    print("All targets met.")
    return 0


def _meets(row) -> bool:
    # A figure that could not be measured (NaN) meets no target: every comparison with NaN is False.
    if row.get("higher_is_better"):
        return row["value"] >= row["target"]
    return row["value"] <= row["target"]


def _print_table(rows) -> None:
    header = f"{'benchmark':<58} {'value':>12} {'unit':<8} {'target':>10} {'vs baseline':>12}"
    print(header)
    print("-" * len(header))
    for row in rows:
        target = row.get("target")
        ratio = row.get("ratio")
        comparator = ">=" if row.get("higher_is_better") else "<="
        print(
            f"{row['name']:<58} {row['value']:>12.4g} {row['unit']:<8} "
            f"{(comparator + format(target, '.4g')) if target is not None else '':>10} "
            f"{(format(ratio, '.2f') + 'x') if ratio is not None else '':>12}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
