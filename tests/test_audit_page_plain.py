"""The audit trail page speaks to auditors (issue #15): the actor by name, each changed field by its label,
choices by their labels, times in New York time with the zone shown, and New York dates in the filter."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from html import unescape
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from clawback.models import RecoveryClaim
from compliance_site.audit import recorder
from compliance_site.audit.models import AuditEvent
from compliance_site.audit.recorder import audit_context
from tests.factories import ExecutiveFactory, RestatementFactory

pytestmark = pytest.mark.django_db

# 23:30 on December 4, 2026 in New York (EST, UTC-5) is 04:30 UTC on December 5.
LATE_EVENING_ET = datetime(2026, 12, 5, 4, 30, tzinfo=UTC)


@pytest.fixture
def changed_claim(users, company):
    """A recovery claim whose amount owed and payee the secretary changed at 23:30 ET on December 4."""
    executive = ExecutiveFactory(company=company, name="Blake Ortiz")
    case = RestatementFactory(company=company, title="FY2025 restatement")
    claim = RecoveryClaim.objects.create(
        restatement=case, executive=executive, amount_owed=Decimal("500.00"), determined_on=date(2026, 3, 1)
    )
    with mock.patch.object(recorder.timezone, "now", return_value=LATE_EVENING_ET):
        with audit_context(actor=users["secretary"], reason="Re-approved"):
            claim.amount_owed = Decimal("750.00")
            claim.sought_from = RecoveryClaim.Party.BENEFICIARY
            claim.save()
    return claim


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _change_row(response, seq: int) -> str:
    assert response.status_code == 200
    rows = re.findall(r"<tr>.*?</tr>", response.content.decode(), flags=re.S)
    (row,) = [r for r in rows if re.search(rf'<td class="mono">{seq}</td>', r)]
    return _visible_text(row)


def _the_change(claim) -> AuditEvent:
    return AuditEvent.objects.get(
        object_type="clawback.recoveryclaim", object_id=str(claim.pk), action="update"
    )


def test_a_claim_change_shows_field_labels_choice_labels_and_the_actor_by_name(changed_claim, users):
    event = _the_change(changed_claim)
    secretary = users["secretary"]
    response = _client(users["auditor"]).get(reverse("audit:event-list"))
    row = _change_row(response, event.seq)

    assert "Amount owed: 500.00 → 750.00" in row
    assert "Sought from: The executive → Beneficiary" in row
    assert secretary.get_full_name() and secretary.get_full_name() in row
    assert "Recovery claim #" in row
    page = _visible_text(response.content.decode())
    assert "amount_owed" not in page and "sought_from" not in page
    assert "clawback.recoveryclaim" not in page
    assert f"#{secretary.pk} " not in row and secretary.get_username() not in row


def test_times_are_new_york_time_with_the_zone(changed_claim, users):
    event = _the_change(changed_claim)
    row = _change_row(_client(users["auditor"]).get(reverse("audit:event-list")), event.seq)
    assert "Dec 4, 2026 11:30 PM ET" in row
    assert "your zone" not in row  # the auditor's own zone is New York


def test_a_viewer_elsewhere_also_sees_their_own_zone(changed_claim, users):
    auditor = users["auditor"]
    auditor.time_zone = "Europe/London"
    auditor.save()
    event = _the_change(changed_claim)
    row = _change_row(_client(auditor).get(reverse("audit:event-list")), event.seq)
    assert "Dec 4, 2026 11:30 PM ET" in row
    assert "(Dec 5, 2026 4:30 AM GMT, your zone)" in row


def test_a_date_filter_keeps_an_entry_made_at_23_30_et_on_that_date(changed_claim, users):
    event = _the_change(changed_claim)
    client = _client(users["auditor"])
    url = reverse("audit:event-list")
    on_the_day = client.get(url, {"date_from": "2026-12-04", "date_to": "2026-12-04"})
    assert event.seq in [e.seq for e in on_the_day.context["page"].object_list]
    the_next_day = client.get(url, {"date_from": "2026-12-05", "date_to": "2026-12-05"})
    assert event.seq not in [e.seq for e in the_next_day.context["page"].object_list]
    assert "New York date" in _visible_text(on_the_day.content.decode())


def test_the_record_history_speaks_the_same_language(changed_claim, users):
    event = _the_change(changed_claim)
    url = reverse("audit:record-history", args=["clawback.recoveryclaim", changed_claim.pk])
    response = _client(users["auditor"]).get(url)
    row = _change_row(response, event.seq)
    assert "Amount owed: 500.00 → 750.00" in row and users["secretary"].get_full_name() in row
    assert "amount_owed" not in _visible_text(response.content.decode())


def test_the_csv_export_stays_machine_readable(changed_claim, users):
    response = _client(users["auditor"]).get(reverse("audit:event-export", args=["csv"]))
    body = b"".join(response.streaming_content).decode()
    assert "amount_owed" in body and "secretary" in body
