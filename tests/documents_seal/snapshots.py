"""A hand-made snapshot of the Board determination, in the shape clawback/documents/snapshots.py writes, with
the decision's votes and signatures (and one older decision without them)."""

import copy

SHA = "3f2a9c0e1b7d4a5f8e6c2b1a0d9f8e7c6b5a4d3c2b1a0f9e8d7c6b5a4f3e2d1c"

DECISION = {
    "id": 7,
    "kind": "Approval of the recovery determination",
    "body": "Compensation Committee (independent directors)",
    "held_on": "2026-12-05",
    "quorum": 2,
    "quorum_present": True,
    "members_present": ["Morgan Blake", "Riley Chair"],
    "recusals": [{"name": "Jordan Member", "reason": "Served on the audit committee"}],
    "votes": [{"name": "Morgan Blake", "choice": "For"}, {"name": "Riley Chair", "choice": "For"}],
    "tally": [["For", 2], ["Against", 0], ["Abstain", 0]],
    "resolution": "RESOLVED, that the recovery determination is approved.",
    "adopted": True,
    "recorded_by": "Jordan Patel",
    "signatories": ["Morgan Blake", "Riley Chair"],
    # What the lead's snapshot adds (all optional):
    "mode": "Unanimous written consent",
    "determination_sha256": SHA,
    "ballots": [
        {
            "name": "Riley Chair",
            "role": "Chair of the Compensation Committee",
            "choice": "For",
            "at": "2026-12-05T14:03:00+00:00",
            "method": "In the app, after a second-factor check",
            "comment": "Agree with the committee's analysis.",
        },
        {
            "name": "Morgan Blake",
            "role": "Member of the Compensation Committee",
            "choice": "For",
            "at": "2026-12-06T02:10:00+00:00",
            "method": "From the minutes of the meeting of 2026-12-01, recorded by Jordan Patel",
            "comment": "",
        },
    ],
    "signatures": [
        {
            "order": 1,
            "name": "Riley Chair",
            "capacity": "Chair of the Compensation Committee",
            "at": "2026-12-07T15:30:00+00:00",
            "method": "In the app, after a second-factor check",
        }
    ],
    "pending_signatures": [{"order": 2, "capacity": "Corporate Secretary"}],
}

SNAPSHOT = {
    "format": "document-snapshot/1",
    "kind": "clawback_determination",
    "title": "Recovery determination for the Board — FY2025 restatement",
    "as_of": "2026-12-07T16:00:00+00:00",
    "company": {"name": "Allient Inc.", "ticker": "ALNT", "legend": "Confidential", "logo": None},
    "data": {
        "restatement": {
            "title": "FY2025 restatement",
            "kind": "Big R",
            "administering_body": "Compensation Committee",
            "events": [],
        },
        "summary": {
            "triggers_recovery_analysis": True,
            "required_on": "2026-04-15",
            "total_excess_usd": "240000.00",
            "total_excess_units": "0",
            "awards": 1,
            "in_scope": 1,
            "excluded": 0,
            "estimated": 0,
            "estimate_required": 0,
            "warnings": [],
        },
        "determination": {
            "approved": True,
            "number": 3,
            "source": "frozen",
            "computed_at": "2026-11-30T15:00:00+00:00",
            "computed_by": "Jordan Patel",
            "rule_version": "1",
            "sha256": SHA,
        },
        "executives": [],
        "awards": [],
        "exclusions": [],
        "estimates": [],
        "impracticabilities": [],
        "recovery_methods": ["(a) Reimbursement of cash incentive compensation"],
        "recovery": [],
        "policy": None,
        "decision": DECISION,
    },
}

OLDER_KEYS = ("mode", "determination_sha256", "ballots", "signatures", "pending_signatures")


def snapshot(**decision_changes) -> dict:
    data = copy.deepcopy(SNAPSHOT)
    data["data"]["decision"].update(decision_changes)
    return data


def older_snapshot() -> dict:
    """A snapshot taken before decisions carried their ballots and signatures."""
    data = copy.deepcopy(SNAPSHOT)
    for key in OLDER_KEYS:
        del data["data"]["decision"][key]
    return data
