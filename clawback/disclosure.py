"""Recovery balances, the 180-day mark, the Item 402(w) figures and the Form 10-K cover check boxes.

Pure module (standard library only, like the rule engines): frozen dataclasses in and out, the as-of and
prepared-on dates passed in, no clock and no database. `clawback.services.disclosure` gathers the facts
from the database; the case page and the API show what this module computes.

The law it implements (docs/clawback-rules §1.10):

- a claim's outstanding balance is what the approved determination says is owed, less what was recovered
  and what the independent directors determined impracticable to recover (Rule 10D-1(b)(1)(iv));
- Item 402(w)(1)(ii): the amount forgone as impracticable and why, per named executive officer and for all
  other executive officers as a group; the group line names nobody;
- Item 402(w)(1)(iii): per named executive officer, the amount outstanding at fiscal year end when
  `(fiscal year end - date the amount owed was determined).days >= 180` and the balance is positive;
- Item 402(w)(1): disclosure is required when, at any time during or after the last completed fiscal
  year, the issuer was required to prepare a restatement that required recovery, or there was an
  outstanding balance at fiscal year end from a prior restatement; Item 402(w)(2) when a restatement was
  required but no recovery was;
- the two Form 10-K cover check boxes (C&DI 104.20 and 104.21): a Big R or little r restatement reflected
  in the filing checks "error correction"; the same restatements required a recovery analysis under
  Rule 10D-1(b), so the second box is checked too, even when nothing turns out to be recoverable.
  Out-of-period adjustments and non-error changes check neither.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

DAYS_OUTSTANDING_DISCLOSED = 180
ZERO = Decimal("0.00")
UNITS_ZERO = Decimal("0")
ERROR_CORRECTION_KINDS = frozenset({"big_r", "little_r"})


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


@dataclass(frozen=True, kw_only=True, slots=True)
class Claim:
    """What one executive owes under the approved determination, with what happened since."""

    executive: str
    name: str
    amount_owed: Decimal
    determined_on: date
    units_owed: Decimal = UNITS_ZERO
    recoveries: tuple[Recovered, ...] = ()
    forgone: tuple[Forgone, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class ClaimPosition:
    """A claim on one date. `days_outstanding` counts from the date the amount owed was determined (0 before
    it); `disclosable_180` is Item 402(w)(1)(iii)'s test on that date."""

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


def claim_position(claim: Claim, *, as_of: date) -> ClaimPosition:
    """The claim's balance on `as_of`, counting the recoveries and impracticability determinations dated on
    or before it. The balance never goes below zero (an over-recovery is shown as nothing outstanding)."""
    recovered = sum((r.amount for r in claim.recoveries if r.occurred_on <= as_of), ZERO)
    units_recovered = sum((r.units for r in claim.recoveries if r.occurred_on <= as_of), UNITS_ZERO)
    forgone = sum((f.amount for f in claim.forgone if f.decided_on <= as_of), ZERO)
    outstanding = max(ZERO, claim.amount_owed - recovered - forgone)
    units_outstanding = max(UNITS_ZERO, claim.units_owed - units_recovered)
    days = max(0, (as_of - claim.determined_on).days)
    return ClaimPosition(
        as_of=as_of,
        amount_owed=claim.amount_owed,
        recovered=recovered,
        forgone=forgone,
        outstanding=outstanding,
        units_owed=claim.units_owed,
        units_recovered=units_recovered,
        units_outstanding=units_outstanding,
        days_outstanding=days,
        disclosable_180=outstanding > 0 and days >= DAYS_OUTSTANDING_DISCLOSED,
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
    approved; `calculation` explains how it was calculated; `pending_reason` why it is not determined yet."""

    title: str
    kind: str
    required_on: date | None
    aggregate_erroneous: Decimal | None
    calculation: str = ""
    pending_reason: str = ""
    estimates: tuple[EstimateUsed, ...] = ()
    claims: tuple[Claim, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class ForgoneLine:
    name: str
    amount: Decimal
    reasons: tuple[str, ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class OutstandingLine:
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


def _required_during_or_after(case: Case, fy: FiscalYear, prepared_on: date) -> bool:
    return case.required_on is not None and fy.start <= case.required_on <= prepared_on


def _outstanding(claims: Iterable[Claim], as_of: date) -> Decimal:
    return sum((claim_position(c, as_of=as_of).outstanding for c in claims), ZERO)


def _case_disclosure(
    case: Case, *, fy: FiscalYear, prepared_on: date, neos: frozenset[str], why: str
) -> CaseDisclosure:
    determined = case.aggregate_erroneous is not None
    by_neo: dict[str, tuple[str, Decimal, list[str]]] = {}
    others = ZERO
    others_reasons: list[str] = []
    outstanding_180: list[OutstandingLine] = []
    for claim in case.claims:
        # Item 402(w)(1)(ii): forgone recoveries decided by the time the report is prepared.
        for forgone in claim.forgone:
            if forgone.decided_on > prepared_on:
                continue
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
                    name=claim.name, amount=position.outstanding, days_outstanding=position.days_outstanding
                )
            )
    recovery_required = determined and case.aggregate_erroneous > 0
    no_recovery = ""
    if determined and not recovery_required:
        no_recovery = (
            "The recovery analysis concluded that no erroneously awarded compensation was received: "
            + (case.calculation or "no incentive-based compensation in scope exceeded its restated amount.")
        )
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
            ForgoneLine(name=name, amount=amount, reasons=tuple(reasons))
            for name, amount, reasons in sorted(by_neo.values(), key=lambda line: line[0])
        ),
        forgone_others=others,
        forgone_others_reasons=tuple(others_reasons),
        outstanding_180_by_neo=tuple(sorted(outstanding_180, key=lambda line: line.name)),
        recovery_required=recovery_required,
        no_recovery_explanation=no_recovery,
    )


def item_402w(
    *, fiscal_year: FiscalYear, prepared_on: date, cases: Sequence[Case], neos: Iterable[str]
) -> Disclosure:
    """The Item 402(w) figures and the 10-K check boxes for `fiscal_year`'s annual report.

    A restatement is disclosed when it is a Big R or little r restatement required to be prepared during the
    fiscal year or after it up to `prepared_on`, or when an earlier one still had a balance outstanding at
    the fiscal year end. `neos` are the executives (by key) who are named executive officers for the year;
    the others are disclosed as a group.
    """
    neo_keys = frozenset(neos)
    disclosed: list[CaseDisclosure] = []
    notes: list[str] = []
    error_corrections = 0
    for case in sorted(cases, key=lambda c: (c.required_on or date.max, c.title)):
        in_window = _required_during_or_after(case, fiscal_year, prepared_on)
        if case.kind not in ERROR_CORRECTION_KINDS:
            if in_window:
                notes.append(
                    f"{case.title}: a {case.kind.replace('_', '-')} change is not the correction of an error "
                    "in previously issued financial statements (C&DI 104.20); neither box is checked for it."
                )
            continue
        if in_window:
            error_corrections += 1
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
    if error_corrections:
        notes.append(
            f"{error_corrections} Big R or little r restatement(s) reflected in the filing: both boxes are "
            "checked; the second even if nothing was recoverable (C&DI 104.21)."
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
        error_correction_box=error_corrections > 0,
        recovery_analysis_box=error_corrections > 0,
        check_box_notes=tuple(notes),
    )
