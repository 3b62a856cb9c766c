"""Dates: whether a restatement starts a recovery analysis, the date the issuer is required to prepare it,
and the recovery period (look-back window) built from the fiscal-period table."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from datetime import date

from .inputs import FiscalPeriod, Measure, RestatementEvent
from .results import Lookback
from .vocabulary import REQUIRED_ON_EVENT_KINDS, TRIGGERING_RESTATEMENT_KINDS

# A 52-53-week fiscal calendar ends up to a week away from the month end, so a transition period that
# falls short of nine calendar months by at most a week is still a nine-month period (Rule 10D-1(b)(1)(i)).
_WEEK_CALENDAR_SLACK_DAYS = 7
_MONTHS_DEEMED_FISCAL_YEAR = 9
LOOKBACK_FISCAL_YEARS = 3


def starts_recovery_analysis(kind: str) -> bool:
    """True for a Big R or little r restatement (Rule 10D-1(b)(1); docs/clawback-rules §1.3); an
    out-of-period adjustment or a non-error change (principle, segments, discontinued operations,
    splits, ...) never starts one."""
    return kind in TRIGGERING_RESTATEMENT_KINDS


def required_to_prepare(events: Iterable[RestatementEvent]) -> tuple[date, str] | None:
    """RD, "the date the issuer is required to prepare an accounting restatement", and its event.

    Rule 10D-1(b)(1)(ii) (docs/clawback-rules §1.4): the earliest of the date the board, a committee
    or the authorized officers concluded (or reasonably should have concluded) that a restatement is
    required, and the date a court or regulator directed one. Board ratification, the 8-K Item 4.02
    filing, the filing of the restated statements and any "other" event never set it. On a tie the event
    recorded first wins. None when no event qualifies.
    """
    best: RestatementEvent | None = None
    for event in events:
        if event.kind in REQUIRED_ON_EVENT_KINDS and (best is None or event.date < best.date):
            best = event
    return None if best is None else (best.date, best.kind)


def _month_shift_ordinal(day: date, months: int) -> int:
    """The ordinal of `day` moved `months` calendar months on (day clamped to the month's length);
    past year 9999 it returns a number above any real date instead of overflowing."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    if year > date.max.year:
        return date.max.toordinal() + 1 + index
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last_day)).toordinal()


def period_months(*, start: date, end: date) -> int:
    """Whole calendar months in `[start, end]` (both days included), from dates rather than a day count:
    2026-01-01..2026-09-30 is 9, 2026-01-01..2026-08-31 is 8, 2025-10-01..2026-06-30 is 9."""
    after_end = end.toordinal() + 1
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    while months > 0 and _month_shift_ordinal(start, months) > after_end:
        months -= 1
    return max(months, 0)


def counts_as_fiscal_year(period: FiscalPeriod) -> bool:
    """A fiscal year counts; a transition period counts only if it lasts 9 to 12 months, being then
    "deemed a completed fiscal year" (Rule 10D-1(b)(1)(i); docs/clawback-rules §1.5). A transition
    period a 52-53-week calendar makes up to a week shorter than nine calendar months still counts."""
    if not period.transition:
        return True
    nine_months_on = _month_shift_ordinal(period.start, _MONTHS_DEEMED_FISCAL_YEAR)
    return nine_months_on <= period.end.toordinal() + 1 + _WEEK_CALENDAR_SLACK_DAYS


def lookback_with_years(
    fiscal_periods: Sequence[FiscalPeriod], required_on: date
) -> tuple[Lookback | None, int]:
    """`lookback_window` and the number of periods in it that count as fiscal years."""
    # A period is completed only once its last day has ended (docs/clawback-rules §1.5, "Judgment
    # (edge)"), so the period in progress on RD - and any later one - is never included.
    completed = sorted(
        (p for p in fiscal_periods if p.end < required_on), key=lambda p: p.start, reverse=True
    )
    included: list[FiscalPeriod] = []
    years = 0
    for period in completed:
        # Walking back from RD: a short transition period met before the third fiscal year is "within
        # or immediately following" the three years; one before the earliest of them is not reached.
        included.append(period)
        if counts_as_fiscal_year(period):
            years += 1
            if years == LOOKBACK_FISCAL_YEARS:
                break
    if not included:
        return None, 0
    included.reverse()
    return (
        Lookback(start=included[0].start, end=included[-1].end, periods=tuple(p.label for p in included)),
        years,
    )


def lookback_window(fiscal_periods: Sequence[FiscalPeriod], required_on: date) -> Lookback | None:
    """The recovery period: the three completed fiscal years immediately preceding RD (Rule
    10D-1(b)(1)(i)(D); docs/clawback-rules §1.5; Policy: "Recovery Period").

    Built from the fiscal-period table, never as "RD minus 3 years". A transition period of 9 to 12
    months counts as one of the three years; a shorter one within or immediately following them is
    added. Fewer than three years are returned when the table holds fewer; None when none completed.
    """
    return lookback_with_years(fiscal_periods, required_on)[0]


def calendar_warnings(
    fiscal_periods: Sequence[FiscalPeriod], required_on: date, lookback: Lookback | None, years: int
) -> list[str]:
    """Gaps in the fiscal-period table that make the look-back window unreliable."""
    warnings: list[str] = []
    if lookback is None:
        warnings.append(
            f"No fiscal period in the table ended before {required_on.isoformat()}: every award is "
            "outside the look-back window. Add the fiscal periods preceding the restatement date."
        )
    elif years < LOOKBACK_FISCAL_YEARS:
        warnings.append(
            f"The fiscal-period table holds only {years} completed fiscal year(s) before "
            f"{required_on.isoformat()}; the look-back window should span three. Add the missing periods."
        )
    if not any(p.start <= required_on <= p.end for p in fiscal_periods):
        warnings.append(
            f"No fiscal period contains the restatement date {required_on.isoformat()}; check that the "
            "fiscal-period table is complete up to it."
        )
    if lookback is not None:
        by_label = {p.label: p for p in fiscal_periods}
        chosen = [by_label[label] for label in lookback.periods]
        for before, after in zip(chosen, chosen[1:], strict=False):
            if before.end.toordinal() + 1 != after.start.toordinal():
                warnings.append(
                    f"The fiscal-period table has a gap between {before.label} (ends "
                    f"{before.end.isoformat()}) and {after.label} (starts {after.start.isoformat()})."
                )
    return warnings


def _period_end(label: str, by_label: dict[str, FiscalPeriod]) -> tuple[str, date] | None:
    """The fiscal period a measure-value label ends with: the period itself ("FY2025") or the last of a
    span ("FY2023-FY2025"); None for a label that names no fiscal period ("H1-2023")."""
    if label in by_label:
        return label, by_label[label].end
    _, dash, last = label.rpartition("-")
    if dash and last in by_label:
        return last, by_label[last].end
    return None


def restated_period_warnings(
    fiscal_periods: Sequence[FiscalPeriod], measures: Sequence[Measure], required_on: date
) -> list[str]:
    """A restatement corrects previously issued financial statements (Rule 10D-1(b)(1)), so a period
    whose values are restated has normally ended before the required-to-prepare date. One warning per
    fiscal period that a restated value covers and that had not ended by that date, naming both."""
    by_label = {p.label: p for p in fiscal_periods}
    late: dict[str, tuple[date, list[str]]] = {}
    for measure in measures:
        for label, value in measure.values.items():
            if value.restated is None:
                continue
            found = _period_end(label, by_label)
            if found is not None and required_on <= found[1]:
                late.setdefault(found[0], (found[1], []))[1].append(f"{measure.key} {label}")
    return [
        f"Restated values for {', '.join(names)} cover {period}, which ends {end.isoformat()}, on or "
        f"after the required-to-prepare date {required_on.isoformat()}: a restatement corrects financial "
        "statements already issued. Check the restatement's dates and the measures' periods."
        for period, (end, names) in sorted(late.items(), key=lambda item: item[1][0])
    ]
