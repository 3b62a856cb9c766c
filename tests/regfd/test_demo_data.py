"""The demo data's Reg FD side (compliance_site/demo.py): every register of the policy has realistic rows,
made through the services at the times they happened, and `load_demo` run twice adds nothing the second
time. The pages a user opens first render with that data for every role."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from compliance_site.audit.models import AuditEvent
from compliance_site.company.models import PolicyAcknowledgement, PolicyDistribution
from compliance_site.demo import load_demo
from regfd.models import (
    Communication,
    DeadlineComputation,
    EarningsEvent,
    Incident,
    InformationRequest,
    KeepingCurrentConfirmation,
    NonGaapDelegation,
    NonGaapReview,
    PolicyRecord,
    SpokespersonAuthorization,
)
from regfd.selectors_records import current_regfd_policy, spokespersons_missing_confirmation
from regfd.selectors_records import users_not_acknowledged as not_acknowledged
from regfd.services.records import earnings_checklist
from regfd.views.spokespersons import quarter_label

pytestmark = pytest.mark.django_db

ET = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 18, 10, 30, tzinfo=ET)  # a Wednesday morning, before Thanksgiving week's closure
REGISTERS = [
    Incident,
    DeadlineComputation,
    SpokespersonAuthorization,
    KeepingCurrentConfirmation,
    InformationRequest,
    Communication,
    EarningsEvent,
    NonGaapReview,
    NonGaapDelegation,
    PolicyRecord,
    PolicyDistribution,
    PolicyAcknowledgement,
]


def counts() -> dict[str, int]:
    rows = {model.__name__: model.objects.count() for model in REGISTERS}
    rows["users"] = get_user_model().objects.count()
    rows["audit events"] = AuditEvent.objects.count()
    return rows


@pytest.fixture
def demo():
    return load_demo(now=NOW)


def test_load_demo_twice_adds_nothing_the_second_time(demo):
    first = counts()
    assert all(first[model.__name__] > 0 for model in REGISTERS), first
    load_demo(now=NOW)
    assert counts() == first
    # A later day's run is still a no-op: nothing is keyed on the time it runs.
    load_demo(now=NOW + timedelta(days=3))
    assert counts() == first


def test_every_reg_fd_register_has_rows_in_each_state(demo):
    kinds = set(PolicyRecord.objects.values_list("kind", flat=True))
    assert kinds == set(PolicyRecord.Kind.values)
    assert set(Communication.objects.values_list("status", flat=True)) == {"scheduled", "held", "debriefed"}
    assert set(Incident.objects.values_list("status", flat=True)) == {"open", "disclosed", "not_required"}
    assert InformationRequest.objects.filter(responded_at__isnull=True).count() == 1
    assert InformationRequest.objects.filter(responded_at__isnull=False).count() == 1
    assert SpokespersonAuthorization.objects.filter(revoked_at__isnull=False).count() == 1
    assert NonGaapDelegation.objects.filter(revoked_at__isnull=False).count() == 1
    assert NonGaapReview.objects.filter(signed_off_at__isnull=True).count() == 1
    assert PolicyRecord.objects.filter(kind="question", answered_at__isnull=True).count() == 1


def test_both_authorized_officers_exist_and_the_cfo_is_not_a_login(demo):
    cfo = get_user_model().objects.get(username="cfo")
    assert cfo.has_role("officer") and not cfo.has_usable_password()
    assert "cfo" not in demo  # the printed demo logins stay one per role


def test_a_communication_past_its_spokespersons_authorization_is_flagged(demo):
    unauthorized = Communication.objects.get(spokesperson_authorized=False)
    assert unauthorized.spokesperson.username == "employee"
    assert unauthorized.authorization_note.startswith("NOT AUTHORIZED")
    assert Communication.objects.filter(spokesperson_authorized=True).count() == 5


def test_the_debrief_that_flagged_mnpi_opened_an_incident_with_its_clock_running(demo):
    flagged = Communication.objects.get(possible_mnpi=True)
    incident = Incident.objects.get(source_communication=flagged)
    assert incident.status == "open" and incident.learned_at == flagged.debriefed_at
    assert incident.due_at > NOW
    assert Communication.objects.filter(status="held", possible_mnpi__isnull=True).count() == 1


def test_requests_are_routed_to_an_authorized_officer_and_answered_by_them(demo):
    for item in InformationRequest.objects.select_related("routed_to", "received_by", "responded_by"):
        assert item.routed_to.has_role("officer") and item.routed_to != item.received_by
        assert item.responded_by in (None, item.routed_to)


def test_earnings_checklists_show_one_quarter_done_and_the_nyse_notice_due_for_the_next(demo):
    done, coming = EarningsEvent.objects.order_by("release_at")
    today = NOW.date()
    assert all(item.ok is not False for item in earnings_checklist(done, today=today))
    checks = {item.key: item.ok for item in earnings_checklist(coming, today=today)}
    assert coming.nyse_notice_required and checks["nyse_notice"] is False
    signed = NonGaapReview.objects.get(signed_off_at__isnull=False)
    assert signed.signed_off_by.username == "cfo" and signed.signed_off_at < signed.release_at
    assert signed.sign_off_capacity() == "CFO"


def test_acknowledgements_and_confirmations_leave_someone_outstanding(demo):
    policy = current_regfd_policy(on=NOW.date())
    assert {u.username for u in not_acknowledged(policy)} == {"employee", "committee2"}
    missing = spokespersons_missing_confirmation(period_label=quarter_label(NOW.date()), on=NOW.date())
    assert {m.person.username for m in missing} == {"cfo", "employee"}


def test_recorded_times_are_when_things_happened_not_when_the_demo_ran(demo):
    for incident in Incident.objects.all():
        assert incident.learned_at <= incident.reported_at <= NOW
        if incident.public_disclosure_at:
            assert incident.reported_at <= incident.public_disclosure_at
    for communication in Communication.objects.all():
        assert communication.created_at < communication.scheduled_at
        assert communication.created_at <= NOW
    for authorization in SpokespersonAuthorization.objects.all():
        assert authorization.created_at.astimezone(ET).date() == authorization.valid_from
    assert all(c.confirmed_at < NOW for c in KeepingCurrentConfirmation.objects.all())
    assert all(r.occurred_at < NOW for r in PolicyRecord.objects.all())


@pytest.mark.parametrize(
    "now",
    [
        datetime(2027, 1, 3, 23, 50, tzinfo=ET),  # a Sunday night just after New Year: the quarters roll over
        datetime(2027, 3, 14, 8, 0, tzinfo=ET),  # the morning DST begins
        datetime(2026, 11, 26, 12, 0, tzinfo=ET),  # Thanksgiving, a full-day closure
    ],
    ids=str,
)
def test_load_demo_works_whenever_it_runs(now):
    load_demo(now=now)
    assert Incident.objects.filter(status="open").count() == 4
    assert Communication.objects.count() == 6 and EarningsEvent.objects.count() == 2


PAGES = [
    ("regfd:incident-list", None),
    ("regfd:records-home", None),
    ("regfd:spokesperson-list", None),
    ("regfd:spokesperson-keeping-current", None),
    ("regfd:request-list", None),
    ("regfd:communication-list", None),
    ("regfd:earnings-list", None),
    ("regfd:nongaap-list", None),
    ("regfd:nongaap-delegation-list", None),
    ("regfd:policyrecord-list", None),
    ("regfd:distribution-home", None),
    ("regfd:distribution-outstanding", None),
    ("regfd:incident-detail", Incident),
    ("regfd:spokesperson-detail", SpokespersonAuthorization),
    ("regfd:request-detail", InformationRequest),
    ("regfd:communication-detail", Communication),
    ("regfd:earnings-detail", EarningsEvent),
    ("regfd:nongaap-detail", NonGaapReview),
    ("regfd:nongaap-delegation-detail", NonGaapDelegation),
    ("regfd:policyrecord-detail", PolicyRecord),
]


@pytest.mark.parametrize("username", ["secretary", "auditor", "counsel", "ceo"])
def test_every_reg_fd_page_renders_the_demo_data_for_the_programs_officers(demo, username):
    client = Client()
    client.force_login(demo[username])
    for name, model in PAGES:
        objects = model.objects.order_by("id") if model else [None]
        for obj in objects:
            url = reverse(name, args=[obj.pk]) if obj else reverse(name)
            response = client.get(url)
            expected = 403 if name == "regfd:distribution-outstanding" and username == "ceo" else 200
            assert response.status_code == expected, (username, url)


def test_the_employee_sees_their_own_records_and_the_acknowledgement_reminder(demo):
    client = Client()
    client.force_login(demo["employee"])
    home = client.get(reverse("regfd:records-home")).content.decode()
    assert 'data-testid="policy-banner"' in home
    questions = client.get(reverse("regfd:policyrecord-list")).context["page"]
    assert {record.kind for record in questions} == {"question"} and len(questions) == 2
    communications = client.get(reverse("regfd:communication-list")).context["page"]
    assert {c.spokesperson.username for c in communications} == {"employee"}
