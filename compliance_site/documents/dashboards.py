"""The numbers behind the dashboards, computed straight from the records (no caches to go stale).

Reg FD: open incidents by time left to their deadline, and the on-time rate per quarter (policy I.B).
Clawback: per restatement and executive, the amounts determined, recovered, outstanding and forgone, and
the ageing of open balances against the 180 days after which Item 402(w)(1)(iii) names them.
"""

from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

from clawback.models import RecoveryClaim
from regfd.models import Incident

from .snapshots.clawback import RECOVERY_WINDOW_DAYS, approved_determination, recovery_position, today_et
from .snapshots.regfd import quarter_of

ZERO = Decimal(0)

TIME_LEFT_BUCKETS = [
    ("Overdue", None, timedelta(0)),
    ("Under 4 hours", timedelta(0), timedelta(hours=4)),
    ("4 to 24 hours", timedelta(hours=4), timedelta(hours=24)),
    ("1 to 3 days", timedelta(hours=24), timedelta(days=3)),
    ("Over 3 days", timedelta(days=3), None),
]

AGEING_BUCKETS = [
    ("0–89 days", 0, 90),
    ("90–179 days", 90, RECOVERY_WINDOW_DAYS),
    ("180 days or more", 180, None),
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


def clawback_dashboard(*, restatements, now: datetime) -> dict:
    """`restatements`: the cases the viewer may see (the selector decides, not this function)."""
    today = today_et(now)
    cases = list(restatements)
    claims = (
        RecoveryClaim.objects.filter(restatement__in=cases)
        .select_related("executive", "restatement")
        .prefetch_related("events", "impracticabilities__decision")
        .order_by("restatement_id", "executive__name")
    )
    positions = recovery_position(claims)
    by_case = {
        case.pk: {
            "title": case.title,
            "id": case.pk,
            "determined": ZERO,
            "recovered": ZERO,
            "outstanding": ZERO,
            "forgone": ZERO,
            "approved": False,
        }
        for case in cases
    }
    for case in cases:
        determination = approved_determination(case)
        if determination is not None:
            by_case[case.pk]["approved"] = True
            by_case[case.pk]["determined"] = Decimal(determination.result["totals"]["excess_usd"])
    executives = []
    ageing = {label: {"label": label, "count": 0, "amount": ZERO} for label, _, _ in AGEING_BUCKETS}
    overdue = []
    claimed_cases = set()
    for p in positions:
        claim = p["claim"]
        row = by_case[claim.restatement_id]
        if claim.restatement_id not in claimed_cases:
            # Claims, once made, are the record of what is owed; before them, the approved total stands.
            claimed_cases.add(claim.restatement_id)
            row["determined"] = ZERO
        row["determined"] += p["owed"]
        row["recovered"] += p["recovered"]
        row["forgone"] += p["forgone"]
        row["outstanding"] += p["outstanding"]
        days = (today - claim.determined_on).days
        executives.append(
            {
                "restatement": claim.restatement.title,
                "executive": p["executive"].name,
                "determined": p["owed"],
                "recovered": p["recovered"],
                "outstanding": p["outstanding"],
                "forgone": p["forgone"],
                "determined_on": claim.determined_on,
                "days": days,
                "over_180": p["outstanding"] > ZERO and days >= RECOVERY_WINDOW_DAYS,
            }
        )
        if p["outstanding"] > ZERO:
            for label, low, high in AGEING_BUCKETS:
                if days >= low and (high is None or days < high):
                    ageing[label]["count"] += 1
                    ageing[label]["amount"] += p["outstanding"]
            if days >= RECOVERY_WINDOW_DAYS:
                overdue.append(executives[-1])
    for case_id, case in by_case.items():
        if case_id not in claimed_cases:
            # Approved but no claims recorded yet: all of it is still to recover.
            case["outstanding"] = case["determined"]
    return {
        "restatements": list(by_case.values()),
        "executives": executives,
        "ageing": list(ageing.values()),
        "overdue": overdue,
        "today": today,
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


def clawback_charts(data: dict) -> dict:
    cases = data["restatements"]
    return {
        "clawback_recovery": {
            "labels": [c["title"] for c in cases],
            "money": True,
            "series": [
                {"label": "Recovered", "values": [str(c["recovered"]) for c in cases], "color": "#198754"},
                {
                    "label": "Outstanding",
                    "values": [str(c["outstanding"]) for c in cases],
                    "color": "#fd7e14",
                },
                {"label": "Forgone", "values": [str(c["forgone"]) for c in cases], "color": "#6c757d"},
            ],
        },
        "clawback_ageing": {
            "labels": [a["label"] for a in data["ageing"]],
            "values": [str(a["amount"]) for a in data["ageing"]],
            "colors": ["#198754", "#ffc107", "#dc3545"],
            "money": True,
        },
    }
