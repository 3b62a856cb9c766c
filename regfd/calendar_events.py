"""What the Regulation FD program puts in the calendar feeds of the people responsible for it
(compliance_site.calendar_feed; docs/architecture.md, "Calendar feeds"), registered when RegfdConfig.ready
imports this module:

- an open incident's working deadline for public disclosure (docs/regfd-rules §2.2): for the Corporate
  Secretary, the authorized officers and counsel, who hear of it and of its escalation (reminders.py);
- a coming earnings release's notices (docs/regfd-rules §2.8): the NYSE notice at least 10 minutes before a
  release between 7:00 and 16:00 New York time (NYSE LCM 202.05/202.06), and the call's advance public notice
  by press release (policy II.E), for the Corporate Secretary and the authorized officers.

Only records the person may see (the selectors decide). An incident is named by its reference only: its
title, what was disclosed, by whom and to whom are the material nonpublic information itself, and stay on
its page (compliance_site/calendar_feed/registry.py). Each source is one query, whatever the number of
records.
"""

from datetime import datetime

from django.urls import reverse

from compliance_site.accounts.roles import Role
from compliance_site.calendar_feed.registry import CalendarSource, FeedEvent, register_source

from .models import Incident
from .selectors import incidents_visible_to
from .selectors_records import earnings_visible_to
from .services.records import NYSE_NOTICE_LEAD

INCIDENT_KEEPERS = (Role.SECRETARY, Role.OFFICER, Role.COUNSEL)
EARNINGS_KEEPERS = (Role.SECRETARY, Role.OFFICER)


def _holds_any(user, roles) -> bool:
    return any(user.has_role(role) for role in roles)


def incident_events(user, *, now: datetime):
    """Each open incident's working deadline (the earlier of the policy target and the legal outer limit),
    which moves with a corrected T0 or a calendar change: the same event, at its new time."""
    if not _holds_any(user, INCIDENT_KEEPERS):
        return
    incidents = (
        incidents_visible_to(user)
        .filter(status=Incident.Status.OPEN)
        .values_list("pk", "reference", "due_at")
        .order_by("due_at", "pk")
    )
    for pk, reference, due_at in incidents:
        yield FeedEvent(
            key=f"regfd-incident-{pk}-deadline",
            title=f"Reg FD disclosure deadline — incident {reference}",
            description=(
                f"Working deadline for the public disclosure of incident {reference} (Regulation FD "
                "243.101(d); policy I.B): disclose as soon as reasonably practicable, and no later than this "
                "time. What was disclosed, and to whom, is on the incident's page only."
            ),
            at=due_at,
            url=reverse("regfd:incident-detail", args=[pk]),
        )


def earnings_events(user, *, now: datetime):
    """For each earnings release still to come, the notices not given yet: the NYSE's, due 10 minutes before
    the release when it falls between 7:00 and 16:00 New York time; and the call's press release, on the date
    planned for it, or due before the call when none is planned."""
    if not _holds_any(user, EARNINGS_KEEPERS):
        return
    events = (
        earnings_visible_to(user)
        .filter(call_at__gt=now)
        .values_list(
            "pk", "period_label", "release_at", "nyse_notice_required", "nyse_notice_at", "call_at",
            "call_announced_at",
        )
        .order_by("release_at", "pk")
    )  # fmt: skip
    for pk, period, release_at, notice_required, notice_at, call_at, announced_at in events:
        url = reverse("regfd:earnings-detail", args=[pk])
        if notice_required and release_at > now and (notice_at is None or notice_at > now):
            yield FeedEvent(
                key=f"regfd-earnings-{pk}-nyse-notice",
                title=f"NYSE notice due — earnings {period}",
                description=(
                    f"Notify the NYSE of the earnings {period} release at least 10 minutes before it (NYSE "
                    "timely alert, Listed Company Manual 202.05 and 202.06)."
                ),
                at=release_at - NYSE_NOTICE_LEAD,
                url=url,
            )
        if announced_at is None or announced_at > now:
            planned = announced_at is not None
            yield FeedEvent(
                key=f"regfd-earnings-{pk}-call-notice",
                title=f"Earnings call notice {'planned' if planned else 'due'} — earnings {period}",
                description=(
                    f"Announce the earnings {period} call by press release, with the dial-in or webcast "
                    "details, a reasonable time before it (policy II.E)"
                    + (": planned for this time." if planned else ": at the latest before the call starts.")
                ),
                at=announced_at if planned else call_at,
                url=url,
            )


register_source(CalendarSource(name="regfd.incidents", events=incident_events))
register_source(CalendarSource(name="regfd.earnings", events=earnings_events))
