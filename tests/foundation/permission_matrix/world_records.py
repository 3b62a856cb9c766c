"""Records some rows need beyond the `world` fixture, made the first time a row asks for them.

The world's case is a draft that cannot be evaluated (its company has no fiscal calendar), so its
determination, decision and claim are written directly rather than through the workflow services.
"""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from clawback.models import (
    Decision,
    Determination,
    Measure,
    RecoveryClaim,
    RecoveryEvent,
    RestatementEvent,
)
from compliance_site.company.models import BodyMembership
from compliance_site.lib.timefmt import EXCHANGE_TZ
from regfd.models import MarketClosure, NonGaapDelegation
from regfd.services.delegations import delegate_nongaap_sign_off
from tests.documents.matrix import world_document
from tests.regfd.records_setup import make_cfo

__all__ = [
    "claim",
    "closure",
    "decision",
    "delegation",
    "determination",
    "event",
    "fiscal_year_query",
    "first_officer_period",
    "measure",
    "price_set",
    "record",
    "record_query",
    "recovery_event",
    "seat",
    "statement",
    "statement_evidence",
    "study",
    "study_result",
    "world_document",
]


def closure(w) -> MarketClosure:
    """A row of the seeded trading calendar."""
    return MarketClosure.objects.order_by("pk").first()


def measure(w) -> Measure:
    return Measure.objects.get_or_create(
        company=w.company, key="net_income", defaults={"name": "Net income", "category": "net_income"}
    )[0]


def event(w) -> RestatementEvent:
    return RestatementEvent.objects.get_or_create(
        restatement=w.case, kind="board_concluded", defaults={"date": w.case.created_at.date()}
    )[0]


def first_officer_period(w):
    return w.executive.officer_periods.first()


def determination(w) -> Determination:
    return Determination.objects.get_or_create(
        restatement=w.case,
        number=1,
        defaults={
            "inputs": {},
            "result": {},
            "sha256": "0" * 64,
            "rule_version": "test",
            "computed_at": timezone.now(),
            "computed_by": w.users["secretary"],
        },
    )[0]


def decision(w) -> Decision:
    return Decision.objects.get_or_create(
        restatement=w.case,
        kind="approve_determination",
        defaults={
            "body": "committee",
            "held_on": w.case.created_at.date(),
            "quorum": 1,
            "resolution": "RESOLVED",
            "recorded_by": w.users["secretary"],
        },
    )[0]


def claim(w) -> RecoveryClaim:
    return RecoveryClaim.objects.get_or_create(
        restatement=w.case,
        executive=w.executive,
        defaults={"amount_owed": Decimal("1000.00"), "determined_on": w.case.created_at.date()},
    )[0]


def recovery_event(w) -> RecoveryEvent:
    return RecoveryEvent.objects.get_or_create(
        claim=claim(w),
        defaults={
            "occurred_on": date(2026, 1, 5),
            "method": "cash",
            "amount": Decimal("10.00"),
            "evidence": "Wire",
            "recorded_by": w.users["secretary"],
        },
    )[0]


def fiscal_year_query(w) -> str:
    w.company.fiscal_periods.get_or_create(
        label="FY2026", defaults={"start": date(2026, 1, 1), "end": date(2026, 12, 31)}
    )
    return "?year=FY2026"


def seat(w) -> BodyMembership:
    """A seat still held: the board persona's, on the Board."""
    return BodyMembership.objects.get_or_create(
        company=w.company, body="board", member=w.users["board"], starts_on=date(2020, 1, 1)
    )[0]


def record_query(w) -> str:
    return f"?record_type=regfd.incident&record_id={w.incident.pk}"


def _records(w):
    # One Reg FD policy record of each kind, built through the services.
    if not hasattr(w, "records"):
        from tests.regfd.test_records_views import build_records

        w.records = build_records(w.users)
    return w.records


def delegation(w):
    """A delegation of the Regulation G sign-off: the CFO (an officer titled CFO) names the secretary."""
    existing = NonGaapDelegation.objects.first()
    if existing is not None:
        return existing
    now = timezone.now()
    return delegate_nongaap_sign_off(
        actor=make_cfo(),
        now=now,
        delegate=w.users["secretary"],
        valid_from=now.astimezone(EXCHANGE_TZ).date(),
        valid_until=now.astimezone(EXCHANGE_TZ).date(),
        reason="Away for the release.",
    )


def record(name: str):
    """world -> the Reg FD policy record `name` (authorization, request, communication, ...)."""
    return lambda w: getattr(_records(w), name)


def statement(w):
    """A statement of the library of public statements, added by the secretary."""
    from regfd.models import PublicStatement
    from tests.regfd.statements_setup import add_statement

    return PublicStatement.all_objects.order_by("pk").first() or add_statement(w.users["secretary"])


def statement_evidence(w):
    """That statement, attached to the world's incident as evidence."""
    from regfd.models import StatementEvidence
    from regfd.services.public_statements import attach_public_statement

    existing = StatementEvidence.all_objects.order_by("pk").first()
    if existing is not None:
        return existing
    return attach_public_statement(
        actor=w.users["secretary"], now=timezone.now(), incident=w.incident, statement=statement(w)
    )


def price_set(w):
    """A small price set of the world's company: 80 trading days from 2025-01-02, closes made up."""
    from clawback.models import PricePoint, PriceSet
    from clawback.prices import price_calendar

    found = PriceSet.objects.filter(company=w.company).first()
    if found is not None:
        return found
    calendar, day, days = price_calendar(2025, 2025), date(2025, 1, 2), []
    while len(days) < 80:
        if calendar.is_trading_day(day):
            days.append(day)
        day = date.fromordinal(day.toordinal() + 1)
    made = PriceSet.objects.create(
        company=w.company, name="Matrix prices", source="Made up for the permission table.",
        file_name="prices.csv", file_sha256="0" * 64, columns={}, first_day=days[0], last_day=days[-1],
        row_count=len(days), imported_by=w.users["secretary"],
    )  # fmt: skip
    PricePoint.objects.bulk_create(
        PricePoint(
            price_set=made,
            day=d,
            company=Decimal(50 + (i * 7919 % 13) / 10),
            market=Decimal(1000 + (i * 104729 % 17)),
        )
        for i, d in enumerate(days)
    )
    return made


def study(w):
    """An event study of the world's case, run on `price_set` by the service."""
    from clawback.models import EventStudy
    from clawback.services.event_studies import run_event_study

    found = EventStudy.objects.filter(restatement=w.case).first()
    if found is not None:
        return found
    prices = price_set(w)
    return run_event_study(
        actor=w.users["committee"], case=w.case, price_set=prices,
        event_dates=[prices.points.order_by("day")[70].day], estimation_days=40, gap_days=5,
        now=timezone.now(),
    )  # fmt: skip


def study_result(w):
    """The study carried to the world's award, written directly (the award is not a TSR award)."""
    from clawback.models import EventStudyAward

    return EventStudyAward.objects.get_or_create(
        study=study(w), award=w.award,
        defaults={"measure_kind": "stock_price", "figures": {}, "proposed_value": Decimal("1"),
                  "recorded_by": w.users["committee"]},
    )[0]  # fmt: skip
