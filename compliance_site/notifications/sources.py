"""What each kind of record is reminded of, who receives it and what it says: the dispatch to the source the
record's program registered (registry.py; docs/architecture.md), so the reminder machinery (services.py)
knows no program. For each record this module answers, from the record's current state only:

- `current_anchors(record)`: the deadline or start each reminder kind counts from (nothing while inactive);
- `plans_for(record)`: the reminders that should exist (schedule.py computes the instants);
- `roles_for(record, kind)`: the roles that receive a reminder of that kind;
- `subject_of(record)`: the record whose visibility decides who may receive it and where it links;
- `message_for(reminder, record)`: the title and body.

Nobody receives a reminder about a record they may not see (a covered executive never hears about their
own case). The reminder settings, and the helpers the programs' sources share (`next_fiscal_year_end`,
`when`), are here too.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from compliance_site.company.models import FiscalPeriod
from compliance_site.lib import timefmt

from . import schedule
from .registry import SOURCES, ReminderSource, source_for
from .schedule import Planned

EXCHANGE_TZ = "America/New_York"
MORNING_HOUR = 9  # day-based reminders (review, ageing, fiscal year end) go out at 9:00 ET


@dataclass(frozen=True)
class ReminderConfig:
    """The reminder settings (settings.py, from the environment), read once per service call."""

    offsets: tuple[timedelta, ...]
    escalate_every: timedelta
    review_every: timedelta
    ageing_lead_days: int
    fiscal_year_lead_days: tuple[int, ...]
    reenqueue_after: timedelta
    sending_lease: timedelta
    max_attempts: int


def current_config() -> ReminderConfig:
    return ReminderConfig(
        offsets=tuple(timedelta(hours=h) for h in getattr(settings, "REMINDER_OFFSETS_HOURS", (12, 4, 1, 0))),
        escalate_every=timedelta(hours=getattr(settings, "ESCALATION_EVERY_HOURS", 4)),
        review_every=timedelta(days=getattr(settings, "REMINDER_REVIEW_DAYS", 14)),
        ageing_lead_days=getattr(settings, "REMINDER_AGEING_LEAD_DAYS", 30),
        fiscal_year_lead_days=tuple(getattr(settings, "REMINDER_FISCAL_YEAR_LEAD_DAYS", (30, 0))),
        reenqueue_after=timedelta(seconds=getattr(settings, "REMINDER_REENQUEUE_SECONDS", 300)),
        sending_lease=timedelta(seconds=getattr(settings, "REMINDER_SENDING_LEASE_SECONDS", 300)),
        max_attempts=getattr(settings, "REMINDER_MAX_ATTEMPTS", 5),
    )


def sources() -> Iterator[ReminderSource]:
    """The registered sources, in registration order."""
    return iter(list(SOURCES.values()))


# ---- helpers the programs' sources share ----


def next_fiscal_year_end(company_id: int, *, now: datetime) -> FiscalPeriod | None:
    """The first fiscal period whose year-end reminders are not all behind us (a period whose last reminder,
    at its end date, has passed gives way to the next one, so sending it schedules the next year's)."""
    today = timefmt.in_zone(now, timefmt.EXCHANGE_TZ).date()
    for period in FiscalPeriod.objects.filter(company_id=company_id, end__gte=today).order_by("end")[:2]:
        if schedule.local_morning(period.end, tz=EXCHANGE_TZ, hour=MORNING_HOUR) > now:
            return period
    return None


def when(instant: datetime) -> str:
    """An instant as a reminder says it: in ET, with UTC beside it."""
    return f"{timefmt.label(instant, timefmt.EXCHANGE_TZ)} ({instant:%Y-%m-%d %H:%M} UTC)"


# ---- the dispatch ----


def plans_for(record, *, now: datetime, config: ReminderConfig) -> tuple[Planned, ...]:
    """The reminders that should exist for `record` as it stands (empty while it needs none)."""
    return tuple(source_for(record).plans(record, now=now, config=config))


def current_anchors(record, *, now: datetime, config: ReminderConfig) -> dict[str, datetime]:
    """{kind: anchor} of the reminders the record needs now; a pending reminder with another anchor is
    obsolete (the deadline moved, the record closed, review restarted)."""
    return {plan.kind.value: plan.anchor_at for plan in plans_for(record, now=now, config=config)}


def roles_for(record, kind: str) -> tuple[str, ...]:
    return tuple(source_for(record).roles[kind])


def subject_of(record):
    """The record whose visibility decides who may receive the reminder, and whose page it links to."""
    return source_for(record).subject(record)


def url_of(record) -> str:
    return source_for(record).url(record)


def excluded_users(reminder_kind: str, record) -> set[int]:
    """Users who get no reminder of this kind about the record (committee members recused from a case)."""
    return set(source_for(record).excluded_users(reminder_kind, record))


def message_for(reminder, record, *, now: datetime) -> tuple[str, str]:
    """(title, body) for `reminder` about `record`, from the record as it stands when it is sent."""
    return source_for(record).message(reminder, record, now=now)
