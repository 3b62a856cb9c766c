"""Recovery balances, the 180-day mark, the Item 402(w) figures and the Form 10-K cover check boxes.

Pure module (standard library only, like the rule engines): frozen dataclasses in and out, the as-of and
prepared-on dates passed in, no clock and no database. `clawback.services.disclosure` gathers the facts
from the company's record (every case of the company, whoever asks); the case page and the API show what
this module computes.

The law it implements (docs/clawback-rules §1.10):

- a claim's outstanding balance is what the approved determination says is owed, less what was recovered
  and what the independent directors determined impracticable to recover (Rule 10D-1(b)(1)(iv)); shares
  or units returned or cancelled count at the value the case records for them: the dollar amount entered
  with the return when one was entered, otherwise the value per unit the approved determination used
  (the price at settlement if the shares are held, the sale price if they were sold, docs/clawback-rules
  §1.7), valued once over all such units so a claim settled in full in shares leaves no cent behind;
- Item 402(w)(1)(ii): the amount forgone as impracticable and why, per named executive officer and for all
  other executive officers as a group; the group line names nobody;
- Item 402(w)(1)(iii): per named executive officer, the amount outstanding at fiscal year end for 180 days
  or more since the date the amount owed was determined. Each part of the amount owed keeps the date it
  was determined: a re-approval of the same amount is not a new determination, an increase is determined
  on the meeting that approved it, a decrease releases the most recently determined part first; what was
  recovered or forgone settles the part owed longest first;
- Item 402(w)(1): disclosure is required when, at any time during or after the last completed fiscal
  year, the issuer was required to prepare a restatement that required recovery, or there was an
  outstanding balance at fiscal year end from a prior restatement; Item 402(w)(2) when a restatement
  required a recovery analysis but no recovery was required, with the reason the analysis gave;
- the two Form 10-K cover check boxes are two questions (C&DI 104.20 and 104.21): the first is checked for
  any correction of an error to previously issued financial statements reflected in the filing (a Big R or
  little r restatement, or a revision of an immaterial error that no rule required); the second only for
  those corrections that are restatements requiring a recovery analysis under Rule 10D-1(b) (Big R and
  little r), even when nothing turns out to be recoverable. Out-of-period adjustments and non-error changes
  check neither.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .recovery.money import CENTS, ENGINE_CONTEXT, round_half_up
from .recovery.text import number

DAYS_OUTSTANDING_DISCLOSED = 180
ZERO = Decimal("0.00")
UNITS_ZERO = Decimal("0")
# C&DI 104.20: any correction of an error that revises previously issued statements checks the first box,
# "regardless of whether a restatement was required": a voluntary revision of an immaterial error (neither
# Big R nor little r) included. C&DI 104.21: only the restatements Rule 10D-1(b)(1) covers required a
# recovery analysis, so only they check the second.
VOLUNTARY_REVISION = "voluntary_revision"
RECOVERY_ANALYSIS_KINDS = frozenset({"big_r", "little_r"})
ERROR_CORRECTION_KINDS = RECOVERY_ANALYSIS_KINDS | {VOLUNTARY_REVISION}
# The three grounds on which recovery may be forgone as impracticable, Rule 10D-1(b)(1)(iv)(A) to (C): the
# expense of enforcement, a home-country law adopted before 2022-11-28, a tax-qualified retirement plan.
FORGONE_GROUNDS = ("expense", "home_country_law", "retirement_plan")
EQUITY_VALUATION_BASIS = (
    "Shares and units returned or cancelled reduce the amount outstanding at the value the case records for "
    "them: the dollar amount entered with the return when one was entered, otherwise the value per share "
    "or unit used in the approved determination (the price at settlement if the shares were still held, "
    "the sale price if they were sold), not their market value on the day they came back."
)


# --- Claims and their balances ---------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class Recovered:
    """One recovery event: USD recovered (pre-tax) and shares or units returned or cancelled."""

    occurred_on: date
    amount: Decimal
    units: Decimal = UNITS_ZERO


@dataclass(frozen=True, kw_only=True, slots=True)
class Forgone:
    """An amount the independent directors determined impracticable to recover, and why: `reason` in full
    (it may quote a resolution naming the executive) for a named executive officer's own line;
    `group_reason` naming nobody (the ground and who decided it when), for the line of all other executive
    officers as a group, which must not identify any of them."""

    decided_on: date
    amount: Decimal
    reason: str
    group_reason: str
    # The ground of Rule 10D-1(b)(1)(iv) it rests on (one of FORGONE_GROUNDS; empty when not given): Item
    # 402(w) is tagged for EDGAR with one amount per ground (docs/clawback-rules §1.10).
    ground: str = ""


@dataclass(frozen=True, kw_only=True, slots=True)
class Determined:
    """A part of the amount owed and the date the administering body determined it (the meeting that
    approved it)."""

    on: date
    amount: Decimal


@dataclass(frozen=True, kw_only=True, slots=True)
class Claim:
    """What one executive owes under the approved determination, with what happened since.

    `units_value` is the dollar value the approved determination gives `units_owed` (None when it is not
    known: units returned without a dollar amount then reduce only the units outstanding). `parts` is the
    amount owed by the date each part was determined (`determined_parts`); empty means all of it on
    `determined_on`."""

    executive: str
    name: str
    amount_owed: Decimal
    determined_on: date
    units_owed: Decimal = UNITS_ZERO
    recoveries: tuple[Recovered, ...] = ()
    forgone: tuple[Forgone, ...] = ()
    units_value: Decimal | None = None
    parts: tuple[Determined, ...] = ()

    @property
    def value_per_unit(self) -> Decimal | None:
        if self.units_value is None or self.units_owed <= 0:
            return None
        return ENGINE_CONTEXT.divide(self.units_value, self.units_owed)


@dataclass(frozen=True, kw_only=True, slots=True)
class ClaimPosition:
    """A claim on one date. `recovered` is every dollar credited: `recovered_cash` (the amounts entered)
    plus `units_recovered_value` (shares or units returned without an amount, at the determination's value
    per unit). `days_outstanding` counts from the date the oldest part still outstanding was determined
    (from the first determination when nothing is outstanding; 0 before it); `outstanding_180` is the part
    of the balance outstanding 180 days or more, and `disclosable_180` Item 402(w)(1)(iii)'s test, on that
    date."""

    as_of: date
    amount_owed: Decimal
    recovered: Decimal
    forgone: Decimal
    outstanding: Decimal
    units_owed: Decimal
    units_recovered: Decimal
    units_outstanding: Decimal
    days_outstanding: int
    disclosable_180: bool
    recovered_cash: Decimal = ZERO
    units_recovered_value: Decimal = ZERO
    outstanding_180: Decimal = ZERO


def determined_parts(history: Iterable[Determined]) -> tuple[Determined, ...]:
    """The amount owed by the date each part was determined, from the successive amounts the body approved
    (`history`: each approval's date and the whole amount it approved, in order).

    docs/clawback-rules §1.10, "The 180-day test": an approval of the same amount determines nothing new and
    keeps every date; an increase is a new part, determined on that meeting; a decrease releases the most
    recently determined parts first, so what was owed longest keeps its date; an approval of nothing owed
    ends every part."""
    parts: list[Determined] = []
    for step in history:
        owed = sum((p.amount for p in parts), ZERO)
        if step.amount > owed:
            parts.append(Determined(on=step.on, amount=step.amount - owed))
            continue
        release = owed - step.amount
        while release > 0 and parts:
            last = parts.pop()
            if last.amount > release:
                parts.append(Determined(on=last.on, amount=last.amount - release))
            release -= min(release, last.amount)
    return tuple(p for p in parts if p.amount > 0)


def _parts(claim: Claim) -> tuple[Determined, ...]:
    if claim.parts and sum((p.amount for p in claim.parts), ZERO) == claim.amount_owed:
        return tuple(sorted(claim.parts, key=lambda p: p.on))
    return (Determined(on=claim.determined_on, amount=claim.amount_owed),)


def _units_value(claim: Claim, units: Decimal) -> Decimal:
    """The dollar value of `units` returned without an amount, at the determination's value per unit,
    rounded once (all of `units_owed` is exactly `units_value`)."""
    if units == 0 or claim.units_value is None or claim.units_owed <= 0:
        return ZERO
    exact = ENGINE_CONTEXT.divide(ENGINE_CONTEXT.multiply(units, claim.units_value), claim.units_owed)
    return round_half_up(exact, quantum=CENTS)


def claim_position(claim: Claim, *, as_of: date) -> ClaimPosition:
    """The claim's balance on `as_of`, counting the recoveries and impracticability determinations dated on
    or before it. The balance never goes below zero (an over-recovery is shown as nothing outstanding).

    A recovery entered with a dollar amount is credited at that amount; shares or units entered without one
    are credited at the value per unit of the approved determination (docs/clawback-rules §1.10, "Shares
    and units returned"). Credits settle the part of the amount owed that was determined first."""
    counted = [r for r in claim.recoveries if r.occurred_on <= as_of]
    recovered_cash = sum((r.amount for r in counted), ZERO)
    units_recovered = sum((r.units for r in counted), UNITS_ZERO)
    # A reversal negates its entry (amount and units), so it falls in the same group as the entry.
    units_value = _units_value(claim, sum((r.units for r in counted if r.amount == 0), UNITS_ZERO))
    recovered = recovered_cash + units_value
    forgone = sum((f.amount for f in claim.forgone if f.decided_on <= as_of), ZERO)
    outstanding = max(ZERO, claim.amount_owed - recovered - forgone)
    units_outstanding = max(UNITS_ZERO, claim.units_owed - units_recovered)
    credit = max(ZERO, recovered + forgone)
    remaining: list[Determined] = []
    for part in _parts(claim):
        settled = min(credit, part.amount)
        credit -= settled
        if part.amount > settled:
            remaining.append(Determined(on=part.on, amount=part.amount - settled))
    since = remaining[0].on if remaining else claim.determined_on
    outstanding_180 = sum(
        (p.amount for p in remaining if (as_of - p.on).days >= DAYS_OUTSTANDING_DISCLOSED), ZERO
    )
    return ClaimPosition(
        as_of=as_of,
        amount_owed=claim.amount_owed,
        recovered=recovered,
        forgone=forgone,
        outstanding=outstanding,
        units_owed=claim.units_owed,
        units_recovered=units_recovered,
        units_outstanding=units_outstanding,
        days_outstanding=max(0, (as_of - since).days),
        disclosable_180=outstanding_180 > 0,
        recovered_cash=recovered_cash,
        units_recovered_value=units_value,
        outstanding_180=outstanding_180,
    )


def days_outstanding(*, determined_on: date, as_of: date) -> int:
    """Days since the amount owed was determined (docs/clawback-rules §1.10:
    `(FYE - determination_date).days`)."""
    return max(0, (as_of - determined_on).days)


# --- Item 402(w) ---------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class FiscalYear:
    label: str
    start: date
    end: date


@dataclass(frozen=True, kw_only=True, slots=True)
class EstimateUsed:
    """Item 402(w)(1)(i)(C): a stock price or TSR estimate used, with its method."""

    award: str
    executive: str
    measure: str
    restated_value: Decimal
    method: str
    adopted_on: date
    provided_to_exchange_on: date | None


@dataclass(frozen=True, kw_only=True, slots=True)
class Case:
    """One restatement as the disclosure sees it. `aggregate_erroneous` is None until a determination is
    approved; `calculation` explains how it was calculated; `pending_reason` why it is not determined yet;
    `no_recovery_reason` why the recovery analysis found nothing to recover (Item 402(w)(2)), in the
    analysis's own terms."""

    title: str
    kind: str
    required_on: date | None
    aggregate_erroneous: Decimal | None
    calculation: str = ""
    pending_reason: str = ""
    no_recovery_reason: str = ""
    estimates: tuple[EstimateUsed, ...] = ()
    claims: tuple[Claim, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class ForgoneLine:
    """Item 402(w)(1)(ii) for one named executive officer: the amount forgone, why, and the amount by ground
    of Rule 10D-1(b)(1)(iv) (`by_ground`: (ground, amount) pairs in FORGONE_GROUNDS order)."""

    name: str
    amount: Decimal
    reasons: tuple[str, ...]
    by_ground: tuple[tuple[str, Decimal], ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class OutstandingLine:
    """Item 402(w)(1)(iii): the part of a named executive officer's balance outstanding 180 days or more at
    the fiscal year end, and the days since the oldest part of it was determined."""

    name: str
    amount: Decimal
    days_outstanding: int


@dataclass(frozen=True, kw_only=True, slots=True)
class CaseDisclosure:
    """The Item 402(w)(1) figures for one restatement (or the 402(w)(2) explanation)."""

    title: str
    kind: str
    why_included: str
    required_on: date | None
    determined: bool
    aggregate_erroneous: Decimal | None
    calculation: str
    not_determined_reason: str
    estimates: tuple[EstimateUsed, ...]
    outstanding_at_fye: Decimal
    forgone_by_neo: tuple[ForgoneLine, ...]
    forgone_others: Decimal
    forgone_others_reasons: tuple[str, ...]
    outstanding_180_by_neo: tuple[OutstandingLine, ...]
    recovery_required: bool
    no_recovery_explanation: str
    equity_valuation: tuple[str, ...] = ()
    forgone_others_by_ground: tuple[tuple[str, Decimal], ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class Disclosure:
    """Item 402(w) and the Form 10-K cover check boxes for the annual report on one fiscal year, prepared on
    `prepared_on` (the filing date: restatements required after the year end but before it count)."""

    fiscal_year: str
    fiscal_year_start: date
    fiscal_year_end: date
    prepared_on: date
    fiscal_year_completed: bool
    item_402w_1_required: bool
    item_402w_2_required: bool
    cases: tuple[CaseDisclosure, ...]
    error_correction_box: bool
    recovery_analysis_box: bool
    check_box_notes: tuple[str, ...]


def _money(value: Decimal) -> str:
    return f"${value:,.2f}"


def equity_valuation(claims: Iterable[Claim], *, as_of: date) -> tuple[str, ...]:
    """How shares and units owed are valued (docs/clawback-rules §1.10, "Shares and units returned"): the
    basis once, then each claim in shares or units with its value per unit and what was credited for the
    shares returned by `as_of`. Empty when no claim is owed in shares or units."""
    lines = []
    for claim in sorted(claims, key=lambda c: c.name):
        per_unit = claim.value_per_unit
        if per_unit is None:
            continue
        position = claim_position(claim, as_of=as_of)
        line = (
            f"{claim.name}: {number(claim.units_owed)} shares or units owed, valued at "
            f"{_money(round_half_up(per_unit, quantum=CENTS))} each in the approved determination "
            f"({_money(claim.units_value)} in all)"
        )
        if position.units_recovered:
            line += (
                f"; {number(position.units_recovered)} returned or cancelled by {as_of.isoformat()}, "
                f"credited {_money(position.units_recovered_value + _cash_with_units(claim, as_of))}"
            )
        lines.append(line + ".")
    return (EQUITY_VALUATION_BASIS, *lines) if lines else ()


def _cash_with_units(claim: Claim, as_of: date) -> Decimal:
    # The dollar amounts entered together with shares returned: the value the case recorded for them.
    return sum((r.amount for r in claim.recoveries if r.occurred_on <= as_of and r.units and r.amount), ZERO)


def _no_recovery(case: Case) -> str:
    """Item 402(w)(2): why no recovery was required, in a sentence the filing can use."""
    reason = case.no_recovery_reason.strip() or case.calculation.strip()
    if not reason:
        reason = "no incentive-based compensation in scope exceeded its amount on the restated figures."
    return f"The recovery analysis concluded that no recovery is required under Rule 10D-1(b): {reason}"


def _by_ground(amounts: dict[str, Decimal]) -> tuple[tuple[str, Decimal], ...]:
    """(ground, amount) pairs in FORGONE_GROUNDS order, then any other ground as given."""
    order = {ground: index for index, ground in enumerate(FORGONE_GROUNDS)}
    return tuple(sorted(amounts.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))


def _required_during_or_after(case: Case, fy: FiscalYear, prepared_on: date) -> bool:
    return case.required_on is not None and fy.start <= case.required_on <= prepared_on


def _outstanding(claims: Iterable[Claim], as_of: date) -> Decimal:
    return sum((claim_position(c, as_of=as_of).outstanding for c in claims), ZERO)


def _case_disclosure(
    case: Case, *, fy: FiscalYear, prepared_on: date, neos: frozenset[str], why: str
) -> CaseDisclosure:
    determined = case.aggregate_erroneous is not None
    by_neo: dict[str, tuple[str, Decimal, list[str]]] = {}
    grounds: dict[str, dict[str, Decimal]] = {}  # executive (the group: "") -> ground -> amount forgone
    others = ZERO
    others_reasons: list[str] = []
    outstanding_180: list[OutstandingLine] = []
    for claim in case.claims:
        # Item 402(w)(1)(ii): forgone recoveries decided by the time the report is prepared.
        for forgone in claim.forgone:
            if forgone.decided_on > prepared_on:
                continue
            line = grounds.setdefault(claim.executive if claim.executive in neos else "", {})
            line[forgone.ground] = line.get(forgone.ground, ZERO) + forgone.amount
            if claim.executive in neos:
                name, amount, reasons = by_neo.get(claim.executive, (claim.name, ZERO, []))
                reasons.append(forgone.reason)
                by_neo[claim.executive] = (name, amount + forgone.amount, reasons)
            else:
                # The group line identifies nobody: never the reason quoting the resolution.
                others += forgone.amount
                others_reasons.append(forgone.group_reason)
        position = claim_position(claim, as_of=fy.end)
        if claim.executive in neos and position.disclosable_180:
            outstanding_180.append(
                OutstandingLine(
                    name=claim.name,
                    amount=position.outstanding_180,
                    days_outstanding=position.days_outstanding,
                )
            )
    recovery_required = determined and case.aggregate_erroneous > 0
    no_recovery = _no_recovery(case) if determined and not recovery_required else ""
    return CaseDisclosure(
        title=case.title,
        kind=case.kind,
        why_included=why,
        required_on=case.required_on,
        determined=determined,
        aggregate_erroneous=case.aggregate_erroneous,
        calculation=case.calculation,
        not_determined_reason="" if determined else (case.pending_reason or "Not yet determined."),
        estimates=case.estimates,
        outstanding_at_fye=_outstanding(case.claims, fy.end),
        forgone_by_neo=tuple(
            ForgoneLine(name=name, amount=amount, reasons=tuple(reasons), by_ground=_by_ground(grounds[key]))
            for key, (name, amount, reasons) in sorted(by_neo.items(), key=lambda item: item[1][0])
        ),
        forgone_others=others,
        forgone_others_by_ground=_by_ground(grounds.get("", {})),
        forgone_others_reasons=tuple(others_reasons),
        outstanding_180_by_neo=tuple(sorted(outstanding_180, key=lambda line: line.name)),
        recovery_required=recovery_required,
        no_recovery_explanation=no_recovery,
        equity_valuation=equity_valuation(case.claims, as_of=fy.end),
    )


def item_402w(
    *, fiscal_year: FiscalYear, prepared_on: date, cases: Sequence[Case], neos: Iterable[str]
) -> Disclosure:
    """The Item 402(w) figures and the 10-K check boxes for `fiscal_year`'s annual report, from every case
    of the company (a disclosure over some of them would understate it).

    A restatement is disclosed when it required a recovery analysis (Big R or little r) and was required to
    be prepared during the fiscal year or after it up to `prepared_on`, or when an earlier one still had a
    balance outstanding at the fiscal year end. `neos` are the executives (by key) who are named executive
    officers for the year; the others are disclosed as a group.

    The check boxes answer two questions (C&DI 104.20, 104.21): a correction of an error reflected in the
    filing (any kind in `ERROR_CORRECTION_KINDS`) checks the first; only one that required a recovery
    analysis (`RECOVERY_ANALYSIS_KINDS`) checks the second, whatever the analysis found.
    """
    neo_keys = frozenset(neos)
    disclosed: list[CaseDisclosure] = []
    notes: list[str] = []
    corrections = analyses = 0
    for case in sorted(cases, key=lambda c: (c.required_on or date.max, c.title)):
        in_window = _required_during_or_after(case, fiscal_year, prepared_on)
        if case.kind not in ERROR_CORRECTION_KINDS:
            if in_window:
                notes.append(
                    f"{case.title}: a {case.kind.replace('_', '-')} change is not the correction of an error "
                    "in previously issued financial statements (C&DI 104.20); neither box is checked for it."
                )
            continue
        if case.kind not in RECOVERY_ANALYSIS_KINDS:
            if in_window:
                corrections += 1
                notes.append(
                    f"{case.title}: a revision correcting an immaterial error that no rule required to be "
                    "restated checks the first box (C&DI 104.20) but required no recovery analysis under "
                    "Rule 10D-1(b), so it does not check the second and is not disclosed under Item 402(w)."
                )
            continue
        if in_window:
            corrections += 1
            analyses += 1
            why = (
                f"Required to be prepared on {case.required_on.isoformat()}, during or after fiscal year "
                f"{fiscal_year.label}."
            )
        elif (
            case.required_on is not None
            and case.required_on < fiscal_year.start
            and _outstanding(case.claims, fiscal_year.end) > 0
        ):
            why = f"A prior restatement with an amount still outstanding on {fiscal_year.end.isoformat()}."
        else:
            continue
        disclosed.append(
            _case_disclosure(case, fy=fiscal_year, prepared_on=prepared_on, neos=neo_keys, why=why)
        )
    if analyses:
        notes.append(
            f"{analyses} Big R or little r restatement{'' if analyses == 1 else 's'} reflected in the filing "
            "required a recovery analysis under Rule 10D-1(b): both boxes are checked; the second even if "
            "nothing was recoverable (C&DI 104.21)."
        )
    return Disclosure(
        fiscal_year=fiscal_year.label,
        fiscal_year_start=fiscal_year.start,
        fiscal_year_end=fiscal_year.end,
        prepared_on=prepared_on,
        fiscal_year_completed=prepared_on > fiscal_year.end,
        item_402w_1_required=any(c.recovery_required or not c.determined for c in disclosed),
        item_402w_2_required=any(c.determined and not c.recovery_required for c in disclosed),
        cases=tuple(disclosed),
        error_correction_box=corrections > 0,
        recovery_analysis_box=analyses > 0,
        check_box_notes=tuple(notes),
    )
