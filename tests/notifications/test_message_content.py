"""What a reminder may say (compliance_site/notifications/registry.py; issue #15): an e-mail forwarded by
mistake carries no amount, no covered executive's name and nothing of a Reg FD incident's substance, only
the kind of reminder, the record's neutral reference, its deadline, a link and the confidentiality legend.
Every kind of reminder every registered source plans is built here from the demo data and delivered, by
e-mail and in the app."""

import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.utils import timezone

from clawback.models import Executive, RecoveryClaim
from compliance_site.company.models import Company
from compliance_site.demo import load_demo
from compliance_site.notifications import services, sources
from compliance_site.notifications.models import Notification, Reminder
from compliance_site.notifications.schedule import RULE_VERSION
from regfd.models import Incident

pytestmark = pytest.mark.django_db

AMOUNT = re.compile(r"\$\s*\d|\d{1,3}(?:,\d{3})+")  # "$325,000.00", "$75000", "325,000"


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # nine personas, fast
    return load_demo(now=timezone.now())


def _secrets() -> list[str]:
    """What no reminder may carry: the covered executives' names, each claim's amounts however written, and
    each incident's substance (its title, what was disclosed, to whom)."""
    found = []
    for executive in Executive.objects.select_related("user"):
        found.append(executive.name)
        if executive.user is not None and executive.user.get_full_name():
            found.append(executive.user.get_full_name())
    for amount in RecoveryClaim.objects.values_list("amount_owed", flat=True):
        found += [f"{amount:,.2f}", f"{amount:.2f}", f"{amount:,.0f}"]
    for incident in Incident.objects.all():
        found += [incident.title, incident.information, incident.recipient_name, incident.recipient_firm]
    return [text for text in found if text]


def _leaks(text: str, secrets: list[str]) -> list[str]:
    return AMOUNT.findall(text) + [secret for secret in secrets if secret.lower() in text.lower()]


def every_kind_of_every_record(*, now):
    """(record, unsaved reminder) for each record of each source that has reminders now, in each kind its
    source sends: the demo's state has no case in review nor a claim nearing 180 days, so the kinds a record
    is not planned for now are built from one of its planned reminders' anchor and label."""
    config = sources.current_config()
    for source in sources.sources():
        for record in source.model.objects.order_by("pk"):
            plans = sources.plans_for(record, now=now, config=config)
            if not plans:
                continue
            planned = {plan.kind.value: plan for plan in plans}
            for kind in source.roles:
                plan = planned.get(kind, plans[0])
                yield (
                    record,
                    Reminder(kind=kind, due_at=plan.due_at, anchor_at=plan.anchor_at, label=plan.label),
                )


def test_no_reminder_from_the_demo_data_carries_an_amount_a_name_or_an_incidents_substance(demo):
    now = timezone.now()
    secrets = _secrets()
    assert secrets and Incident.objects.exists() and RecoveryClaim.objects.exists(), "the demo data changed"
    built = list(every_kind_of_every_record(now=now))
    every_kind = {kind for source in sources.sources() for kind in source.roles}
    assert {reminder.kind for _, reminder in built} == every_kind

    # The reminders really due now go out the ordinary way ...
    due = Reminder.objects.filter(status=Reminder.Status.PENDING, due_at__lte=now)
    assert due.exists()
    for reminder in due:
        assert services.send_reminder(reminder_id=reminder.pk, now=now) in ("sent", "failed", "cancelled")
    # ... and every kind for every record is delivered to one recipient as the send step does it.
    recipient = demo["secretary"]
    for offset, (record, reminder) in enumerate(built, start=1):
        reminder.content_type = ContentType.objects.get_for_model(record)
        reminder.object_id = record.pk
        reminder.due_at = reminder.due_at + timedelta(microseconds=offset)  # its own row: the key is unique
        reminder.roles, reminder.rule_version, reminder.created_at = "secretary", RULE_VERSION, now
        reminder.save()
        title, body = sources.message_for(reminder, record, now=now)
        services._deliver_in_app(
            reminder, users=[recipient], title=title, body=body, url=sources.url_of(record), now=now
        )
        services._send_owed_emails(reminder, users=[recipient], now=now)

    assert len(mail.outbox) >= len(built)
    notes = list(Notification.objects.all())
    texts = [f"{m.subject}\n{m.body}" for m in mail.outbox] + [f"{n.title}\n{n.body}" for n in notes]
    leaks = {text.splitlines()[0]: _leaks(text, secrets) for text in texts if _leaks(text, secrets)}
    assert leaks == {}
    legend = Company.objects.get().confidentiality_legend
    assert all(m.body.rstrip("\n").endswith(legend) for m in mail.outbox)
    assert all("\nOpen the record: https://compliance.example.com/" in m.body for m in mail.outbox)


def test_a_claim_reminder_names_the_claim_and_the_case_never_the_executive_or_the_balance(demo):
    claim = RecoveryClaim.objects.select_related("executive", "restatement").order_by("pk").first()
    case = claim.restatement
    for kind in ("recovery_approaching", "recovery_outstanding"):
        reminder = Reminder(kind=kind, anchor_at=timezone.now(), due_at=timezone.now(), label="day 180")
        title, body = sources.message_for(reminder, claim, now=timezone.now())
        assert f"claim #{claim.pk} in case #{case.pk} ({case.title})" in title
        assert claim.executive.name not in title + body
        assert not AMOUNT.search(title + body)


def test_an_incident_reminder_gives_its_reference_and_deadline_not_what_was_disclosed(demo):
    incident = Incident.objects.filter(status=Incident.Status.OPEN).order_by("pk").first()
    reminder = Reminder(
        kind="incident_due", anchor_at=incident.due_at, due_at=timezone.now(), label="1 h before"
    )
    title, body = sources.message_for(reminder, incident, now=timezone.now())
    assert title.startswith(f"{incident.reference}: public disclosure due")
    assert f"Working deadline (Regulation FD, policy I.B): {sources.when(incident.due_at)}" in body
    for secret in (incident.title, incident.information, incident.recipient_name):
        assert secret not in title + body
