"""What a clawback case puts in the calendar feeds of the people responsible for it
(compliance_site.calendar_feed; docs/architecture.md, "Calendar feeds"), registered when ClawbackConfig.ready
imports this module:

- a vote closing: for each member who may still cast their vote (docs/clawback-rules §1.13);
- the 180-day mark of a recovery with a balance outstanding, the day Item 402(w)(1)(iii) starts disclosing
  it (docs/clawback-rules §1.10, "The 180-day test"): for the Corporate Secretary and the committee;
- the fiscal year end whose Item 402(w) disclosure needs an active case's data (§1.10): for the Corporate
  Secretary and the committee, as their reminders (reminders.py).

Only cases the person may see (a covered executive never sees their own) and is not recused from: a
recused member sees the case but none of its dates comes to their calendar. An event names the case, the
claim or the vote by its number only, never the case's title, an executive or an amount
(compliance_site/calendar_feed/registry.py). Each source is one query, whatever the number of cases.
"""

from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from compliance_site.accounts.roles import Role
from compliance_site.calendar_feed.registry import CalendarSource, FeedEvent, register_source
from compliance_site.company.models import FiscalPeriod
from compliance_site.lib import timefmt

from .disclosure import DAYS_OUTSTANDING_DISCLOSED
from .models import Decision, Impracticability, RecoveryClaim, RecoveryEvent, Restatement
from .reminders import ACTIVE_CASE
from .selectors import restatements_visible_to

# Who keeps the case's disclosure dates: those its ageing and year-end reminders go to (reminders.py).
KEEPERS = (Role.SECRETARY, Role.COMMITTEE)
_MONEY = DecimalField(max_digits=18, decimal_places=2)


def cases_in_calendar_of(user):
    """The cases whose dates may come to `user`'s calendar: those they may see, less those they are recused
    from (docs/architecture.md, "Calendar feeds")."""
    return restatements_visible_to(user).exclude(recusals__user=user)


def _keeps_dates(user) -> bool:
    return any(user.has_role(role) for role in KEEPERS)


def _case(pk: int) -> str:
    return f"clawback case #{pk}"


# ---- votes closing ----


def vote_events(user, *, now: datetime):
    """Each open vote `user` may still cast, at its closing time."""
    decisions = (
        Decision.objects.filter(
            status=Decision.Status.OPEN,
            closes_at__isnull=False,
            eligible=user,
            restatement__in=cases_in_calendar_of(user).values("pk"),
        )
        .exclude(votes__member=user)
        .values_list("pk", "restatement_id", "closes_at")
    )
    for pk, case_pk, closes_at in decisions:
        yield FeedEvent(
            key=f"clawback-vote-{pk}-closes",
            title=f"Vote closes — vote #{pk}, {_case(case_pk)}",
            description=(
                f"Vote #{pk} in {_case(case_pk)} closes at this time, and you have not voted yet (policy "
                '"Administration"). The resolution and the determination are on the vote\'s page.'
            ),
            at=closes_at,
            url=reverse("clawback:decision-detail", args=[pk]),
        )


# ---- the 180-day mark ----


def outstanding_events(user, *, now: datetime):
    """For each recovery with a balance still outstanding on a case not closed, the day it has been
    outstanding 180 days since the amount was determined (its reminders' day 180)."""
    if not _keeps_dates(user):
        return
    recovered = (
        RecoveryEvent.objects.filter(claim=OuterRef("pk"))
        .values("claim")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    forgone = (
        Impracticability.objects.filter(claim=OuterRef("pk"))
        .values("claim")
        .annotate(total=Sum("amount_forgone"))
        .values("total")
    )
    zero = Value(0, output_field=_MONEY)
    claims = (
        RecoveryClaim.objects.filter(
            restatement__in=cases_in_calendar_of(user).exclude(status=Restatement.Status.CLOSED).values("pk")
        )
        .annotate(
            balance=F("amount_owed")
            - Coalesce(Subquery(recovered, output_field=_MONEY), zero)
            - Coalesce(Subquery(forgone, output_field=_MONEY), zero)
        )
        .filter(balance__gt=0)
        .values_list("pk", "restatement_id", "determined_on")
    )
    for pk, case_pk, determined_on in claims:
        yield FeedEvent(
            key=f"clawback-claim-{pk}-day-180",
            title=f"Recovery outstanding 180 days — claim #{pk}, {_case(case_pk)}",
            description=(
                f"Claim #{pk} in {_case(case_pk)} reaches 180 days outstanding since the amount owed was "
                "determined: a balance outstanding 180 days or more at the fiscal year end is disclosed "
                "under Item 402(w)(1)(iii). Where the recovery stands is on the case's page."
            ),
            on=determined_on + timedelta(days=DAYS_OUTSTANDING_DISCLOSED),
            url=reverse("clawback:restatement-detail", args=[case_pk]),
        )


# ---- fiscal year ends ----


def fiscal_year_end_events(user, *, now: datetime):
    """Each coming fiscal year end of a company with an active case the user keeps: the Item 402(w)
    disclosure for that year needs the case's figures."""
    if not _keeps_dates(user):
        return
    today = timefmt.in_zone(now, timefmt.EXCHANGE_TZ).date()
    active = cases_in_calendar_of(user).filter(status__in=ACTIVE_CASE)
    periods = FiscalPeriod.objects.filter(
        end__gte=today, company__in=active.values("company_id")
    ).values_list("pk", "label", "end")
    disclosure = reverse("clawback:disclosure")
    for pk, label, end in periods:
        yield FeedEvent(
            key=f"clawback-fiscal-period-{pk}-year-end",
            title=f"Fiscal year end {label} — Item 402(w) clawback disclosure",
            description=(
                f"Fiscal year {label} ends. Its Item 402(w) disclosure needs the data of the active clawback "
                "cases: what is owed, recovered and outstanding, and any impracticability determinations."
            ),
            on=end,
            url=f"{disclosure}?{urlencode({'year': label})}",
        )


register_source(CalendarSource(name="clawback.votes", events=vote_events))
register_source(CalendarSource(name="clawback.outstanding", events=outstanding_events))
register_source(CalendarSource(name="clawback.fiscal-year-ends", events=fiscal_year_end_events))
