"""The audit trail: every change to a registered record is written with who, when, what and why; rows can
never be changed through the ORM; any change to a stored row (or a missing row) is found by verify_audit_log;
the trail's web views filter, paginate and export for auditors."""

import csv
import hashlib
import hmac
import io
import json
import re
from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from clawback.models import Restatement
from compliance_site.accounts.models import RoleAssignment
from compliance_site.accounts.roles import Role
from compliance_site.audit import recorder
from compliance_site.audit.exports import FIELDS, row_hash_matches
from compliance_site.audit.models import AppendOnlyError, AuditEvent, AuditHead
from compliance_site.audit.recorder import audit_context, record_action
from compliance_site.company.models import FiscalPeriod
from compliance_site.company.services import add_fiscal_period
from regfd.services import close_not_required
from tests.factories import policy_version
from tests.foundation.conftest import make_incident

PG = "postgresql"
TRIGGER = "audit_event_append_only"


@pytest.fixture(autouse=True)
def _checkpoint_file(settings, tmp_path):
    """Each test its own checkpoint file: never the shared one under var/."""
    settings.AUDIT_CHECKPOINT_FILE = str(tmp_path / "audit-checkpoints.jsonl")


def events_for(obj) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).order_by("seq")
    )


def verify() -> str:
    out = io.StringIO()
    call_command("verify_audit_log", stdout=out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------------------
# Writing the trail
# ---------------------------------------------------------------------------------------------------------


def test_service_create_is_attributed_to_its_actor_with_every_field(users, company):
    period = add_fiscal_period(
        actor=users["secretary"],
        company=company,
        label="FY2025",
        start=date(2025, 1, 1),
        end=date(2025, 12, 31),
    )
    [event] = events_for(period)
    assert event.action == AuditEvent.Action.CREATE
    assert event.actor == users["secretary"] and event.actor_repr == "secretary"
    assert event.object_type == "company.fiscalperiod" and event.object_repr == str(period)
    assert event.changes["label"] == [None, "FY2025"]
    assert event.changes["start"] == [None, "2025-01-01"]
    assert event.changes["end"] == [None, "2025-12-31"]
    assert event.changes["company_id"] == [None, company.pk]
    assert event.reason == ""


def test_direct_save_and_delete_are_recorded_with_before_and_after(users, company):
    period = add_fiscal_period(
        actor=users["secretary"],
        company=company,
        label="FY2025",
        start=date(2025, 1, 1),
        end=date(2025, 12, 31),
    )
    # Outside any context (a shell, a script): recorded, as the system.
    period.label = "FY2025 restated"
    period.save()
    # Saving with nothing changed writes nothing.
    period.save()
    with audit_context(actor=users["admin"], reason="Fiscal year end moved"):
        period.end = date(2025, 12, 28)
        period.save()
    pk = period.pk
    with audit_context(actor=users["admin"], reason="Entered twice"):
        period.delete()

    created, renamed, moved, deleted = AuditEvent.objects.filter(
        object_type="company.fiscalperiod", object_id=str(pk)
    ).order_by("seq")
    assert renamed.action == "update" and renamed.actor is None and renamed.actor_repr == "system"
    assert renamed.changes == {"label": ["FY2025", "FY2025 restated"]}
    assert moved.changes == {"end": ["2025-12-31", "2025-12-28"]}
    assert moved.actor == users["admin"] and moved.reason == "Fiscal year end moved"
    assert (
        deleted.action == "delete" and deleted.actor == users["admin"] and deleted.reason == "Entered twice"
    )
    assert deleted.changes["label"] == ["FY2025 restated", None]
    assert deleted.object_repr == "FY2025 restated (2025-01-01 – 2025-12-28)"
    assert [e.seq for e in (created, renamed, moved, deleted)] == sorted(
        e.seq for e in (created, renamed, moved, deleted)
    )


def test_audit_context_nests_and_restores(users, company):
    with audit_context(actor=users["admin"], reason="outer"):
        with audit_context(reason="inner"):
            FiscalPeriod.objects.create(
                company=company, label="A", start=date(2020, 1, 1), end=date(2020, 12, 31)
            )
        FiscalPeriod.objects.create(
            company=company, label="B", start=date(2021, 1, 1), end=date(2021, 12, 31)
        )
    FiscalPeriod.objects.create(company=company, label="C", start=date(2022, 1, 1), end=date(2022, 12, 31))
    a, b, c = (
        AuditEvent.objects.get(object_type="company.fiscalperiod", object_repr__startswith=x) for x in "ABC"
    )
    assert (a.actor, a.reason) == (users["admin"], "inner")
    assert (b.actor, b.reason) == (users["admin"], "outer")
    assert (c.actor, c.actor_repr, c.reason) == (None, "system", "")


def test_web_request_is_attributed_to_the_signed_in_user(users, company, client):
    client.force_login(users["secretary"])
    response = client.post(
        reverse("company:period-add"), {"label": "FY2030", "start": "2030-01-01", "end": "2030-12-31"}
    )
    assert response.status_code == 302, response.content
    [event] = events_for(FiscalPeriod.objects.get(label="FY2030"))
    assert event.actor == users["secretary"]


def test_admin_change_is_attributed_by_the_middleware(users, company, client):
    """Users and roles are the administration the admin still edits (regulated records are read-only
    there: tests/admin_walls); such a change is attributed to the administrator like any other."""
    from compliance_site.accounts.models import User
    from tests.admin_walls.forms import shown_values

    admin_user = users["admin"]
    admin_user.is_staff = True
    admin_user.save()
    client.force_login(admin_user)
    employee = users["employee"]
    url = reverse("admin:accounts_user_change", args=[employee.pk])
    shown = shown_values(client.get(url).content.decode(), "user_form")
    response = client.post(url, shown | {"title": "Controller"})
    assert response.status_code == 302, response.content.decode()[:2000]
    [event] = [e for e in events_for(User.objects.get(pk=employee.pk)) if e.action == "update"]
    assert event.actor == admin_user and event.actor_repr == "admin"


def test_a_rolled_back_change_leaves_no_event(users, company):
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        FiscalPeriod.objects.create(
            company=company, label="X", start=date(2020, 1, 1), end=date(2020, 12, 31)
        )
        raise RuntimeError("abort")
    assert AuditEvent.objects.count() == before
    assert "OK" in verify()


def test_granting_and_revoking_a_role_is_audited(users):
    """roles are 'audited like any regulated record' (accounts.models.RoleAssignment), whichever way they
    change: the admin's inline writes RoleAssignment rows directly."""
    assignment = RoleAssignment.objects.create(user=users["employee"], role=Role.AUDITOR)
    assert events_for(assignment), "granting a role wrote no audit event"
    pk = assignment.pk
    assignment.delete()
    assert AuditEvent.objects.filter(
        object_type="accounts.roleassignment", object_id=str(pk), action="delete"
    )


# ---------------------------------------------------------------------------------------------------------
# Records after sign-off need a reason
# ---------------------------------------------------------------------------------------------------------


def test_signed_off_policy_cannot_change_without_a_reason(users):
    policy = policy_version(
        users["secretary"],
        kind="clawback",
        title="Clawback policy",
        effective_date=date(2023, 12, 1),
        approved_on=date(2023, 11, 15),
        approved_by="Board",
    )
    count = AuditEvent.objects.count()
    policy.title = "Clawback policy (edited)"
    with pytest.raises(ValidationError, match="reason"):
        policy.save()
    policy.refresh_from_db()
    assert policy.title == "Clawback policy"
    assert AuditEvent.objects.count() == count

    policy.title = "Clawback policy (typo fixed)"
    with audit_context(actor=users["secretary"], reason="Typo in the title, approved text unchanged"):
        policy.save()
    policy.refresh_from_db()
    assert policy.title == "Clawback policy (typo fixed)"
    event = events_for(policy)[-1]
    assert event.action == "update" and event.reason == "Typo in the title, approved text unchanged"
    assert event.actor == users["secretary"]
    assert event.changes == {"title": ["Clawback policy", "Clawback policy (typo fixed)"]}


def test_draft_policy_changes_freely(users):
    policy = policy_version(users["secretary"], version="2", title="Draft", effective_date=date(2026, 1, 1))
    policy.title = "Draft v2"
    policy.save()
    assert events_for(policy)[-1].reason == ""


def test_closed_incident_cannot_change_without_a_reason(users):
    incident = make_incident(users["secretary"])
    close_not_required(actor=users["secretary"], incident=incident, reason="Not material")
    incident.refresh_from_db()
    count = AuditEvent.objects.count()
    incident.title = "Rewritten"
    with pytest.raises(ValidationError):
        incident.save()
    incident.refresh_from_db()
    assert incident.title != "Rewritten"
    assert AuditEvent.objects.count() == count

    incident.title = "Corrected title"
    with audit_context(actor=users["counsel"], reason="Title misspelt the analyst's firm"):
        incident.save()
    event = events_for(incident)[-1]
    assert event.reason == "Title misspelt the analyst's firm" and event.actor == users["counsel"]
    assert event.changes["title"][1] == "Corrected title"


def test_approved_restatement_cannot_change_without_a_reason(clawback_case):
    Restatement.objects.filter(pk=clawback_case.pk).update(status=Restatement.Status.APPROVED)
    clawback_case.refresh_from_db()
    clawback_case.description = "Changed after approval"
    with pytest.raises(ValidationError):
        clawback_case.save()


# ---------------------------------------------------------------------------------------------------------
# Append-only through the ORM
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def chain(users, company):
    """A chain of a dozen events from several actors and record types."""
    for year in range(2020, 2024):
        add_fiscal_period(
            actor=users["secretary"],
            company=company,
            label=f"FY{year}",
            start=date(year, 1, 1),
            end=date(year, 12, 31),
        )
    period = FiscalPeriod.objects.get(label="FY2021")
    with audit_context(actor=users["admin"], reason="Relabelled"):
        period.label = "FY2021 (52 weeks)"
        period.save()
    make_incident(users["employee"])
    record_action(actor=users["counsel"], verb="export", obj=company, details={"rows": 3})
    events = list(AuditEvent.objects.order_by("seq"))
    assert len(events) >= 8
    return events


def test_events_cannot_be_changed_or_deleted_through_the_orm(chain):
    event = AuditEvent.objects.get(pk=chain[2].pk)
    event.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(reason="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError), transaction.atomic():  # bulk_update opens its own atomic block
        AuditEvent.objects.bulk_update([event], ["reason"])
    assert AuditEvent.objects.get(pk=event.pk).reason == chain[2].reason
    assert "OK" in verify()


def test_the_base_manager_is_append_only_too(chain):
    """Django uses `_base_manager` for related lookups and internal updates; it must not be a plain
    Manager that bypasses the append-only queryset."""
    with pytest.raises(AppendOnlyError):
        AuditEvent._base_manager.filter(pk=chain[1].pk).update(reason="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent._base_manager.filter(pk=chain[1].pk).delete()


# ---------------------------------------------------------------------------------------------------------
# verify_audit_log
# ---------------------------------------------------------------------------------------------------------


def _raw(sql: str, params: list) -> None:
    """Run a raw statement against audit_auditevent as an attacker with SQL access would; on PostgreSQL the
    append-only trigger is disabled first (inside the test's transaction, so it is restored afterwards)."""
    with connection.cursor() as cursor:
        if connection.vendor == PG:
            # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: fire their pending checks first, as
            # PostgreSQL refuses to ALTER a table with pending trigger events.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE audit_auditevent DISABLE TRIGGER {TRIGGER}")
        cursor.execute(sql, params)
        if connection.vendor == PG:
            cursor.execute(f"ALTER TABLE audit_auditevent ENABLE TRIGGER {TRIGGER}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _tamper_value(column: str, event: AuditEvent, users):
    if column == "changes":
        value = json.dumps({"label": [None, "FY1999"]})
        return ("%s::jsonb" if connection.vendor == PG else "%s"), value
    if column == "at":
        return "%s", connection.ops.adapt_datetimefield_value(event.at + timedelta(seconds=1))
    if column == "actor_id":
        return "%s", users["auditor"].pk
    return "%s", {
        "actor_repr": "mallory",
        "object_repr": "Something else entirely",
        "reason": "A reason added afterwards",
        "prev_hash": "f" * 64,
        "verb": "approve",
        "action": "delete",
        "object_id": "999999",
        "object_type": "regfd.incident",
    }[column]


def test_verify_passes_on_an_intact_chain(chain):
    assert verify().strip().startswith(f"audit log OK: {len(chain)} entries verified")
    head = AuditHead.objects.get(id=1)
    assert head.last_seq == chain[-1].seq and head.last_hash == chain[-1].hash
    assert [e.seq for e in chain] == list(range(1, len(chain) + 1))
    assert chain[0].prev_hash == "0" * 64
    assert all(b.prev_hash == a.hash for a, b in zip(chain, chain[1:], strict=False))


@pytest.mark.parametrize(
    "column",
    [
        "changes",
        "actor_repr",
        "at",
        "object_repr",
        "reason",
        "prev_hash",
        "verb",
        "action",
        "object_id",
        "object_type",
        "actor_id",
    ],
)
def test_verify_names_the_row_whose_column_was_altered(chain, users, column):
    target = chain[len(chain) // 2]
    placeholder, value = _tamper_value(column, target, users)
    _raw(f"UPDATE audit_auditevent SET {column} = {placeholder} WHERE id = %s", [value, target.pk])
    with pytest.raises(CommandError) as excinfo:
        verify()
    message = str(excinfo.value)
    assert re.search(rf"^entry #{target.seq} \(row id {target.pk}\): ", message, re.M), message
    assert f"{target.seq - 1} entries verified before the first" in message
    assert excinfo.value.returncode == 1


def test_verify_detects_a_deleted_middle_row(chain):
    target = chain[len(chain) // 2]
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [target.pk])
    with pytest.raises(CommandError) as excinfo:
        verify()
    message = str(excinfo.value)
    assert f"entry #{target.seq + 1} " in message and f"expected #{target.seq}" in message, message


def test_verify_detects_a_deleted_last_row(chain):
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [chain[-1].pk])
    with pytest.raises(CommandError, match=rf"#{chain[-1].seq}\b.*ends before its recorded head"):
        verify()


def test_verify_detects_a_rewritten_row_with_a_recomputed_hash(chain):
    """Recomputing the altered row's own hash does not help: the next row's link breaks."""
    target = AuditEvent.objects.get(pk=chain[2].pk)
    target.reason = "forged"
    forged_hash = target.compute_hash()
    _raw(
        "UPDATE audit_auditevent SET reason = %s, hash = %s WHERE id = %s", ["forged", forged_hash, target.pk]
    )
    with pytest.raises(CommandError, match=rf"entry #{chain[3].seq} .*link to the previous entry"):
        verify()


@pytest.mark.services
def test_postgres_trigger_refuses_raw_update_and_delete(chain):
    if connection.vendor != PG:
        pytest.skip("the append-only trigger is installed on PostgreSQL only")
    target = chain[1]
    for sql, params in (
        ("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["rewritten", target.pk]),
        ("DELETE FROM audit_auditevent WHERE id = %s", [target.pk]),
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)
    assert AuditEvent.objects.get(pk=target.pk).reason == target.reason
    assert "OK" in verify()


# ---------------------------------------------------------------------------------------------------------
# Web views
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def auditor_client(users):
    client = Client()
    client.force_login(users["auditor"])
    return client


def _listed(response) -> list[AuditEvent]:
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def test_event_list_filters(chain, users, auditor_client):
    url = reverse("audit:event-list")
    everything = _listed(auditor_client.get(url))
    assert [e.seq for e in everything] == sorted((e.seq for e in chain), reverse=True)

    by_actor = _listed(auditor_client.get(url, {"actor": "SECRETARY"}))
    assert by_actor and all(e.actor_repr == "secretary" for e in by_actor)
    assert len(by_actor) == 4

    by_type = _listed(auditor_client.get(url, {"object_type": "regfd.incident"}))
    assert len(by_type) == 1 and by_type[0].actor_repr == "employee"

    by_action = _listed(auditor_client.get(url, {"action": "update"}))
    assert [e.reason for e in by_action] == ["Relabelled"]

    by_text = _listed(auditor_client.get(url, {"q": "relabel"}))  # matches the reason
    assert [e.action for e in by_text] == ["update"]
    by_verb = _listed(auditor_client.get(url, {"q": "export"}))
    assert [e.verb for e in by_verb] == ["export"]

    today = datetime.now(UTC).date()
    assert len(
        _listed(auditor_client.get(url, {"date_from": (today - timedelta(days=1)).isoformat()}))
    ) == len(chain)
    assert _listed(auditor_client.get(url, {"date_from": (today + timedelta(days=2)).isoformat()})) == []
    assert _listed(auditor_client.get(url, {"date_to": (today - timedelta(days=2)).isoformat()})) == []

    combined = _listed(auditor_client.get(url, {"actor": "secretary", "q": "FY2022"}))
    assert len(combined) == 1


def test_event_list_date_filter_uses_new_york_dates_as_labelled(users, company, auditor_client):
    """The form labels the dates 'New York date'; an event at 02:00 UTC on 2 January is 21:00 on 1 January in
    New York, so it is on 1 January, not 2 January."""
    instant = datetime(2026, 1, 2, 2, 0, tzinfo=UTC)
    with mock.patch.object(recorder.timezone, "now", return_value=instant):
        record_action(actor=users["admin"], verb="approve", obj=company)
    url = reverse("audit:event-list")
    on_the_first = _listed(auditor_client.get(url, {"date_from": "2026-01-01", "date_to": "2026-01-01"}))
    assert [e.verb for e in on_the_first] == ["approve"]
    assert _listed(auditor_client.get(url, {"date_from": "2026-01-02", "date_to": "2026-01-02"})) == []


def test_event_list_paginates_and_keeps_filters(users, company, auditor_client):
    for i in range(60):
        record_action(actor=users["admin"], verb=f"step-{i}", obj=company)
    record_action(actor=users["counsel"], verb="other", obj=company)
    url = reverse("audit:event-list")
    first = auditor_client.get(url, {"actor": "admin"})
    page = first.context["page"]
    assert page.paginator.count == 60 and page.paginator.num_pages == 2 and len(page.object_list) == 50
    assert page.object_list[0].verb == "step-59"
    html = first.content.decode()
    assert "?actor=admin&amp;page=2" in html
    second = auditor_client.get(url, {"actor": "admin", "page": 2})
    assert [e.verb for e in second.context["page"].object_list] == [f"step-{i}" for i in range(9, -1, -1)]
    # Past the end: the last page, not an error.
    assert auditor_client.get(url, {"actor": "admin", "page": 99}).context["page"].number == 2


def _streamed(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_csv_export(chain, auditor_client):
    response = auditor_client.get(reverse("audit:event-export", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="audit-trail.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(_streamed(response))))
    assert list(rows[0]) == FIELDS
    assert [int(r["seq"]) for r in rows] == [e.seq for e in chain]  # oldest first: re-verifiable in order
    assert [r["hash"] for r in rows] == [e.hash for e in chain]
    assert json.loads(rows[0]["changes"]) == chain[0].changes

    filtered = auditor_client.get(reverse("audit:event-export", args=["csv"]), {"actor": "employee"})
    assert [r["actor"] for r in csv.DictReader(io.StringIO(_streamed(filtered)))] == ["employee"]


def test_jsonl_export_can_be_reverified_offline(chain, auditor_client, settings):
    """With the key (an auditor is given AUDIT_CHAIN_KEY, never the database): HMAC-SHA256 of the canonical
    payload for keyed rows, plain SHA-256 for rows from before the keyed chain (no "scheme")."""
    response = auditor_client.get(reverse("audit:event-export", args=["jsonl"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in _streamed(response).splitlines()]
    assert len(lines) == len(chain)
    prev = "0" * 64
    for line in lines:
        stored = line.pop("hash")
        canonical = json.dumps(line, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        assert line["scheme"] == "hmac-sha256"
        assert hmac.new(settings.AUDIT_CHAIN_KEY.encode(), canonical, hashlib.sha256).hexdigest() == stored
        assert hashlib.sha256(canonical).hexdigest() != stored
        assert row_hash_matches({**line, "hash": stored})
        assert not row_hash_matches({**line, "hash": stored}, key="not the key")
        assert line["prev_hash"] == prev
        prev = stored


def test_export_formats_and_roles(chain, users):
    client = Client()
    client.force_login(users["auditor"])
    assert client.get(reverse("audit:event-export", args=["xml"])).status_code == 404
    client.force_login(users["secretary"])  # audit.view but not audit.export
    for fmt in ("csv", "jsonl"):
        assert client.get(reverse("audit:event-export", args=[fmt])).status_code == 403
    assert client.get(reverse("audit:event-list")).status_code == 200


def test_record_history_page(chain, auditor_client):
    period = FiscalPeriod.objects.get(label="FY2021 (52 weeks)")
    response = auditor_client.get(reverse("audit:record-history", args=["company.fiscalperiod", period.pk]))
    assert response.status_code == 200
    events = response.context["events"]
    assert [e.action for e in events] == ["update", "create"]
    assert all(e.object_id == str(period.pk) for e in events)
    html = response.content.decode()
    assert "History: FY2021 (52 weeks)" in html and "Relabelled" in html
    assert (
        auditor_client.get(reverse("audit:record-history", args=["company.fiscalperiod", 999999])).status_code
        == 404
    )
