"""Scheduling: one row per (record, kind, due time), upserted on every save, obsolete ones cancelled."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from clawback.models import RecoveryClaim, RecoveryEvent, Restatement
from compliance_site.audit.recorder import audit_context
from compliance_site.company.models import FiscalPeriod
from compliance_site.notifications import services
from compliance_site.notifications.models import Reminder
from compliance_site.notifications.selectors import reminders_for_record
from regfd.models import Incident
from regfd.services import add_market_closure, close_not_required, record_public_disclosure
from tests.factories import IncidentFactory, report_incident

pytestmark = pytest.mark.django_db
H = timedelta(hours=1)


def _rows(record, **filters):
    return list(reminders_for_record(record).filter(**filters).order_by("due_at", "kind"))


def _pending(record):
    return _rows(record, status=Reminder.Status.PENDING)


def test_an_open_incident_gets_reminders_before_its_deadline_and_a_first_escalation():
    due = timezone.now() + 23 * H
    incident = IncidentFactory(due_at=due)
    rows = _pending(incident)
    assert [(r.kind, round((due - r.due_at) / H)) for r in rows] == [
        ("incident_due", 12),
        ("incident_due", 4),
        ("incident_due", 1),
        ("incident_due", 0),
        ("incident_overdue", -4),
    ]
    assert {r.roles for r in rows if r.kind == "incident_due"} == {"secretary"}
    assert {r.roles for r in rows if r.kind == "incident_overdue"} == {"officer,counsel"}
    assert {r.anchor_at for r in rows} == {due}


def test_scheduling_again_with_nothing_changed_writes_nothing():
    incident = IncidentFactory()
    before = _rows(incident)
    assert services.schedule_reminders_for(incident, now=timezone.now()) == services.ScheduleResult(0, 0, 0)
    incident.title = "Edited title"
    incident.save()
    assert [(r.pk, r.status) for r in _rows(incident)] == [(r.pk, r.status) for r in before]


def test_moving_the_deadline_cancels_the_obsolete_pending_reminders_and_schedules_new_ones():
    incident = IncidentFactory(due_at=timezone.now() + 23 * H)
    old = _pending(incident)
    incident.due_at += 2 * H  # e.g. T0 corrected
    incident.save()
    assert all(
        r.status == Reminder.Status.CANCELLED for r in Reminder.objects.filter(pk__in=[r.pk for r in old])
    )
    new = _pending(incident)
    assert len(new) == 5 and {r.anchor_at for r in new} == {incident.due_at}


def test_the_database_refuses_a_second_reminder_for_the_same_record_kind_and_due_time():
    """De-duplication does not rest on the scheduler reading first: the key is a unique constraint."""
    incident = IncidentFactory()
    row = _pending(incident)[0]
    duplicate = Reminder(
        **{
            field: getattr(row, field)
            for field in ("content_type_id", "object_id", "kind", "due_at", "anchor_at", "label", "roles")
        },
        rule_version=row.rule_version,
        created_at=timezone.now(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    # Two schedulers racing on the same record: the loser's INSERT … ON CONFLICT DO NOTHING is harmless.
    Reminder.objects.filter(content_type_id=row.content_type_id, object_id=row.object_id).delete()
    services.schedule_reminders_for(incident, now=timezone.now())
    services.schedule_reminders_for(incident, now=timezone.now())
    Reminder.objects.bulk_create([duplicate], ignore_conflicts=True)
    assert len(_rows(incident)) == 5


def test_a_sent_reminder_stays_sent_when_the_deadline_moves():
    incident = IncidentFactory(due_at=timezone.now() + 23 * H)
    first = _pending(incident)[0]
    Reminder.objects.filter(pk=first.pk).update(status=Reminder.Status.SENT, sent_at=timezone.now())
    incident.due_at += H
    incident.save()
    first.refresh_from_db()
    assert first.status == Reminder.Status.SENT


def test_a_new_deadline_that_lands_on_an_old_reminder_time_reuses_the_row():
    due = timezone.now() + 23 * H
    incident = IncidentFactory(due_at=due)
    old_four_hours = reminders_for_record(incident).get(kind="incident_due", due_at=due - 4 * H)
    incident.due_at = due + 8 * H  # its 12 h reminder falls exactly where the old 4 h one was
    incident.save()
    old_four_hours.refresh_from_db()
    assert old_four_hours.status == Reminder.Status.PENDING
    assert old_four_hours.anchor_at == incident.due_at and old_four_hours.label == "12 h before the deadline"
    assert len(_pending(incident)) == 5


def test_a_late_reminder_is_kept_not_cancelled_when_the_record_is_saved_again():
    """Worker outage: the 4 h reminder is overdue but still about the current deadline: late, not obsolete."""
    now = timezone.now()
    incident = IncidentFactory(due_at=now + 3 * H)
    late = reminders_for_record(incident).get(kind="incident_due", due_at=incident.due_at - 4 * H)
    services.schedule_reminders_for(incident, now=now + 2.5 * H)
    late.refresh_from_db()
    assert late.status == Reminder.Status.PENDING


@pytest.mark.parametrize("close", ["disclose", "not_required"])
def test_closing_an_incident_stops_its_pending_reminders(close, users):
    incident = IncidentFactory(reported_by=users["secretary"])
    assert _pending(incident)
    if close == "disclose":
        record_public_disclosure(
            actor=users["secretary"], incident=incident, disclosed_at=timezone.now(), method="form_8k_7_01"
        )
    else:
        close_not_required(actor=users["secretary"], incident=incident, reason="Not material (counsel)")
    assert _pending(incident) == []
    assert len(_rows(incident, status=Reminder.Status.CANCELLED)) == 5


def test_a_calendar_change_that_moves_the_deadline_moves_the_reminders(users):
    """Fixed instants, not the clock: T0 on Monday 2 March 2026 at 11:00 ET gives a working deadline of
    T0 + 24 h (Tuesday 11:00 ET, no weekend or closure in between). An unscheduled closure on that Tuesday
    makes it an intervening holiday, so the deadline becomes Wednesday's open, 09:30 ET."""
    et = ZoneInfo("America/New_York")
    incident = report_incident(
        users["secretary"],
        disclosed_at=datetime(2026, 3, 2, 10, 0, tzinfo=et),  # a Monday
        learned_at=datetime(2026, 3, 2, 11, 0, tzinfo=et),
    )
    first_due = incident.due_at
    assert first_due == datetime(2026, 3, 3, 11, 0, tzinfo=et)
    assert {r.anchor_at for r in _pending(incident)} == {first_due}
    add_market_closure(
        actor=users["admin"],
        now=timezone.now(),
        day=first_due.astimezone(et).date(),
        kind="closure",
        name="National day of mourning",
        source="NYSE notice",
    )
    incident.refresh_from_db()
    assert incident.due_at == datetime(2026, 3, 4, 9, 30, tzinfo=et)
    assert _pending(incident) and {r.anchor_at for r in _pending(incident)} == {incident.due_at}
    cancelled = _rows(incident, status=Reminder.Status.CANCELLED)
    assert cancelled and {r.anchor_at for r in cancelled} == {first_due}


def test_correcting_t0_moves_the_pending_reminders(users):
    from regfd.services import correct_learned_at

    et = ZoneInfo("America/New_York")
    incident = report_incident(
        users["secretary"],
        recipient_category=Incident.RecipientCategory.INSTITUTIONAL,
        disclosed_at=datetime(2026, 3, 2, 10, 0, tzinfo=et),  # a Monday
        learned_at=datetime(2026, 3, 2, 11, 0, tzinfo=et),
    )
    first_due = incident.due_at
    incident = correct_learned_at(
        actor=users["secretary"],
        now=timezone.now(),
        incident=incident,
        learned_at=datetime(2026, 3, 3, 15, 0, tzinfo=et),
        reason="The e-mail reached counsel a day later",
    )
    assert incident.due_at != first_due
    assert {r.anchor_at for r in _pending(incident)} == {incident.due_at}
    assert {r.anchor_at for r in _rows(incident, status=Reminder.Status.CANCELLED)} == {first_due}


# ---- clawback ----


def _to_review(case):
    case.status = Restatement.Status.REVIEW
    case.save()
    return case


def test_a_case_in_review_gets_a_review_reminder_counted_from_entering_review(clawback_case):
    _to_review(clawback_case)
    rows = _pending(clawback_case)
    assert [r.kind for r in rows] == ["review_due"]
    assert rows[0].roles == "committee"
    assert timedelta(days=14) - timedelta(seconds=5) < rows[0].due_at - timezone.now() <= timedelta(days=14)
    clawback_case.title = "Renamed"
    clawback_case.save()
    assert [r.pk for r in _pending(clawback_case)] == [rows[0].pk]


def test_leaving_review_cancels_the_review_reminder(clawback_case):
    _to_review(clawback_case)
    clawback_case.status = Restatement.Status.APPROVED
    clawback_case.save()
    assert [r.kind for r in _rows(clawback_case, status=Reminder.Status.CANCELLED)] == ["review_due"]
    assert _pending(clawback_case) == []


def test_fiscal_year_end_reminders_follow_the_fiscal_calendar(clawback_case):
    today = timezone.localdate()
    period = FiscalPeriod.objects.create(
        company=clawback_case.company,
        label="FY-test",
        start=today - timedelta(days=300),
        end=today + timedelta(days=60),
    )
    _to_review(clawback_case)
    fy = _rows(clawback_case, kind="fiscal_year_end", status=Reminder.Status.PENDING)
    assert [r.due_at.date() for r in fy] == [period.end - timedelta(days=30), period.end]
    assert {r.roles for r in fy} == {"secretary,committee"}
    period.end += timedelta(days=10)
    period.save()
    fy = _rows(clawback_case, kind="fiscal_year_end", status=Reminder.Status.PENDING)
    assert [r.due_at.date() for r in fy] == [period.end - timedelta(days=30), period.end]


@pytest.fixture
def claim(clawback_case):
    with audit_context(reason="test setup"):
        clawback_case.status = Restatement.Status.APPROVED
        clawback_case.save()
        clawback_case.status = Restatement.Status.RECOVERY
        clawback_case.save()
    return RecoveryClaim.objects.create(
        restatement=clawback_case,
        executive=clawback_case.covered_executives.get(key="cfo"),
        amount_owed=Decimal("250000.00"),
        determined_on=timezone.localdate() - timedelta(days=10),
    )


def test_a_recovery_balance_gets_reminders_before_and_at_180_days(claim):
    rows = _pending(claim)
    assert [(r.kind, r.due_at.date()) for r in rows] == [
        ("recovery_approaching", claim.determined_on + timedelta(days=150)),
        ("recovery_outstanding", claim.determined_on + timedelta(days=180)),
    ]
    assert {r.roles for r in rows} == {"secretary,committee"}


def test_recovering_the_whole_balance_cancels_the_ageing_reminders(claim, users):
    RecoveryEvent.objects.create(
        claim=claim,
        occurred_on=timezone.localdate(),
        method=RecoveryEvent.Method.CASH,
        amount=Decimal("100000.00"),
        evidence="Wire 1",
        recorded_by=users["secretary"],
    )
    assert len(_pending(claim)) == 2  # still owes 150,000
    RecoveryEvent.objects.create(
        claim=claim,
        occurred_on=timezone.localdate(),
        method=RecoveryEvent.Method.CASH,
        amount=Decimal("150000.00"),
        evidence="Wire 2",
        recorded_by=users["secretary"],
    )
    assert _pending(claim) == []


def test_closing_the_case_cancels_its_claims_reminders(claim):
    with audit_context(reason="Recovery complete"):
        claim.restatement.status = Restatement.Status.CLOSED
        claim.restatement.save()
    assert _pending(claim) == []


# ---- what escapes save() ----


def test_the_sweep_reschedules_an_open_incident_created_without_signals():
    """bulk_create sends no post_save: the sweep notices the open incident has no escalation waiting."""
    template = IncidentFactory.build(reference="FD-BULK-0001")
    (incident,) = Incident.objects.bulk_create([template])
    assert _rows(incident) == []
    result = services.sweep_reminders(now=timezone.now(), enqueue=lambda ids: None)
    assert result.reconciled == 1
    assert len(_pending(incident)) == 5
    assert services.sweep_reminders(now=timezone.now(), enqueue=lambda ids: None).reconciled == 0
