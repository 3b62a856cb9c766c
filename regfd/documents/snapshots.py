"""Snapshots of Regulation FD records: one incident's record, and the quarterly log (incidents,
communications, earnings events, Regulation G reviews) — policy I.B–I.F, II.F;
docs/regfd-rules §2."""

from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType

from compliance_site.attachments.models import Attachment
from compliance_site.documents.periods import parse_quarter
from compliance_site.documents.snapshots.common import iso, person, table
from regfd.models import MATERIAL_CATEGORIES, Communication, EarningsEvent, Incident, NonGaapReview

_CATEGORY_LABELS = dict(MATERIAL_CATEGORIES)


def attachments_of(record) -> list[dict]:
    content_type = ContentType.objects.get_for_model(type(record))
    rows = Attachment.objects.filter(content_type=content_type, object_id=str(record.pk)).select_related(
        "uploaded_by"
    )
    return [
        {
            "id": a.pk,
            "name": a.original_name,
            "kind": a.get_kind_display(),
            "description": a.description,
            "version": a.version,
            "sha256": a.sha256,
            "size": a.size,
            "uploaded_at": iso(a.uploaded_at),
            "uploaded_by": person(a.uploaded_by),
        }
        for a in rows.order_by("original_name", "version")
    ]


def _incident_row(incident: Incident) -> dict:
    return {
        "id": incident.pk,
        "reference": incident.reference,
        "title": incident.title,
        "status": incident.get_status_display(),
        "status_code": incident.status,
        "recipient": incident.recipient_name,
        "recipient_firm": incident.recipient_firm,
        "recipient_category": incident.get_recipient_category_display(),
        "disclosed_by": incident.disclosed_by,
        "disclosed_at": iso(incident.disclosed_at),
        "learned_at": iso(incident.learned_at),
        "due_at": iso(incident.due_at),
        "public_disclosure_at": iso(incident.public_disclosure_at),
        "outcome": incident.get_outcome_display() if incident.outcome else "Pending",
        "outcome_code": incident.outcome,
    }


def incident_data(incident: Incident) -> dict:
    """The incident's full record: what was said to whom, T0, the deadline and how it was computed, the
    public disclosure that cured it, materiality, exclusions and evidence."""
    data = _incident_row(incident)
    data.update(
        {
            "information": incident.information,
            "learned_by": incident.learned_by,
            "intentional": incident.intentional,
            "reported_by": person(incident.reported_by),
            "reported_at": iso(incident.reported_at),
            "outer_limit": iso(incident.outer_limit),
            "policy_target": iso(incident.policy_target),
            "calendar_version": incident.calendar_version,
            "rule_version": incident.rule_version,
            "deadline_explanation": incident.deadline_explanation,
            "public_disclosure_method": incident.get_public_disclosure_method_display()
            if incident.public_disclosure_method
            else "",
            "public_disclosure_reference": incident.public_disclosure_reference,
            "closed_reason": incident.closed_reason,
            "material_categories": [_CATEGORY_LABELS.get(c, c) for c in incident.material_categories or []],
            "materiality_assessment": incident.materiality_assessment,
            "in_doubt": incident.in_doubt,
            "presumed_material": incident.presumed_material,
            "counsel_conclusion": incident.get_counsel_conclusion_display(),
            "counsel_rationale": incident.counsel_rationale,
            "counsel_concluded_by": person(incident.counsel_concluded_by),
            "counsel_concluded_at": iso(incident.counsel_concluded_at),
            "source_communication": str(incident.source_communication)
            if incident.source_communication_id
            else "",
            "exclusions": [
                {
                    "kind": x.get_kind_display(),
                    "evidence": x.evidence,
                    "claimed_by": person(x.claimed_by),
                    "claimed_at": iso(x.claimed_at),
                }
                for x in incident.exclusions.select_related("claimed_by")
            ],
            "deadline_history": [
                {
                    "computed_at": iso(d.computed_at),
                    "reason": d.reason,
                    "learned_at": iso(d.learned_at),
                    "outer_limit": iso(d.outer_limit),
                    "policy_target": iso(d.policy_target),
                    "due_at": iso(d.due_at),
                    "calendar_version": d.calendar_version,
                    "rule_version": d.rule_version,
                }
                for d in incident.deadline_history.all()
            ],
            "attachments": attachments_of(incident),
        }
    )
    return data


def quarter_records(period: str):
    start, end = parse_quarter(period)
    incidents = Incident.objects.filter(learned_at__gte=start, learned_at__lt=end).select_related(
        "reported_by"
    )
    communications = Communication.objects.filter(
        scheduled_at__gte=start, scheduled_at__lt=end
    ).select_related("spokesperson")
    earnings = EarningsEvent.objects.filter(release_at__gte=start, release_at__lt=end)
    reviews = NonGaapReview.objects.filter(release_at__gte=start, release_at__lt=end).select_related(
        "signed_off_by", "earnings_event", "signed_under__delegator"
    )
    return start, end, incidents, communications, earnings, reviews


def quarterly_final_refusal(period: str, *, now: datetime) -> str | None:
    start, end, incidents, *_ = quarter_records(period)
    if now < end:
        return f"The quarter {period} has not ended: a FINAL log is rendered after it closes."
    still_open = incidents.filter(status=Incident.Status.OPEN).count()
    if still_open:
        return f"{still_open} incident(s) of {period} are still open: close them before a FINAL log."
    return None


def quarterly_log_data(period: str) -> dict:
    start, end, incidents, communications, earnings, reviews = quarter_records(period)
    incident_rows = [_incident_row(i) for i in incidents.order_by("learned_at", "id")]
    decided = [r for r in incident_rows if r["outcome_code"] in {"on_time", "late"}]
    on_time = sum(1 for r in decided if r["outcome_code"] == "on_time")
    return {
        "period": period,
        "start": iso(start),
        "end": iso(end - timedelta(microseconds=1)),
        "summary": {
            "incidents": len(incident_rows),
            "open": sum(1 for r in incident_rows if r["status_code"] == Incident.Status.OPEN),
            "on_time": on_time,
            "late": len(decided) - on_time,
            "not_required": sum(1 for r in incident_rows if r["outcome_code"] == "not_required"),
            "on_time_rate": f"{100 * on_time / len(decided):.0f}%" if decided else "—",
            "communications": communications.count(),
            "earnings_events": earnings.count(),
            "reviews": reviews.count(),
        },
        "incidents": incident_rows,
        "communications": [
            {
                "id": c.pk,
                "kind": c.get_kind_display(),
                "title": c.title,
                "scheduled_at": iso(c.scheduled_at),
                "spokesperson": person(c.spokesperson),
                "participants": c.participants,
                "status": c.get_status_display(),
                "authorized": c.spokesperson_authorized,
                "fls_disclaimer_given": c.fls_disclaimer_given,
                "possible_mnpi": c.possible_mnpi,
            }
            for c in communications.order_by("scheduled_at", "id")
        ],
        "earnings_events": [
            {
                "id": e.pk,
                "period_label": e.period_label,
                "release_at": iso(e.release_at),
                "timing": e.get_release_timing_display() if e.release_timing else "",
                "nyse_notice_required": e.nyse_notice_required,
                "nyse_notice_at": iso(e.nyse_notice_at),
                "call_at": iso(e.call_at),
                "call_announced_at": iso(e.call_announced_at),
                "public_access": e.public_access,
                "qa_audible_to_all": e.qa_audible_to_all,
                "recording_available_until": iso(e.recording_available_until),
            }
            for e in earnings.order_by("release_at", "id")
        ],
        "reviews": [
            {
                "id": r.pk,
                "measure": r.measure,
                "comparable_gaap_measure": r.comparable_gaap_measure,
                "document": r.document,
                "release_at": iso(r.release_at),
                "equal_prominence": r.equal_prominence,
                "usefulness_statement": bool(r.usefulness_statement.strip()),
                "signed_off_by": person(r.signed_off_by),
                "signed_off_as": r.sign_off_capacity(),
                "signed_off_at": iso(r.signed_off_at),
            }
            for r in reviews.order_by("release_at", "id")
        ],
    }


def _yes(value) -> str:
    return "" if value is None else ("yes" if value else "no")


def quarter_tables(data: dict) -> dict:
    return {
        "incidents": table(
            ["reference", "title", "recipient", "recipient_firm", "recipient_category", "disclosed_at",
             "learned_at", "due_at", "public_disclosure_at", "status", "outcome"],
            [
                [r["reference"], r["title"], r["recipient"], r["recipient_firm"], r["recipient_category"],
                 r["disclosed_at"], r["learned_at"], r["due_at"], r["public_disclosure_at"], r["status"],
                 r["outcome"]]
                for r in data["incidents"]
            ],
        ),
        "communications": table(
            ["kind", "title", "scheduled_at", "spokesperson", "status", "authorized", "fls_disclaimer_given",
             "possible_mnpi"],
            [
                [c["kind"], c["title"], c["scheduled_at"], c["spokesperson"], c["status"],
                 _yes(c["authorized"]), _yes(c["fls_disclaimer_given"]), _yes(c["possible_mnpi"])]
                for c in data["communications"]
            ],
        ),
        "earnings_events": table(
            ["period_label", "release_at", "timing", "nyse_notice_required", "nyse_notice_at", "call_at",
             "call_announced_at", "public_access", "qa_audible_to_all"],
            [
                [e["period_label"], e["release_at"], e["timing"], _yes(e["nyse_notice_required"]),
                 e["nyse_notice_at"], e["call_at"], e["call_announced_at"], _yes(e["public_access"]),
                 _yes(e["qa_audible_to_all"])]
                for e in data["earnings_events"]
            ],
        ),
        "regulation_g_reviews": table(
            ["measure", "comparable_gaap_measure", "document", "release_at", "equal_prominence",
             "usefulness_statement", "signed_off_by", "signed_off_as", "signed_off_at"],
            [
                [r["measure"], r["comparable_gaap_measure"], r["document"], r["release_at"],
                 _yes(r["equal_prominence"]), _yes(r["usefulness_statement"]), r["signed_off_by"],
                 r.get("signed_off_as", ""), r["signed_off_at"]]
                for r in data["reviews"]
            ],
        ),
    }  # fmt: skip


def audit_scope(data: dict) -> list[tuple[str, list[str]]]:
    pairs = [
        ("regfd.incident", [str(r["id"]) for r in data["incidents"]]),
        ("regfd.communication", [str(c["id"]) for c in data["communications"]]),
        ("regfd.earningsevent", [str(e["id"]) for e in data["earnings_events"]]),
        ("regfd.nongaapreview", [str(r["id"]) for r in data["reviews"]]),
    ]
    return [(kind, ids) for kind, ids in pairs if ids]
