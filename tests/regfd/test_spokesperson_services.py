"""Authorized spokespersons (policy I.A) and keeping current (policy II.G): every rule and every refusal
(docs/regfd-rules §2.8)."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from regfd.models import KeepingCurrentConfirmation
from regfd.selectors_records import spokespersons_missing_confirmation
from regfd.services import spokespersons as spokesperson_services
from tests.regfd.records_setup import ET, NOW, audit_events, authorize, make_cfo

# ---------------------------------------------------------------------------------------------------------
# Spokespersons (policy I.A)
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_authorized_officers_are_spokespersons_without_an_authorization(users):
    authorized, note = spokesperson_services.spokesperson_status(users["officer"], NOW)
    assert authorized is True
    assert "authorized officer" in note


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["employee", "secretary", "admin", "board", "counsel"])
def test_anyone_else_needs_an_authorization(users, role):
    authorized, note = spokesperson_services.spokesperson_status(users[role], NOW)
    assert authorized is False
    assert note.startswith("NOT AUTHORIZED")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (datetime(2026, 3, 1, 9, 0, tzinfo=ET), True),  # first day
        (datetime(2026, 3, 31, 23, 30, tzinfo=ET), True),  # last day, late in New York (Apr 1 in UTC)
        (datetime(2026, 4, 1, 0, 30, tzinfo=ET), False),  # the day after
        (datetime(2026, 2, 28, 23, 59, tzinfo=ET), False),  # the day before
    ],
)
def test_an_authorization_covers_its_new_york_dates(users, on, expected):
    authorize(users["officer"], users["employee"], valid_from=date(2026, 3, 1), valid_until=date(2026, 3, 31))
    assert spokesperson_services.spokesperson_status(users["employee"], on)[0] is expected


@pytest.mark.django_db
def test_a_revoked_authorization_stops_covering_from_its_revocation(users):
    authorization = authorize(users["officer"], users["employee"])
    revoked_at = datetime(2026, 3, 10, 12, 0, tzinfo=ET)
    spokesperson_services.revoke_spokesperson_authorization(
        actor=users["officer"], authorization=authorization, reason="Left the IR team", now=revoked_at
    )
    before = spokesperson_services.spokesperson_status(users["employee"], revoked_at - timedelta(hours=1))
    after = spokesperson_services.spokesperson_status(users["employee"], revoked_at + timedelta(hours=1))
    assert before[0] is True
    assert after[0] is False and "revoked" in after[1]


@pytest.mark.django_db
def test_spokesperson_status_refuses_a_naive_time(users):
    with pytest.raises(ValidationError):
        spokesperson_services.spokesperson_status(users["officer"], datetime(2026, 3, 10, 9, 0))  # noqa: DTZ001


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["secretary", "admin", "employee", "counsel"])
def test_only_an_authorized_officer_authorizes(users, role):
    with pytest.raises(ValidationError, match="authorized officer"):
        authorize(users[role], users["employee"])


@pytest.mark.django_db
def test_an_inactive_officer_cannot_authorize(users):
    users["officer"].is_active = False
    users["officer"].save()
    with pytest.raises(ValidationError):
        authorize(users["officer"], users["employee"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"valid_from": date(2026, 5, 1), "valid_until": date(2026, 4, 1)}, "valid_until"),
        ({"scope": "  "}, "scope"),
        ({"content_reviewed": ""}, "content_reviewed"),
    ],
)
def test_authorization_refuses_bad_input(users, changes, field):
    with pytest.raises(ValidationError) as exc:
        authorize(users["officer"], users["employee"], **changes)
    assert field in exc.value.message_dict


@pytest.mark.django_db
def test_an_authorized_officer_needs_no_authorization(users):
    with pytest.raises(ValidationError) as exc:
        authorize(users["officer"], make_cfo())
    assert "person" in exc.value.message_dict


@pytest.mark.django_db
def test_authorizing_is_recorded_with_the_officer_and_audited(users):
    authorization = authorize(users["officer"], users["employee"], conditions="Only with IR present")
    assert authorization.authorized_by == users["officer"]
    assert audit_events(authorization) == 1


@pytest.mark.django_db
def test_revocation_needs_an_officer_a_reason_and_happens_once(users):
    authorization = authorize(users["officer"], users["employee"])
    with pytest.raises(ValidationError):
        spokesperson_services.revoke_spokesperson_authorization(
            actor=users["secretary"], authorization=authorization, reason="x", now=NOW
        )
    with pytest.raises(ValidationError):
        spokesperson_services.revoke_spokesperson_authorization(
            actor=users["officer"], authorization=authorization, reason=" ", now=NOW
        )
    revoked = spokesperson_services.revoke_spokesperson_authorization(
        actor=make_cfo(), authorization=authorization, reason="Project over", now=NOW
    )
    assert revoked.revoked_at == NOW and revoked.revocation_reason == "Project over"
    with pytest.raises(ValidationError, match="already revoked"):
        spokesperson_services.revoke_spokesperson_authorization(
            actor=users["officer"], authorization=authorization, reason="Again", now=NOW
        )


# ---- Keeping current (policy II.G) ----


def confirm(person, **kw):
    fields = {
        "period_label": "2026-Q1",
        "reviewed_filings": True,
        "reviewed_press_releases": True,
        "attended_or_heard_calls": True,
    }
    fields.update(kw)
    return spokesperson_services.confirm_keeping_current(actor=person, now=NOW, **fields)


@pytest.mark.django_db
@pytest.mark.parametrize("box", ["reviewed_filings", "reviewed_press_releases", "attended_or_heard_calls"])
def test_keeping_current_needs_all_three_statements(users, box):
    with pytest.raises(ValidationError) as exc:
        confirm(users["officer"], **{box: False})
    assert list(exc.value.message_dict) == [box]


@pytest.mark.django_db
def test_only_a_spokesperson_confirms_keeping_current(users):
    with pytest.raises(ValidationError, match="spokesperson"):
        confirm(users["employee"])


@pytest.mark.django_db
def test_a_confirmation_is_the_persons_own_and_once_per_period(users):
    confirmation = confirm(users["officer"])
    assert confirmation.person == users["officer"]
    with pytest.raises(ValidationError):
        confirm(users["officer"])
    assert KeepingCurrentConfirmation.objects.count() == 1


@pytest.mark.django_db
def test_report_lists_spokespersons_missing_a_confirmation(users):
    cfo = make_cfo()
    authorize(users["officer"], users["employee"])
    revoked = authorize(users["officer"], users["counsel"])
    spokesperson_services.revoke_spokesperson_authorization(
        actor=users["officer"], authorization=revoked, reason="Done", now=NOW
    )
    confirm(users["officer"])
    missing = spokespersons_missing_confirmation(period_label="2026-Q1", on=date(2026, 3, 10))
    assert {m.person for m in missing} == {cfo, users["employee"]}
    assert {m.person: m.is_officer for m in missing} == {cfo: True, users["employee"]: False}
    # Another period: everyone is missing.
    assert len(spokespersons_missing_confirmation(period_label="2026-Q2", on=date(2026, 3, 10))) == 3
