"""Gathering the Item 402(w) and Form 10-K check-box facts from the database for `clawback.disclosure`.

The disclosure is the company's: its figures come from every case of the company, never from the cases the
person asking happens to see, so everyone allowed to see it sees the same figures. Someone walled off from
any of the company's cases (a covered executive never sees the case about their own pay) is refused it
outright rather than shown a disclosure that silently leaves a case out (docs/clawback-rules §1.10, "Who
sees the disclosure")."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch

from compliance_site.accounts.permissions import has_capability
from compliance_site.company.models import Company, FiscalPeriod
from compliance_site.lib.numbers import num, usd

from .. import disclosure
from ..models import Determination, NamedExecutiveYear, ReasonableEstimate, RecoveryClaim, Restatement
from ..recovery import USD, Reason, RestatementEvent, required_to_prepare
from ..selectors import restatements_visible_to
from .recovery import claim_facts

# Why a case's determination is not approved yet, as the disclosure says it.
_CASE_STATE = {
    Restatement.Status.DRAFT: "the case is still a draft",
    Restatement.Status.REVIEW: "the case is under committee review",
}

WALLED_MESSAGE = (
    "The Item 402(w) disclosure and the Form 10-K check boxes cover every restatement case of the company, "
    "and you are walled off from at least one of them (for example a case about your own pay), so they "
    "cannot be shown to you: a disclosure leaving a case out would understate it. Ask the Corporate "
    "Secretary or counsel for the disclosure."
)


class DisclosureRefused(PermissionDenied):
    """The user may not see every case of the company, so may not see its disclosure."""

    code = "walled_from_case"


def fiscal_years(company: Company | None):
    if company is None:
        return FiscalPeriod.objects.none()
    return company.fiscal_periods.order_by("-start")


def default_company() -> Company | None:
    return Company.objects.order_by("id").first()


def _figure(value, *, in_usd: bool) -> str:
    """An award figure in its unit: '$1,200,000.00' or '17,500 units' (the documents' own filters)."""
    return usd(value) if in_usd else f"{num(value)} units"


def _calculation(result: dict, names: dict[str, str]) -> str:
    """Item 402(w)(1)(i)(B): how the aggregate was calculated, award by award, with amounts as the filing
    prints them ($1,200,000.00) and units with thousands separators."""
    lookback = result.get("lookback") or {}
    lines = [
        "Erroneously awarded compensation is the incentive-based compensation received in excess of what "
        "would have been received on the restated amounts, computed without regard to taxes paid "
        "(Rule 10D-1(b)(1)(iii))."
    ]
    if lookback:
        lines.append(
            f"Recovery period {lookback['start']} to {lookback['end']} ({', '.join(lookback['periods'])})."
        )
    for award in result.get("awards", []):
        if not award.get("in_scope") or award.get("excess_usd") in (None, "0.00"):
            continue
        name = names.get(award["executive"], award["executive"])
        in_usd = award["unit"] == "USD"
        basis = (
            "on the committee's reasonable estimate"
            if award["status"] == "estimated"
            else "on the restated values"
        )
        lines.append(
            f"{name}, {award['id']}: received {_figure(award['received'], in_usd=in_usd)}, recomputed "
            f"{basis}: {_figure(award['recomputed'], in_usd=in_usd)}, excess "
            f"{_figure(award['excess'], in_usd=in_usd)} = {usd(award['excess_usd'])}."
        )
    lines.append(f"Total {usd(result.get('totals', {}).get('excess_usd', '0.00'))}.")
    return " ".join(lines)


# Why an award is outside Rule 10D-1 (the scope test), as the Item 402(w)(2) explanation words it.
_OUT_OF_SCOPE = {
    Reason.NOT_INCENTIVE_BASED: "not incentive-based compensation (not granted, earned or vested on a "
    "financial reporting measure)",
    Reason.PRE_EFFECTIVE_DATE: "received before the listing standard took effect",
    Reason.OUTSIDE_LOOKBACK: "received outside the recovery period",
    Reason.NOT_EXECUTIVE_DURING_PERFORMANCE_PERIOD: "the recipient was not an executive officer during the "
    "performance period",
    Reason.RECEIVED_BEFORE_EXECUTIVE_SERVICE: "received before the recipient began service as an executive "
    "officer",
    Reason.NOT_LISTED: "received while the company had no class of securities listed",
}


def _no_recovery_reason(result: dict, names: dict[str, str]) -> str:
    """Item 402(w)(2): why the analysis found nothing to recover, award by award (docs/clawback-rules
    §1.10): nothing received in the recovery period, awards outside the rule and why, awards that paid no
    more than the restated figures give, or an excess already recovered."""
    lookback = result.get("lookback") or {}
    period = f" ({lookback['start']} to {lookback['end']})" if lookback else ""
    awards = result.get("awards", [])
    if not awards:
        return (
            f"no executive officer received incentive-based compensation during the recovery period{period}."
        )
    lines = []
    for award in awards:
        who = f"{names.get(award['executive'], award['executive'])}, {award['id']}"
        in_usd = award["unit"] == USD
        if not award.get("in_scope"):
            why = "; ".join(_OUT_OF_SCOPE.get(r, r) for r in award.get("reasons", [])) or "not covered"
            lines.append(f"{who}: {why}")
        elif Decimal(award.get("excess") or "0") <= 0:
            lines.append(
                f"{who}: received {_figure(award['received'], in_usd=in_usd)}, and "
                f"{_figure(award['recomputed'], in_usd=in_usd)} on the restated amounts, so nothing was "
                "received in excess"
            )
        else:
            lines.append(
                f"{who}: the excess of {_figure(award['excess'], in_usd=in_usd)} had already been recovered "
                f"({_figure(award.get('already_recovered') or '0', in_usd=in_usd)} credited)"
            )
    return f"the recovery period{period} was analysed award by award: " + "; ".join(lines) + "."


def _units_value(result: dict, key: str, units_owed: Decimal) -> Decimal | None:
    """The dollars the approved determination gives the executive's shares and units owed: the sum over
    their unit awards of the amount to recover in USD, each computed from the exact unit figure at the
    award's value per unit (docs/clawback-rules §1.7). None when the units do not match the claim."""
    usd_total, units = Decimal("0.00"), Decimal(0)
    for award in result.get("awards", []):
        if award["executive"] != key or award["unit"] == USD or not award.get("in_scope"):
            continue
        usd_total += Decimal(award.get("to_recover_usd") or award.get("excess_usd") or "0")
        units += Decimal(award.get("to_recover") or award.get("excess") or "0")
    if units <= 0 or units != units_owed:
        return None
    return usd_total


def _owed_by(result: dict, key: str) -> Decimal:
    row = next((r for r in result.get("executives", []) if r["id"] == key), None)
    if row is None:
        return Decimal("0.00")
    return Decimal(row.get("to_recover_usd") or row["excess_usd"])


def _claim(claim: RecoveryClaim, approvals: list[Determination], current: Determination | None):
    """The claim with the value its shares and units were given and the date each part of the amount owed
    was determined, from the approvals the body made in turn (docs/clawback-rules §1.10)."""
    key = claim.executive.key
    history = [
        disclosure.Determined(on=d.decision.held_on, amount=_owed_by(d.result, key)) for d in approvals
    ]
    return dataclasses.replace(
        claim_facts(claim),
        units_value=_units_value(current.result, key, claim.units_owed) if current else None,
        parts=disclosure.determined_parts(history),
    )


def _case_facts(case: Restatement) -> disclosure.Case:
    events = [RestatementEvent(kind=e.kind, date=e.date) for e in case.events.all()]
    required = required_to_prepare(events)
    determinations = list(case.determinations.all())
    approved = next((d for d in determinations if d.decision_id and d.invalidated_at is None), None)
    live = next((d for d in determinations if d.invalidated_at is None), None)
    names = {x.key: x.name for x in case.covered_executives.all()}
    # Every approval the body made, withdrawn ones included, oldest first: each determined an amount owed.
    approvals = sorted((d for d in determinations if d.decision_id), key=lambda d: d.number)
    last_approval = approvals[-1] if approvals else None
    claims = tuple(_claim(c, approvals, last_approval) for c in case.claims.all())
    if approved is None:
        pending = sum(
            1
            for a in (live.result.get("awards", []) if live else [])
            if a.get("status") == ("reasonable_estimate_required")
        )
        state = _CASE_STATE.get(case.status, f"the case is {case.get_status_display().lower()}")
        reason = f"The determination has not been approved: {state}."
        if pending:
            awards = "1 award awaits" if pending == 1 else f"{pending} awards await"
            reason += f" {awards} the committee's reasonable estimate."
        return disclosure.Case(
            title=case.title,
            kind=case.kind,
            required_on=required[0] if required else None,
            aggregate_erroneous=None,
            pending_reason=reason,
            claims=claims,
        )
    estimated = {
        (a["executive"], a["id"]) for a in approved.result.get("awards", []) if a.get("status") == "estimated"
    }
    estimates = tuple(
        disclosure.EstimateUsed(
            award=e.award.key,
            executive=e.award.executive.name,
            measure=e.award.measure.name if e.award.measure else "",
            restated_value=e.restated_value,
            method=e.method,
            adopted_on=e.adopted_on,
            provided_to_exchange_on=e.provided_to_exchange_on,
        )
        for e in case.estimates.all()
        if (e.award.executive.key, e.award.key) in estimated
    )
    return disclosure.Case(
        title=case.title,
        kind=case.kind,
        required_on=required[0] if required else None,
        aggregate_erroneous=Decimal(approved.result.get("totals", {}).get("excess_usd", "0.00")),
        calculation=_calculation(approved.result, names),
        no_recovery_reason=_no_recovery_reason(approved.result, names),
        estimates=estimates,
        claims=claims,
    )


def sees_every_case(user, company_id) -> bool:
    """Whether `user` may see every case of the company (and so its disclosure)."""
    if not has_capability(user, "clawback.view"):
        return False
    visible = restatements_visible_to(user).filter(company_id=company_id).values("pk")
    return not Restatement.objects.filter(company_id=company_id).exclude(pk__in=visible).exists()


def disclosure_for(*, user, fiscal_period: FiscalPeriod, prepared_on: date) -> disclosure.Disclosure:
    """The Item 402(w) figures and 10-K check boxes for `fiscal_period`'s annual report, prepared (filed) on
    `prepared_on`, for `user`: the company's disclosure (`company_disclosure`), the same for everyone
    allowed to see it. Raises `DisclosureRefused` when the user is walled off from any case of the company
    (docs/clawback-rules §1.10, "Who sees the disclosure")."""
    if not sees_every_case(user, fiscal_period.company_id):
        raise DisclosureRefused(WALLED_MESSAGE)
    return company_disclosure(fiscal_period=fiscal_period, prepared_on=prepared_on)


def company_disclosure(*, fiscal_period: FiscalPeriod, prepared_on: date) -> disclosure.Disclosure:
    """The Item 402(w) figures and 10-K check boxes from every restatement of the company, whoever asks.
    Call it only for someone `sees_every_case` allows (`disclosure_for` does)."""
    cases = (
        Restatement.objects.filter(company_id=fiscal_period.company_id)
        .order_by("id")
        .prefetch_related(
            "events",
            "covered_executives",
            Prefetch(
                "determinations",
                queryset=Determination.objects.select_related("decision").order_by("-number"),
            ),
            Prefetch(
                "claims",
                queryset=RecoveryClaim.objects.select_related("executive").prefetch_related(
                    "events", "impracticabilities__decision"
                ),
            ),
            Prefetch(
                "estimates",
                queryset=ReasonableEstimate.objects.select_related("award__executive", "award__measure"),
            ),
        )
    )
    neos = NamedExecutiveYear.objects.filter(
        fiscal_year=fiscal_period.label, executive__company_id=fiscal_period.company_id
    ).values_list("executive__key", flat=True)
    return disclosure.item_402w(
        fiscal_year=disclosure.FiscalYear(
            label=fiscal_period.label, start=fiscal_period.start, end=fiscal_period.end
        ),
        prepared_on=prepared_on,
        cases=[_case_facts(case) for case in cases],
        neos=list(neos),
    )
