"""Awards: what an executive received, with the plan formula or scorecard needed to recompute it on restated
numbers, and what of it was already recovered (docs/clawback-rules §1.6-§1.7).

Awards are validated by the scenario parser's own rules (`clawback.scenario.parse_scenario` on a one-award
scenario), so an award the records pages accept is always one the recovery engine can evaluate and a case can
always be exported as a scenario file."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from compliance_site.audit.recorder import audit_context
from compliance_site.lib.markets import FIRST_RECORD_YEAR, LAST_RECORD_YEAR, in_record_years

from ..models import Award, AwardComponent, AwardCredit, Executive, Measure, Restatement
from ..scenario import ScenarioError, parse_scenario
from .approvals import cases_affected_by, cases_using_executives, recheck_approvals
from .case_documents import award_document, goal_terms
from .errors import collect, merge
from .walls import check_may_change_inputs

SCENARIO_FORMAT_2 = "clawback-scenario/2"

# Scenario-file keys of an award and the record fields they come from.
_AWARD_FIELDS = {
    "id": "key",
    "type": "award_type",
    "basis": "basis",
    "performance_period": "performance_start",
    "performance_period.start": "performance_start",
    "performance_period.end": "performance_end",
    "measure": "measure",
    "measure_period": "measure_period",
    "formula": "formula",
    "scorecard": "components",
    "unit": "unit",
    "received": "received",
    "value_per_unit": "value_per_unit",
    "requires_estimate": "requires_estimate",
}


def award_problems(document: dict, *, measures: Iterable[tuple[Measure, Iterable[str]]] = ()) -> dict:
    """The scenario parser's complaints about one award, as {record field: [messages]}.

    The award is checked inside a minimal scenario holding only its measures (with the period labels each
    has), so the rules are exactly those a scenario file or an exported case must meet: curve points strictly
    ascending, USD in cents, units with a value per unit, an incentive-based award with a measure, a measure
    period the measure has and a formula or scorecard, positive weights, and so on."""
    scenario = {
        "format": SCENARIO_FORMAT_2,
        "company": {
            "name": "award check",
            "fiscal_periods": [{"label": "award-check", "start": "2000-01-01", "end": "2000-12-31"}],
        },
        "restatement": {"kind": "big_r", "events": [{"kind": "board_concluded", "date": "2001-01-01"}]},
        "measures": {
            measure.key: {
                "category": measure.category,
                "values": {label: {"original": "0"} for label in labels},
            }
            for measure, labels in measures
        },
        "executives": [{"id": document["executive"], "name": "award check", "officer_periods": []}],
        "awards": [document],
    }
    try:
        parse_scenario(scenario)
    except ScenarioError as exc:
        errors: dict[str, list[str]] = {}
        prefix = "$.awards[0]"
        for path, message in exc.errors:
            rest = path[len(prefix) :].lstrip(".") if path.startswith(prefix) else ""
            head = rest.split("[")[0]
            parts = head.split(".")
            field = _AWARD_FIELDS.get(".".join(parts[:2])) or _AWARD_FIELDS.get(parts[0]) or "__all__"
            detail = rest[len(parts[0]) :].lstrip(".") if field in ("formula", "components") else ""
            if field == "components":
                detail = _goal_text(detail)
            errors.setdefault(field, []).append(f"{detail}: {message}" if detail else message)
        return errors
    return {}


def _goal_text(detail: str) -> str:
    # "components[1].weight" -> "Goal 2, weight"; "target" stays.
    if detail.startswith("components["):
        index, _, rest = detail[len("components[") :].partition("]")
        if index.isdigit():
            rest = rest.lstrip(".")
            return f"Goal {int(index) + 1}" + (f", {rest.replace('_', ' ')}" if rest else "")
    return detail.replace("_", " ")


def _clean_components(award: Award, components: Sequence[dict]) -> list[tuple[AwardComponent, dict]]:
    existing = {c.pk: c for c in award.components.all()} if award.pk else {}
    plan = []
    problems = []
    for position, item in enumerate(components):
        pk = item.get("id")
        row = existing.get(int(pk)) if pk else AwardComponent()
        if row is None:
            problems.append(f"Goal {position + 1} is not one of this award's.")
            continue
        data = {
            "position": position,
            "basis": item.get("basis") or AwardComponent.Basis.FINANCIAL_REPORTING_MEASURE,
            "measure": item.get("measure")
            if item.get("basis", "financial_reporting_measure") == "financial_reporting_measure"
            else None,
            "measure_period": (item.get("measure_period") or "") if item.get("measure") else "",
            "weight": item.get("weight"),
            "points": item.get("points"),
            "factor": item.get("factor"),
        }
        if data["basis"] != AwardComponent.Basis.FINANCIAL_REPORTING_MEASURE:
            data["points"] = None
        else:
            data["factor"] = None
        plan.append((row, data))
    if problems:
        raise ValidationError({"components": problems})
    return plan


def _all_components(award: Award, plan) -> list[dict]:
    """The award's goals after the change: kept ones, then the changed and new ones in their order."""
    changed = {row.pk for row, _ in plan if row.pk}
    kept = [
        goal_terms(c)
        for c in (award.components.select_related("measure") if award.pk else [])
        if c.pk not in changed
    ]
    return kept + [data for _, data in plan]


# An award's dates: a year like 0001 or 9999 is a typing slip, and 9999-12-31 read as "deemed received".
_AWARD_DATES = (
    "grant_date",
    "performance_start",
    "performance_end",
    "approval_date",
    "vesting_date",
    "settlement_date",
)


def _clean_award(award: Award, *, components: list[dict]) -> None:
    """full_clean, the scenario rules, and the checks that keep a case exportable; every problem at once."""
    executive = award.executive
    award.company_id = executive.company_id
    # The key's uniqueness in the company is checked below with a message naming the field (the database
    # constraint `award_unique_key_in_company` backs it).
    errors = collect(lambda: award.full_clean(exclude=["company"], validate_constraints=False))
    measures = [m for m in [award.measure, *(c.get("measure") for c in components)] if isinstance(m, Measure)]
    if any(m.company_id != executive.company_id for m in measures):
        errors.setdefault("measure", []).append("The measure belongs to another company.")
    if award.key and (
        Award.objects.filter(company_id=executive.company_id, key=award.key).exclude(pk=award.pk).exists()
    ):
        # A case's scenario names awards by key: two awards with one key could not be exported.
        errors.setdefault("key", []).append("Another award of the company already has this key.")
    for field in _AWARD_DATES:
        day = getattr(award, field)
        if day is not None and not in_record_years(day):
            errors.setdefault(field, []).append(
                f"Give a date between the years {FIRST_RECORD_YEAR} and {LAST_RECORD_YEAR}."
            )
    if award.is_scorecard and (award.formula or award.measure_id):
        errors.setdefault("formula_kind", []).append(
            "A scorecard award pays on its goals: it has no single measure or formula."
        )
    if award.is_scorecard and not components:
        errors.setdefault("components", []).append("A scorecard award needs at least one goal.")
    if award.unit == Award.Unit.USD and (award.units_sold is not None or award.sale_price is not None):
        errors.setdefault("units_sold", []).append("Units sold and sale price apply to shares or units only.")
    if (award.units_sold is None) != (award.sale_price is None):
        errors.setdefault("sale_price", []).append("Give the units sold and the sale price together.")
    if award.units_sold is not None and award.received is not None and award.units_sold > award.received:
        errors.setdefault("units_sold", []).append("More units sold than received.")
    ready = all(v is not None for v in (award.performance_start, award.performance_end, award.received))
    if ready and not any(
        f in errors for f in ("received", "value_per_unit", "performance_start", "performance_end")
    ):
        labels = {
            m.pk: (m, list(m.values.values_list("period_label", flat=True)))
            for m in measures
            if m.pk is not None
        }
        document = award_document(
            award, key=award.key or "award", executive_key=executive.key or "executive", components=components
        )
        merge(errors, award_problems(document, measures=labels.values()))
    if errors:
        raise ValidationError(errors)


AWARD_TERMS = (
    "key",
    "award_type",
    "basis",
    "grant_date",
    "approval_date",
    "performance_start",
    "performance_end",
    "measure",
    "measure_period",
    "formula",
    "scorecard_target",
    "scorecard_cap_factor",
    "unit",
    "received",
    "value_per_unit",
    "requires_estimate",
    "vesting_date",
    "settlement_date",
    "units_sold",
    "sale_price",
    "notes",
)


def _assign(award: Award, values: dict) -> None:
    for field in AWARD_TERMS:
        if field in values:
            setattr(award, field, values[field])
    award.measure_period = award.measure_period or ""
    award.notes = award.notes or ""


def _save_components(award: Award, plan) -> None:
    for row, data in plan:
        if row.pk and all(getattr(row, k) == v for k, v in data.items()):
            continue
        row.award = award
        for field, value in data.items():
            setattr(row, field, value)
        row.full_clean()
        row.save()


@transaction.atomic
def create_award(
    *,
    actor,
    executive: Executive,
    components: Sequence[dict] = (),
    now: datetime | None = None,
    check_approvals: bool = True,
    **terms,
) -> Award:
    """Record compensation an executive received: gross of taxes, with the plan formula (or the scorecard and
    its goals) needed to recompute it on restated numbers. Terms are the fields named in AWARD_TERMS. A new
    award of an executive a case covers is an input of that case: an approval resting on the awards without it
    is withdrawn at once."""
    check_may_change_inputs(actor, executive)
    award = Award(executive=executive, unit=Award.Unit.USD)
    _save_award(award, actor=actor, terms=terms, components=components)
    if check_approvals:
        recheck_approvals(cases_affected_by(award), actor=actor, now=now)
    return award


def _save_award(award: Award, *, actor, terms: dict, components: Sequence[dict], executive=None) -> None:
    """Set the terms (and the executive, when moved), check the award with its goals (every problem at once)
    and save them."""
    unknown = set(terms) - set(AWARD_TERMS)
    if unknown:
        raise TypeError(f"unknown award terms: {', '.join(sorted(unknown))}")
    if executive is not None:
        award.executive = executive
    _assign(award, terms)
    plan = _plan_or_raise(award, components)
    with audit_context(actor=actor):
        award.save()
        _save_components(award, plan)


def _plan_or_raise(award: Award, components: Sequence[dict]):
    errors: dict[str, list[str]] = {}
    plan = []
    try:
        plan = _clean_components(award, components)
    except ValidationError as exc:
        merge(errors, {"components": list(exc.messages)})
    try:
        _clean_award(award, components=_all_components(award, plan))
    except ValidationError as exc:
        merge(errors, {f: [str(m) for e in es for m in e.messages] for f, es in exc.error_dict.items()})
    if errors:
        raise ValidationError(errors)
    return plan


@transaction.atomic
def update_award(
    *,
    actor,
    award: Award,
    executive: Executive | None = None,
    components: Sequence[dict] = (),
    now: datetime | None = None,
    check_approvals: bool = True,
    **terms,
) -> Award:
    """Change an award: the terms given are set (the form and the API send the whole record); goals given are
    added or changed, none is removed (a goal is voided with a reason). The award is an input of every case
    covering its executive (before and after a move to another executive): an approval resting on the old
    terms is withdrawn at once."""
    check_may_change_inputs(actor, award)
    if executive is not None and executive.pk != award.executive_id:
        check_may_change_inputs(actor, executive)
    executives = {award.executive_id}
    _save_award(award, actor=actor, terms=terms, components=components, executive=executive)
    executives.add(award.executive_id)
    if check_approvals:
        recheck_approvals(cases_using_executives(executives), actor=actor, now=now)
    return award


# --- Amounts already recovered ---------------------------------------------------------------------


@transaction.atomic
def record_award_credit(
    *,
    actor,
    award: Award,
    amount: Decimal,
    recovered_on: date,
    source: str,
    reference: str,
    under_case: Restatement | None = None,
    now: datetime,
) -> AwardCredit:
    """Record an amount of the award already recovered (under an earlier restatement, SOX 304 or otherwise),
    in the award's unit. Every case of the award credits it except the one it was recovered under, so the same
    compensation is never recovered twice. Not in the future."""
    check_may_change_inputs(actor, award)
    credit = AwardCredit(
        award=award,
        amount=amount,
        recovered_on=recovered_on,
        source=source,
        reference=(reference or "").strip(),
        under_case=under_case,
        recorded_by=actor,
        recorded_at=now,
    )
    errors = collect(lambda: credit.full_clean())
    if recovered_on is not None and recovered_on > now.date():
        errors.setdefault("recovered_on", []).append("This date is in the future.")
    if under_case is not None and under_case.company_id != award.company_id:
        errors.setdefault("under_case", []).append("That case belongs to another company.")
    if errors:
        raise ValidationError(errors)
    with audit_context(actor=actor):
        credit.save()
    recheck_approvals(cases_affected_by(credit), actor=actor, now=now)
    return credit
