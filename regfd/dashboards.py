"""The Reg FD numbers of the dashboards, computed straight from the records (no caches to go stale): open
incidents by time left to their deadline, and the on-time rate per quarter (policy I.B). Shown by the
program's DASHBOARDS panel (panels.py)."""

from collections import defaultdict
from datetime import datetime, timedelta

from compliance_site.documents.periods import quarter_of

from .models import Incident

TIME_LEFT_BUCKETS = [
    ("Overdue", None, timedelta(0)),
    ("Under 4 hours", timedelta(0), timedelta(hours=4)),
    ("4 to 24 hours", timedelta(hours=4), timedelta(hours=24)),
    ("1 to 3 days", timedelta(hours=24), timedelta(days=3)),
    ("Over 3 days", timedelta(days=3), None),
]


def regfd_dashboard(*, now: datetime, quarters: int = 8) -> dict:
    open_incidents = list(
        Incident.objects.filter(status=Incident.Status.OPEN)
        .order_by("due_at")
        .only("id", "reference", "title", "due_at")
    )
    buckets = []
    for label, low, high in TIME_LEFT_BUCKETS:
        members = [
            i
            for i in open_incidents
            if (low is None or i.due_at - now >= low) and (high is None or i.due_at - now < high)
        ]
        buckets.append({"label": label, "count": len(members)})
    per_quarter: dict[str, dict] = defaultdict(lambda: {"on_time": 0, "late": 0, "not_required": 0})
    closed = Incident.objects.exclude(outcome="").values_list("learned_at", "outcome")
    for learned_at, outcome in closed:
        if outcome in {"on_time", "late", "not_required"}:
            per_quarter[quarter_of(learned_at)][outcome] += 1
    rows = []
    for quarter in sorted(per_quarter)[-quarters:]:
        counts = per_quarter[quarter]
        decided = counts["on_time"] + counts["late"]
        rate = round(100 * counts["on_time"] / decided) if decided else None
        rows.append({"quarter": quarter, **counts, "rate": rate})
    return {
        "buckets": buckets,
        "open": [
            {
                "reference": i.reference,
                "title": i.title,
                "due_at": i.due_at,
                "left": i.due_at - now,
                "id": i.pk,
            }
            for i in open_incidents
        ],
        "quarters": rows,
    }


def regfd_charts(data: dict) -> dict:
    """Chart.js payloads; the figures stay strings (Chart.js reads them as numbers, for drawing only)."""
    return {
        "regfd_time_left": {
            "labels": [b["label"] for b in data["buckets"]],
            "values": [b["count"] for b in data["buckets"]],
            "colors": ["#dc3545", "#fd7e14", "#ffc107", "#0d6efd", "#198754"],
        },
        "regfd_on_time": {
            "labels": [q["quarter"] for q in data["quarters"]],
            "values": [q["rate"] for q in data["quarters"]],
        },
    }
