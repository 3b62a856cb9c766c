"""Gathering the Item 402(w) and Form 10-K check-box facts from the database for `clawback.disclosure`.

Only the cases the user may see are gathered (a covered executive never sees their own case, not even as
a disclosure figure)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Prefetch

from compliance_site.company.models import Company, FiscalPeriod
from compliance_site.lib.numbers import num, usd

from .. import disclosure
from ..models import Determination, NamedExecutiveYear, ReasonableEstimate, RecoveryClaim, Restatement
from ..recovery import RestatementEvent, required_to_prepare
from ..selectors import restatements_visible_to
from .recovery import claim_facts


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


def _case_facts(case: Restatement) -> disclosure.Case:
    events = [RestatementEvent(kind=e.kind, date=e.date) for e in case.events.all()]
    required = required_to_prepare(events)
    determinations = list(case.determinations.all())
    approved = next((d for d in determinations if d.decision_id and d.invalidated_at is None), None)
    live = next((d for d in determinations if d.invalidated_at is None), None)
    names = {x.key: x.name for x in case.covered_executives.all()}
    claims = tuple(claim_facts(c) for c in case.claims.all())
    if approved is None:
        pending = sum(
            1
            for a in (live.result.get("awards", []) if live else [])
            if a.get("status") == ("reasonable_estimate_required")
        )
        reason = f"The determination has not been approved (case {case.get_status_display().lower()})."
        if pending:
            reason += f" {pending} award(s) await the committee's reasonable estimate."
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
        estimates=estimates,
        claims=claims,
    )


def disclosure_for(*, user, fiscal_period: FiscalPeriod, prepared_on: date) -> disclosure.Disclosure:
    """The Item 402(w) figures and 10-K check boxes for `fiscal_period`'s annual report, prepared (filed) on
    `prepared_on`, over the restatements of its company that `user` may see."""
    cases = (
        restatements_visible_to(user)
        .filter(company_id=fiscal_period.company_id)
        .prefetch_related(
            "events",
            "covered_executives",
            Prefetch("determinations", queryset=Determination.objects.order_by("-number")),
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
