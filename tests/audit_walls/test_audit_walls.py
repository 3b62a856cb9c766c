"""Finding: a covered executive who may read the audit trail read the history of the case about their own
pay: `/api/audit/events/?object_type=clawback.restatement&object_id=N`, the audit trail page and its exports,
the dashboard's recent events, and the record histories of the case's documents, attachments, decisions,
votes and claims.

The audit trail applies the case walls to every record that belongs to a case, on every surface that reads
it (docs/architecture.md, "The audit walls"); an auditor who is not walled still reads all of it."""

import csv
import io
import json

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from clawback.audit_walls import NOT_WALLED, case_walls
from compliance_site.audit.models import AuditEvent
from compliance_site.audit.recorder import is_audited, record_action

pytestmark = pytest.mark.django_db


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _web(user):
    client = Client()
    client.force_login(user)
    return client


def _api_pairs(user, **params) -> set[tuple[str, str]]:
    response = _api(user).get("/api/audit/events/", {"page_size": 500, **params})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["next"] is None, "the test expects one page"
    return {(e["object_type"], e["object_id"]) for e in body["results"]}


def test_the_api_list_hides_every_record_of_the_case_even_when_probed(walls):
    leaks, missing = [], []
    for object_type, object_id in walls.walled:
        probe = {"object_type": object_type, "object_id": object_id}
        if _api_pairs(walls.reader, **probe):
            leaks.append(object_type)
        if not _api_pairs(walls.auditor, **probe):
            missing.append(object_type)
    assert leaks == [], "the covered executive reads these records' history through the API"
    assert missing == [], "the auditor no longer reads these records' history"

    seen = _api_pairs(walls.reader)
    assert seen.isdisjoint(walls.walled)
    assert set(walls.other) <= seen, "a case not about the reader's pay is still on their trail"
    assert set(walls.walled) <= _api_pairs(walls.auditor)


def test_the_api_detail_of_an_event_of_the_case_is_a_404(walls):
    leaks = []
    for object_type, object_id in walls.walled:
        for pk in AuditEvent.objects.filter(object_type=object_type, object_id=object_id).values_list(
            "pk", flat=True
        ):
            url = f"/api/audit/events/{pk}/"
            response = _api(walls.reader).get(url)
            if response.status_code != 404:
                leaks.append((object_type, response.status_code))
            else:
                assert response.json()["error"]["code"] == "not_found", response.content
            assert _api(walls.auditor).get(url).status_code == 200
    assert leaks == []


def test_the_audit_trail_page_hides_every_record_of_the_case(walls):
    def listed(user, **params):
        response = _web(user).get(reverse("audit:event-list"), params)
        assert response.status_code == 200
        return {(e.object_type, e.object_id) for e in response.context["page"].object_list}

    for object_type, object_id in walls.walled:
        assert (object_type, object_id) not in listed(walls.reader, object_type=object_type), object_type
        assert (object_type, object_id) in listed(walls.auditor, object_type=object_type), object_type
    assert (
        walls.case.title
        not in _web(walls.reader).get(reverse("audit:event-list"), {"q": "FY2025"}).content.decode()
    )


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_the_exports_hide_every_record_of_the_case(walls, fmt):
    def exported(user):
        response = _web(user).get(reverse("audit:event-export", args=[fmt]))
        assert response.status_code == 200
        text = b"".join(response.streaming_content).decode()
        rows = csv.DictReader(io.StringIO(text)) if fmt == "csv" else map(json.loads, text.splitlines())
        return {(row["object_type"], row["object_id"]) for row in rows}

    seen = exported(walls.reader)
    assert seen.isdisjoint(walls.walled), sorted(seen & set(walls.walled))
    assert set(walls.other) <= seen
    assert set(walls.walled) <= exported(walls.auditor)


def test_the_dashboard_recent_events_hide_every_record_of_the_case(walls):
    leaks = []
    for object_type, object_id in walls.walled:
        record = apps.get_model(object_type)._base_manager.get(pk=object_id)
        # The newest event of all, so it would be the first of the recent events were it not walled.
        newest = record_action(actor=walls.auditor, verb="looked-at", obj=record)
        mine = _web(walls.reader).get(reverse("dashboard")).context["recent_events"]
        if newest.pk in {e.pk for e in mine}:
            leaks.append(object_type)
        theirs = _web(walls.auditor).get(reverse("dashboard")).context["recent_events"]
        assert theirs[0].pk == newest.pk, object_type
    assert leaks == []


def test_the_record_histories_of_the_case_are_404(walls):
    leaks = []
    for object_type, object_id in walls.walled:
        url = reverse("audit:record-history", args=[object_type, object_id])
        if _web(walls.reader).get(url).status_code != 404:
            leaks.append(object_type)
        assert _web(walls.auditor).get(url).status_code == 200, object_type
    assert leaks == []
    for object_type, object_id in walls.other:
        url = reverse("audit:record-history", args=[object_type, object_id])
        assert _web(walls.reader).get(url).status_code == 200, object_type


def test_measures_carry_no_ones_pay_and_stay_on_the_trail(walls):
    """A measure and its reported values are shared by every case and shown to everyone with clawback access;
    the case's own figures (restated values) are walled with it."""
    seen = _api_pairs(walls.reader)
    assert ("clawback.measure", str(walls.measure.pk)) in seen
    assert ("clawback.measurevalue", str(walls.value.pk)) in seen
    assert ("clawback.restatedvalue", str(walls.records["clawback.restatedvalue"].pk)) not in seen


def test_every_clawback_record_type_is_walled_or_declared_shared(walls):
    """A new audited record type of the program must say whether the case walls it (clawback/audit_walls.py),
    or its history would be read by the covered executive the day it is added."""
    walled = set(case_walls(walls.reader))
    audited = {m for m in apps.get_app_config("clawback").get_models() if is_audited(m)}
    assert audited - walled - set(NOT_WALLED) == set()
