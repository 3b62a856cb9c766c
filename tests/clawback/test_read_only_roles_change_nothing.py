"""Those who read clawback cases without managing them (the auditor, a director) change nothing from the
pages either: withdrawing the committee's estimate and reversing a recovery entry are refused (403) and leave
the case as it was, as the API always refused them. Found by trying the pages as an auditor: both went
through, and the auditor's withdrawal sent an approved case back to review."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from clawback.models import ReasonableEstimate, RecoveryEvent, Restatement
from clawback.views.voiding import VOIDABLE
from compliance_site.accounts.roles import capabilities_of
from compliance_site.demo import load_demo
from tests.clients import client_for

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)


@pytest.fixture
def demo():
    return load_demo(now=NOW)


@pytest.mark.parametrize("role", ["auditor", "board"])
def test_withdrawing_the_estimate_and_reversing_an_entry_are_refused(demo, role):
    estimate = ReasonableEstimate.objects.first()
    event = RecoveryEvent.objects.first()
    assert estimate is not None and event is not None, "the demo has an estimate and a recovery entry"
    statuses = dict(Restatement.objects.values_list("pk", "status"))
    entries = RecoveryEvent.objects.count()
    reader = client_for(demo[role])
    for url in (
        reverse("clawback:void", args=["estimate", estimate.pk]),
        reverse("clawback:recovery-event-reverse", args=[event.pk]),
    ):
        assert reader.get(url).status_code == 403, url
        assert reader.post(url, {"reason": "Because I can."}).status_code == 403, url
    estimate.refresh_from_db()
    assert estimate.voided_at is None and RecoveryEvent.objects.count() == entries
    assert dict(Restatement.objects.values_list("pk", "status")) == statuses


def test_every_record_voided_from_the_pages_needs_the_right_to_manage_cases():
    assert {kind: spec.capability for kind, spec in VOIDABLE.items()} == {
        kind: "clawback.manage" for kind in VOIDABLE
    }
    assert "clawback.manage" not in capabilities_of({"auditor", "board"})
