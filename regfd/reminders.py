"""What a Reg FD incident is reminded of (compliance_site.notifications; docs/architecture.md), registered
when RegfdConfig.ready imports this module: while it is open, a reminder at each offset before its working
deadline (policy I.B) to the Corporate Secretary, then an escalation every few hours while it stays overdue
to the authorized officers and counsel. Every save of an incident reschedules them."""

from datetime import datetime

from django.db.models import Q
from django.urls import reverse

from compliance_site.accounts.roles import Role
from compliance_site.lib import timefmt
from compliance_site.notifications import schedule
from compliance_site.notifications.registry import ReminderSource, register_source, register_trigger
from compliance_site.notifications.schedule import Kind, Planned
from compliance_site.notifications.sources import ReminderConfig, when

from .models import Incident


def plans(incident: Incident, *, now: datetime, config: ReminderConfig) -> tuple[Planned, ...]:
    if incident.status != Incident.Status.OPEN:
        return ()
    return schedule.deadline_reminders(
        deadline=incident.due_at, offsets=config.offsets, now=now
    ) + schedule.escalations(deadline=incident.due_at, every=config.escalate_every, now=now)


def message(reminder, incident: Incident, *, now: datetime) -> tuple[str, str]:
    """The incident by its reference only: not its title, what was disclosed nor to whom, which is the
    material nonpublic information itself (compliance_site/notifications/registry.py)."""
    remaining = timefmt.describe_remaining(incident.due_at - now)
    if reminder.kind == Kind.INCIDENT_OVERDUE:
        title = f"Escalation: {incident.reference} public disclosure {remaining}"
    else:
        title = f"{incident.reference}: public disclosure due " + (
            f"in {remaining}" if incident.due_at > now else f"now ({remaining})"
        )
    body = (
        f"Regulation FD incident {incident.reference}.\n"
        f"Working deadline (Regulation FD, policy I.B): {when(incident.due_at)}.\n"
        f"Outer limit: {when(incident.outer_limit)}.\n"
        f"Make the public disclosure (Form 8-K or a press release) and record it, or close the incident "
        f"with the reason disclosure is not required. What was disclosed, and to whom, is on the "
        f"incident's page. Reminder: {reminder.label}."
    )
    return title, body


register_source(
    ReminderSource(
        model=Incident,
        roles={Kind.INCIDENT_DUE: (Role.SECRETARY,), Kind.INCIDENT_OVERDUE: (Role.OFFICER, Role.COUNSEL)},
        plans=plans,
        message=message,
        url=lambda incident: reverse("regfd:incident-detail", args=[incident.pk]),
        series=((Q(status=Incident.Status.OPEN), Kind.INCIDENT_OVERDUE),),
    )
)


def _the_incident(incident: Incident):
    """A saved incident: its deadline, status or outcome may have changed."""
    return [incident]


register_trigger(Incident, _the_incident)
