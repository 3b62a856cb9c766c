"""Every change to a regulated row is recorded row by row, whatever path made it, and the changes no audit
entry accounts for are reported (docs/architecture.md, "Row history").

For each regulated model with a row: a change through the application's audited save (what every service
does: `save()` under the audit context, or for a record with no entry of its own, the business action
recorded beside it), then through `QuerySet.update()`, then through raw SQL. Each leaves a row event; the
last two are reported as unaccounted, by `unaccounted_row_changes` and by `manage.py audit_row_changes`.
PostgreSQL only: the triggers do not exist on SQLite."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models, transaction
from django.utils import timezone

from compliance_site.audit.recorder import audit_context, is_audited, record_action
from compliance_site.history.accounting import event_models, row_changes, unaccounted_row_changes
from compliance_site.notifications.models import Notification
from tests.factories import AwardFactory, MeasureFactory, policy_version, report_incident

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# The models this test must reach; every other tracked model with a row is exercised too.
REQUIRED = {
    "clawback.executive",
    "clawback.restatement",
    "clawback.recusal",
    "clawback.award",
    "clawback.measure",
    "regfd.incident",
    "regfd.deadlinecomputation",
    "company.company",
    "company.policyversion",
    "notifications.reminder",
    "notifications.notification",
}


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("row history is recorded by PostgreSQL triggers (make test-services)")


@pytest.fixture
def rows(users, clawback_case):
    now = timezone.now()
    measure = MeasureFactory(company=clawback_case.company)
    AwardFactory(executive=clawback_case.covered_executives.first(), measure=measure)
    report_incident(users["secretary"], now=now, disclosed_at=now - timedelta(hours=2), learned_at=now)
    policy_version(users["secretary"])
    Notification.objects.create(user=users["secretary"], title="Deadline in 4 hours", created_at=now)


def _editable_field(model):
    """A plain field to change: text first, then a flag; never a key, a choice or a unique column."""
    candidates = [
        f
        for f in model._meta.concrete_fields
        if not (f.primary_key or f.is_relation or f.choices or f.unique or f.generated)
    ]
    for kind in (models.TextField, models.CharField, models.BooleanField):
        for f in candidates:
            if isinstance(f, kind) and not (kind is models.CharField and (f.max_length or 0) < 12):
                return f
    return None


def _new_value(f, old, tag):
    if isinstance(f, models.BooleanField):
        return not old
    text = f"{old or ''} ({tag})"
    return text[-f.max_length :] if getattr(f, "max_length", None) else text


def _change_three_ways(model, actor):
    row = model._base_manager.order_by("pk").first()
    f = _editable_field(model)
    if row is None or f is None:
        return None
    with transaction.atomic(), audit_context(actor=actor, reason="Row history test"):
        setattr(row, f.attname, _new_value(f, getattr(row, f.attname), "saved"))
        row.save()
        if not is_audited(model):
            record_action(actor=actor, verb="row_history_test", obj=row)
    value = _new_value(f, getattr(row, f.attname), "update")
    model._base_manager.filter(pk=row.pk).update(**{f.attname: value})
    raw = _new_value(f, value, "sql")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {model._meta.db_table} SET {f.column} = %s WHERE {model._meta.pk.column} = %s",  # noqa: S608
            [raw, row.pk],
        )
    return str(row.pk)


def test_every_path_leaves_a_row_event_and_only_the_audited_save_is_accounted_for(users, rows):
    actor = users["secretary"]
    changed = {}
    for event_model in event_models():
        tracked = event_model.pgh_tracked_model
        pk = _change_three_ways(tracked, actor)
        if pk is not None:
            changed[tracked._meta.label_lower] = pk
    assert REQUIRED <= set(changed), sorted(REQUIRED - set(changed))

    updates = {}
    for change in row_changes():
        if change.label == "update" and changed.get(change.object_type) == change.object_id:
            updates.setdefault(change.object_type, []).append(change)
    wrong = []
    for label in changed:
        found = [c.accounted for c in updates.get(label, [])]
        if found[-3:] != [True, False, False]:
            wrong.append(f"{label}: {found}")
    assert wrong == []

    reported = {(c.object_type, c.object_id) for c in unaccounted_row_changes() if c.label == "update"}
    assert set(changed.items()) <= reported


def test_the_command_reports_a_raw_update_and_passes_a_clean_trail(users):
    # From now: the calendar seed re-loaded between tests is bulk-inserted, which no audit entry accounts for.
    since = timezone.now().isoformat()
    incident = report_incident(
        users["secretary"],
        now=timezone.now(),
        disclosed_at=timezone.now() - timedelta(hours=3),
        learned_at=timezone.now() - timedelta(hours=1),
    )
    out = StringIO()
    call_command("audit_row_changes", "--since", since, stdout=out)
    assert "row changes OK" in out.getvalue()

    type(incident)._base_manager.filter(pk=incident.pk).update(status="not_required")
    with pytest.raises(CommandError) as refused:
        call_command("audit_row_changes", "--since", since)
    assert refused.value.returncode == 1
    assert f"regfd.incident #{incident.pk}: update status" in str(refused.value)
    assert "outside any request" in str(refused.value)


def test_a_request_puts_its_user_and_path_on_the_row_event(users, client, settings):
    """The row event of a change made on a page names who made it and the request, beside the audit entry."""
    from django.urls import reverse

    settings.MFA_REQUIRED = False
    incident = report_incident(
        users["secretary"],
        now=timezone.now(),
        disclosed_at=timezone.now() - timedelta(hours=3),
        learned_at=timezone.now() - timedelta(hours=1),
    )
    client.force_login(users["secretary"])
    url = reverse("regfd:incident-claim-exclusion", args=[incident.pk])
    response = client.post(url, {"kind": "confidentiality_agreement", "evidence": "NDA of 2026-02-10."})
    assert response.status_code == 302
    [claimed] = [c for c in row_changes() if c.object_type == "regfd.exclusion" and c.label == "insert"]
    assert claimed.accounted
    assert claimed.context["user"] == users["secretary"].pk
    assert claimed.context["username"] == users["secretary"].get_username()
    assert (claimed.context["method"], claimed.context["url"]) == ("POST", url)
