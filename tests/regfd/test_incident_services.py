"""Reg FD incident services (regfd/services/incidents.py): materiality (policy II.B), counsel's conclusion,
exclusions (243.100(b)(2), policy II.J), T0 corrections and the public disclosure (policy II.C).

Times are fixed instants in 2026 (inside the calendar's years) with `now` passed in, so the expected
deadlines can be worked out by hand from docs/regfd-rules §2.2 and §3.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from compliance_site.audit.models import AuditEvent
from regfd import services
from regfd.models import DeadlineComputation, Exclusion, Incident
from tests.factories import report_incident

pytestmark = pytest.mark.django_db

ET = ZoneInfo("America/New_York")
NOW = datetime(2026, 3, 3, 20, 0, tzinfo=UTC)  # Tue 2026-03-03 15:00 ET


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def open_one(actor, *, disclosed_at=None, learned_at=None, **extra):
    return report_incident(
        actor,
        now=NOW,
        title="Guidance comment on a call-back",
        disclosed_by="VP Investor Relations",
        information="Said Q1 revenue would miss consensus.",
        disclosed_at=disclosed_at or datetime(2026, 3, 3, 13, 0, tzinfo=ET),
        learned_at=learned_at or datetime(2026, 3, 3, 14, 0, tzinfo=ET),
        learned_by="Corporate Secretary",
        **extra,
    )


@pytest.fixture
def incident(users):
    return open_one(users["employee"])


def events_for(obj):
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("seq")


# Opening ------------------------------------------------------------------------------------------------


def test_open_incident_computes_the_deadline_and_records_it(incident):
    # Tue 14:00 ET, in session: T0 + 24 h = Wed 14:00 ET = 19:00Z (docs/regfd-rules §2.2, first example).
    assert incident.outer_limit == utc(2026, 3, 4, 19, 0)
    assert incident.due_at == utc(2026, 3, 4, 19, 0)
    [row] = incident.deadline_history.all()
    assert row.reason == "Incident logged" and row.due_at == incident.due_at


def test_open_incident_refuses_learning_before_the_disclosure(users):
    with pytest.raises(ValidationError) as exc:
        open_one(
            users["employee"],
            disclosed_at=datetime(2026, 3, 3, 14, 0, tzinfo=ET),
            learned_at=datetime(2026, 3, 3, 13, 0, tzinfo=ET),
        )
    assert "learned_at" in exc.value.message_dict


def test_open_incident_refuses_a_naive_time(users):
    with pytest.raises(ValidationError) as exc:
        open_one(users["employee"], learned_at=datetime(2026, 3, 3, 14, 0))
    assert "offset" in exc.value.message_dict["learned_at"][0]


def test_open_incident_refuses_a_t0_outside_the_calendar_years(users):
    with pytest.raises(ValidationError) as exc:
        open_one(
            users["employee"],
            disclosed_at=datetime(2022, 6, 1, 10, 0, tzinfo=ET),
            learned_at=datetime(2022, 6, 1, 11, 0, tzinfo=ET),
        )
    assert "outside" in exc.value.message_dict["learned_at"][0]
    assert not Incident.objects.exists()


# Materiality (policy II.B) ------------------------------------------------------------------------------


def test_materiality_assessment_keeps_the_policy_order_and_is_audited(users, incident):
    updated = services.assess_materiality(
        actor=users["secretary"],
        incident=incident,
        material_categories=["expectations", "earnings", "earnings"],
        materiality_assessment="  Revenue miss against consensus: earnings information.  ",
        in_doubt=False,
    )
    assert updated.material_categories == ["earnings", "expectations"]
    assert updated.materiality_assessment == "Revenue miss against consensus: earnings information."
    assert updated.presumed_material
    change = events_for(updated).filter(action="update").last()
    assert change.actor == users["secretary"]
    assert change.changes["material_categories"] == [[], ["earnings", "expectations"]]


def test_in_doubt_alone_makes_the_information_presumed_material(users, incident):
    updated = services.assess_materiality(
        actor=users["secretary"],
        incident=incident,
        material_categories=[],
        materiality_assessment="Unclear whether the order figure moves the stock.",
        in_doubt=True,
    )
    assert updated.material_categories == [] and updated.presumed_material


def test_no_category_and_no_doubt_is_not_presumed_material(users, incident):
    updated = services.assess_materiality(
        actor=users["secretary"],
        incident=incident,
        material_categories=[],
        materiality_assessment="Routine facilities matter.",
        in_doubt=False,
    )
    assert not updated.presumed_material


@pytest.mark.parametrize(
    ("categories", "assessment", "field"),
    [(["earnings", "weather"], "x", "material_categories"), (["earnings"], "   ", "materiality_assessment")],
)
def test_materiality_assessment_refuses_bad_input(users, incident, categories, assessment, field):
    with pytest.raises(ValidationError) as exc:
        services.assess_materiality(
            actor=users["secretary"],
            incident=incident,
            material_categories=categories,
            materiality_assessment=assessment,
        )
    assert field in exc.value.message_dict


def test_materiality_cannot_be_reassessed_once_closed(users, incident):
    services.close_not_required(actor=users["secretary"], incident=incident, reason="Already public.")
    with pytest.raises(ValidationError, match="already closed"):
        services.assess_materiality(
            actor=users["secretary"], incident=incident, material_categories=[], materiality_assessment="x"
        )


# Counsel's conclusion -----------------------------------------------------------------------------------


def test_counsel_records_the_conclusion_with_who_and_when(users, incident):
    counsel = users["counsel"]
    updated = services.conclude_materiality(
        actor=counsel,
        now=NOW,
        incident=incident,
        conclusion=Incident.CounselConclusion.MATERIAL,
        rationale="A revenue miss is earnings information (policy II.B).",
    )
    assert updated.counsel_conclusion == "material"
    assert updated.counsel_concluded_by == counsel and updated.counsel_concluded_at == NOW
    assert updated.presumed_material
    event = events_for(updated).filter(action="update").last()
    assert event.actor == counsel
    assert event.reason.startswith("Counsel concluded: Material nonpublic information.")


def test_counsel_clearing_materiality_overrides_the_presumption(users, incident):
    services.assess_materiality(
        actor=users["secretary"],
        incident=incident,
        material_categories=["earnings"],
        materiality_assessment="Possibly earnings.",
        in_doubt=True,
    )
    updated = services.conclude_materiality(
        actor=users["counsel"],
        now=NOW,
        incident=incident,
        conclusion=Incident.CounselConclusion.ALREADY_PUBLIC,
        rationale="The figure was in the 10-Q filed last week.",
    )
    assert not updated.presumed_material


@pytest.mark.parametrize("role", ["secretary", "admin", "officer", "employee"])
def test_only_counsel_may_conclude(users, incident, role):
    with pytest.raises(PermissionDenied):
        services.conclude_materiality(
            actor=users[role], now=NOW, incident=incident, conclusion="material", rationale="Because."
        )
    incident.refresh_from_db()
    assert incident.counsel_conclusion == Incident.CounselConclusion.PENDING


@pytest.mark.parametrize(
    ("conclusion", "rationale", "field"),
    [
        ("pending", "Because.", "conclusion"),
        ("maybe", "Because.", "conclusion"),
        ("material", " ", "rationale"),
    ],
)
def test_conclusion_refuses_bad_input(users, incident, conclusion, rationale, field):
    with pytest.raises(ValidationError) as exc:
        services.conclude_materiality(
            actor=users["counsel"], now=NOW, incident=incident, conclusion=conclusion, rationale=rationale
        )
    assert field in exc.value.message_dict


def test_counsel_may_conclude_after_the_incident_closed_with_the_rationale_as_audit_reason(users, incident):
    services.close_not_required(actor=users["secretary"], incident=incident, reason="Not material.")
    updated = services.conclude_materiality(
        actor=users["counsel"],
        now=NOW,
        incident=incident,
        conclusion=Incident.CounselConclusion.NOT_MATERIAL,
        rationale="Routine facilities matter.",
    )
    assert updated.counsel_conclusion == "not_material"
    assert "Routine facilities matter." in events_for(updated).last().reason


# Exclusions (243.100(b)(2); policy II.J) ------------------------------------------------------------------


def test_claiming_an_exclusion_records_kind_evidence_and_claimant(users, incident):
    exclusion = services.claim_exclusion(
        actor=users["secretary"],
        incident=incident,
        kind=Exclusion.Kind.CONFIDENTIALITY,
        evidence="NDA signed 2026-02-10 with Example Securities (attached).",
    )
    assert exclusion.claimed_by == users["secretary"]
    assert list(incident.exclusions.all()) == [exclusion]
    assert events_for(exclusion).filter(action="create").exists()
    incident.refresh_from_db()
    assert incident.status == Incident.Status.OPEN  # closing it is a separate decision


@pytest.mark.parametrize(
    ("kind", "evidence", "field"), [("nda", "x", "kind"), ("duty_of_trust", "  ", "evidence")]
)
def test_claiming_an_exclusion_refuses_bad_input(users, incident, kind, evidence, field):
    with pytest.raises(ValidationError) as exc:
        services.claim_exclusion(actor=users["secretary"], incident=incident, kind=kind, evidence=evidence)
    assert field in exc.value.message_dict
    assert not Exclusion.objects.exists()


# Correcting T0 ------------------------------------------------------------------------------------------


def test_correcting_t0_recomputes_the_deadline_and_records_the_reason(users, incident):
    later = NOW.replace(hour=23)
    corrected = services.correct_learned_at(
        actor=users["secretary"],
        now=later,
        incident=incident,
        learned_at=datetime(2026, 3, 3, 16, 30, tzinfo=ET),
        reason="The General Counsel learned at 16:30, not 14:00 (call log).",
    )
    # Tue 16:30 ET: T0 + 24 h = Wed 16:30 ET = 21:30Z, later than Wed's open; no closure in between.
    assert corrected.due_at == corrected.outer_limit == utc(2026, 3, 4, 21, 30)
    first, second = corrected.deadline_history.all()
    assert first.due_at == utc(2026, 3, 4, 19, 0)
    assert second.due_at == utc(2026, 3, 4, 21, 30)
    assert second.computed_at == later
    assert second.learned_at == datetime(2026, 3, 3, 16, 30, tzinfo=ET)
    assert second.reason == "T0 corrected: The General Counsel learned at 16:30, not 14:00 (call log)."
    event = events_for(corrected).filter(action="update").last()
    assert event.reason == second.reason
    assert "learned_at" in event.changes and "due_at" in event.changes


@pytest.mark.parametrize(
    ("learned_at", "reason", "field"),
    [
        (datetime(2026, 3, 3, 12, 0, tzinfo=ET), "typo", "learned_at"),  # before the disclosure itself
        (datetime(2026, 3, 4, 12, 0, tzinfo=ET), "typo", "learned_at"),  # after `now`
        (datetime(2026, 3, 3, 14, 30), "typo", "learned_at"),  # naive
        (datetime(2026, 3, 3, 14, 30, tzinfo=ET), "  ", "reason"),
    ],
)
def test_correcting_t0_refuses_bad_input(users, incident, learned_at, reason, field):
    with pytest.raises(ValidationError) as exc:
        services.correct_learned_at(
            actor=users["secretary"], now=NOW, incident=incident, learned_at=learned_at, reason=reason
        )
    assert field in exc.value.message_dict
    assert DeadlineComputation.objects.filter(incident=incident).count() == 1


def test_deadline_history_reason_is_cut_to_fit(users, incident):
    corrected = services.correct_learned_at(
        actor=users["secretary"],
        now=NOW,
        incident=incident,
        learned_at=datetime(2026, 3, 3, 14, 30, tzinfo=ET),
        reason="x" * 400,
    )
    assert len(corrected.deadline_history.last().reason) == 200


# Public disclosure (policy II.C) ------------------------------------------------------------------------


def test_public_disclosure_by_the_deadline_is_on_time_with_method_and_reference(users, incident):
    closed = services.record_public_disclosure(
        actor=users["secretary"],
        incident=incident,
        disclosed_at=utc(2026, 3, 4, 12, 0),
        method=Incident.DisclosureMethod.PRESS_RELEASE,
        reference="Business Wire 20260304-0042",
        now=utc(2026, 3, 4, 13, 0),
    )
    assert closed.status == Incident.Status.DISCLOSED and closed.outcome == Incident.Outcome.ON_TIME
    assert closed.public_disclosure_reference == "Business Wire 20260304-0042"


def test_public_disclosure_after_the_deadline_is_late(users, incident):
    closed = services.record_public_disclosure(
        actor=users["secretary"],
        incident=incident,
        disclosed_at=utc(2026, 3, 4, 19, 1),
        method=Incident.DisclosureMethod.FORM_8K_701,
    )
    assert closed.outcome == Incident.Outcome.LATE


@pytest.mark.parametrize(
    ("disclosed_at", "method", "field"),
    [
        (datetime(2026, 3, 3, 12, 0, tzinfo=ET), "press_release", "disclosed_at"),  # before the incident
        (utc(2026, 3, 3, 21, 0), "press_release", "disclosed_at"),  # after `now`
        (utc(2026, 3, 3, 19, 30), "carrier_pigeon", "method"),
    ],
)
def test_public_disclosure_refuses_bad_input(users, incident, disclosed_at, method, field):
    with pytest.raises(ValidationError) as exc:
        services.record_public_disclosure(
            actor=users["secretary"], incident=incident, disclosed_at=disclosed_at, method=method, now=NOW
        )
    assert field in exc.value.message_dict
    incident.refresh_from_db()
    assert incident.status == Incident.Status.OPEN
