"""The clawback numbers of the dashboards, computed straight from the records (no caches to go stale): per
restatement and executive, the amounts determined, recovered, outstanding and forgone, and the ageing of
open balances against the 180 days after which Item 402(w)(1)(iii) names them. Shown by the program's
DASHBOARDS panel (panels.py)."""

from datetime import datetime
from decimal import Decimal

from compliance_site.documents.periods import today_et

from .documents.snapshots import RECOVERY_WINDOW_DAYS, approved_determination, recovery_position
from .models import RecoveryClaim

ZERO = Decimal(0)

AGEING_BUCKETS = [
    ("0–89 days", 0, 90),
    ("90–179 days", 90, RECOVERY_WINDOW_DAYS),
    ("180 days or more", 180, None),
]


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
