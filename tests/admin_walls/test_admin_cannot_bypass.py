"""Finding: the admin bypassed every workflow. It deleted a disclosed (closed) Reg FD incident and a recusal
(making the member eligible to vote again), closed an open incident as "not required" without counsel's
conclusion, silently rewrote `learned_at`/`disclosed_at` (the change form drops the microseconds), and an
edit of a closed incident was a 500.

A regulated record is read-only in the admin and never deletable there: its changes go through the services,
with their rules and their reasons (docs/architecture.md, "Services")."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib import admin
from django.urls import reverse

from clawback.models import Recusal
from compliance_site.accounts.models import User
from compliance_site.audit.recorder import is_audited
from regfd.models import Incident
from regfd.services import record_public_disclosure
from tests.admin_walls.forms import shown_values
from tests.factories import report_incident

# Administration, not a regulated record: who may sign in and which roles they hold.
ADMINISTRATION = {"accounts.user"}

# A stored time with sub-second precision, as the service stores the instant it is given.
DISCLOSED_AT = datetime(2026, 3, 2, 14, 5, 7, 123456, tzinfo=UTC)
LEARNED_AT = datetime(2026, 3, 2, 15, 30, 1, 654321, tzinfo=UTC)


@pytest.fixture
def root(db, client):
    user = User.objects.create_superuser("root", "root@example.com", "x")
    client.force_login(user)
    return user


@pytest.fixture
def open_incident(users):
    return report_incident(
        users["secretary"],
        now=LEARNED_AT + timedelta(minutes=5),
        disclosed_at=DISCLOSED_AT,
        learned_at=LEARNED_AT,
    )


@pytest.fixture
def closed_incident(users, open_incident):
    return record_public_disclosure(
        actor=users["secretary"],
        incident=open_incident,
        disclosed_at=LEARNED_AT + timedelta(hours=2),
        method=Incident.DisclosureMethod.FORM_8K_701,
        reference="0000000000-26-000001",
    )


def _change_url(record):
    meta = record._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])


def _delete_url(record):
    meta = record._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[record.pk])


def test_the_admin_cannot_delete_a_disclosed_incident(client, root, closed_incident):
    response = client.post(_delete_url(closed_incident), {"post": "yes"})
    assert response.status_code == 403
    assert Incident.objects.filter(pk=closed_incident.pk, status=Incident.Status.DISCLOSED).exists()


def test_the_admin_cannot_delete_a_recusal(client, root, clawback_case, users):
    recusal = Recusal.objects.get(restatement=clawback_case, user=users["committee2"])
    response = client.post(_delete_url(recusal), {"post": "yes"})
    assert response.status_code == 403
    assert Recusal.objects.filter(pk=recusal.pk).exists()


def test_the_admin_offers_no_bulk_delete_of_incidents(client, root, closed_incident):
    response = client.post(
        reverse("admin:regfd_incident_changelist"),
        {"action": "delete_selected", "_selected_action": [closed_incident.pk], "post": "yes"},
    )
    assert response.status_code in {200, 302, 403}
    assert Incident.objects.filter(pk=closed_incident.pk).exists()


def test_the_admin_cannot_close_an_incident_as_not_required(client, root, open_incident):
    """Closing as "not required" is counsel's and the Secretary's decision, with its reason (policy II.B):
    the admin's status drop-down skipped both."""
    url = _change_url(open_incident)
    shown = shown_values(client.get(url).content.decode(), "incident_form")
    response = client.post(url, shown | {"status": "not_required", "outcome": "not_required"})
    assert response.status_code == 403
    open_incident.refresh_from_db()
    assert open_incident.status == Incident.Status.OPEN


def test_saving_the_change_form_as_shown_rewrites_no_time(client, root, open_incident):
    """Pressing Save on the page as shown used to store the times without their microseconds."""
    url = _change_url(open_incident)
    shown = shown_values(client.get(url).content.decode(), "incident_form")
    assert client.post(url, shown).status_code == 403
    open_incident.refresh_from_db()
    assert (open_incident.disclosed_at, open_incident.learned_at) == (DISCLOSED_AT, LEARNED_AT)


def test_editing_a_closed_incident_is_a_refusal_not_a_server_error(client, root, closed_incident):
    url = _change_url(closed_incident)
    assert client.get(url).status_code == 200
    shown = shown_values(client.get(url).content.decode(), "incident_form")
    response = client.post(url, shown | {"title": "Renamed in the admin"})
    assert response.status_code == 403
    closed_incident.refresh_from_db()
    assert closed_incident.title != "Renamed in the admin"


def test_the_admin_shows_a_stored_time_to_the_microsecond_in_utc_and_exchange_time(
    client, root, open_incident
):
    page = client.get(_change_url(open_incident)).content.decode()
    assert "2026-03-02 15:30:01.654321 UTC" in page
    assert "2026-03-02 10:30:01.654321 EST" in page  # New York, the exchange's time


def test_every_regulated_model_is_read_only_and_undeletable_in_the_admin(rf, root):
    """The shared mechanism: whatever model a program registers, the admin neither adds, changes nor
    deletes a regulated record, and offers no bulk delete."""
    request = rf.get("/admin/")
    request.user = root
    writable = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.label_lower in ADMINISTRATION:
            continue
        if not is_audited(model) and model._meta.app_label not in {
            "clawback",
            "regfd",
            "company",
            "documents",
            "notifications",
            "attachments",
            "audit",
        }:
            continue
        can = [
            name
            for name, allowed in (
                ("add", model_admin.has_add_permission(request)),
                ("change", model_admin.has_change_permission(request)),
                ("delete", model_admin.has_delete_permission(request)),
                ("bulk delete", "delete_selected" in model_admin.get_actions(request)),
            )
            if allowed
        ]
        if can:
            writable.append(f"{model._meta.label}: {', '.join(can)}")
        for inline in model_admin.get_inline_instances(request):
            if inline.has_add_permission(request, None) or inline.has_change_permission(request):
                writable.append(f"{model._meta.label} inline {inline.model._meta.label}")
    assert writable == []


def test_every_admin_page_renders_for_the_rows_it_lists(client, root, clawback_case, closed_incident):
    """Read-only pages with exact times, inlines included: a list and a record page for every model, no 500."""
    broken = []
    for model in admin.site._registry:
        meta = model._meta
        listing = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        if listing.status_code != 200:
            broken.append(f"{meta.label} list: {listing.status_code}")
        manager = getattr(model, "all_objects", model._default_manager)
        row = manager.first()
        if row is not None:
            page = client.get(_change_url(row))
            if page.status_code != 200:
                broken.append(f"{meta.label} #{row.pk}: {page.status_code}")
    assert broken == []
