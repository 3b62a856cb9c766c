"""Clawback records: executives with their officer service, measures with their values, awards,
restatements with their events, and policy acknowledgements (rules.md §1.2-§1.7).

Every change is one function here, called alike by the pages, the API, the importer and the admin.
Awards are validated by the scenario parser's own rules (`clawback.scenario.parse_scenario` on a
one-award scenario), so an award the records pages accept is always one the recovery engine can
evaluate and a case can always be exported as a scenario file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from compliance_site.audit.recorder import audit_context, record_action
from compliance_site.company.models import Company, FiscalPeriod, PolicyAcknowledgement, PolicyVersion
from compliance_site.company.selectors import policy_in_force

from ..models import (
    Award,
    Executive,
    Measure,
    MeasureValue,
    NamedExecutiveYear,
    OfficerPeriod,
    Recusal,
    Restatement,
    RestatementEvent,
)
from ..scenario import SCENARIO_FORMAT, ScenarioError, parse_scenario
from .determinations import InputsCheck, ensure_approval_current

# --- Keeping approvals honest -----------------------------------------------------------------------


def cases_using_executives(executive_ids: Iterable[int]) -> QuerySet[Restatement]:
    """The cases past draft whose inputs include these executives (their officer service and awards)."""
    return (
        Restatement.objects.filter(covered_executives__in=list(executive_ids))
        .exclude(status=Restatement.Status.DRAFT)
        .distinct()
    )


def cases_affected_by(record) -> QuerySet[Restatement]:
    """The cases past draft whose engine inputs include `record` (an executive, officer period, measure,
    measure value, award, restatement or restatement event)."""
    if isinstance(record, Executive):
        return cases_using_executives([record.pk])
    if isinstance(record, OfficerPeriod | Award):
        return cases_using_executives([record.executive_id])
    if isinstance(record, Measure | MeasureValue):
        measure_id = record.pk if isinstance(record, Measure) else record.measure_id
        return cases_using_executives(
            Award.objects.filter(measure_id=measure_id).values_list("executive_id", flat=True)
        )
    if isinstance(record, Restatement | RestatementEvent):
        pk = record.pk if isinstance(record, Restatement) else record.restatement_id
        return Restatement.objects.filter(pk=pk).exclude(status=Restatement.Status.DRAFT)
    return Restatement.objects.none()


def recheck_approvals(cases: QuerySet[Restatement], *, actor, now: datetime | None) -> list[InputsCheck]:
    """Issue 4: "any later change to an input invalidates the approval and requires a new one". Called in
    the transaction of the change, so the approval is withdrawn (audited, with what changed) the moment an
    input changes, not at the next workflow action: `ensure_approval_current` on each case."""
    # A service called without a clock (a shell, a data fix) is checked at the time of the call.
    now = now or timezone.now()
    cases = list(cases.order_by("pk"))
    recused = set()
    if actor is not None and cases:
        recused = set(
            Recusal.objects.filter(restatement__in=cases, user=actor).values_list("restatement_id", flat=True)
        )
    # A member recused from a case may keep the company's records, but takes no part in the case: the
    # approval is still withdrawn, and the new determination is left for a participating manager to freeze.
    return [
        ensure_approval_current(case, actor=None if case.pk in recused else actor, now=now) for case in cases
    ]


# --- Executives -----------------------------------------------------------------------------------


def _clean_officer_periods(periods: Sequence[dict]) -> list[dict]:
    """Dated spans of executive-officer service, sorted; none may overlap (rules.md §1.2: the scope test
    asks who was an officer *during* a performance period, so the history must be exact)."""
    spans = sorted(
        (
            {"start": p["start"], "end": p.get("end"), "title": (p.get("title") or "").strip()}
            for p in periods
        ),
        key=lambda p: p["start"],
    )
    if not spans:
        raise ValidationError({"officer_periods": "Record at least one period of service as an officer."})
    problems = []
    for i, span in enumerate(spans):
        if span["end"] is not None and span["end"] < span["start"]:
            problems.append(f"The period starting {span['start']:%Y-%m-%d} ends before it starts.")
        if i and (spans[i - 1]["end"] is None or spans[i - 1]["end"] >= span["start"]):
            problems.append(
                f"The period starting {span['start']:%Y-%m-%d} overlaps the one starting "
                f"{spans[i - 1]['start']:%Y-%m-%d}."
            )
    if problems:
        raise ValidationError({"officer_periods": problems})
    return spans


def _clean_neo_years(company: Company, years: Iterable[str]) -> list[str]:
    """Fiscal years in which the person was a named executive officer (Item 402(w) reports per NEO);
    each must be a fiscal period of the company's calendar."""
    cleaned = []
    for year in years:
        year = (year or "").strip()
        if year and year not in cleaned:
            cleaned.append(year)
    known = set(
        FiscalPeriod.objects.filter(company=company, label__in=cleaned).values_list("label", flat=True)
    )
    unknown = [year for year in cleaned if year not in known]
    if unknown:
        raise ValidationError(
            {
                "neo_years": [
                    f"No fiscal period is labelled {year!r}; add it to the company's fiscal calendar first."
                    for year in unknown
                ]
            }
        )
    return cleaned


def _sync_officer_periods(executive: Executive, spans: list[dict]) -> None:
    # Update in place, pairwise by start date, so an unchanged period writes no audit event.
    existing = list(executive.officer_periods.order_by("start", "id"))
    for period, span in zip(existing, spans, strict=False):
        if (period.start, period.end, period.title) != (span["start"], span["end"], span["title"]):
            period.start, period.end, period.title = span["start"], span["end"], span["title"]
            period.full_clean()
            period.save()
    for span in spans[len(existing) :]:
        period = OfficerPeriod(executive=executive, **span)
        period.full_clean()
        period.save()
    for period in existing[len(spans) :]:
        period.delete()


def _sync_neo_years(executive: Executive, years: list[str]) -> None:
    existing = {y.fiscal_year: y for y in executive.neo_years.all()}
    for year in years:
        if year not in existing:
            NamedExecutiveYear.objects.create(executive=executive, fiscal_year=year)
    for label, row in existing.items():
        if label not in years:
            row.delete()


@transaction.atomic
def create_executive(
    *,
    actor,
    company: Company,
    key: str,
    name: str,
    title: str = "",
    user=None,
    officer_periods: Sequence[dict],
    neo_years: Iterable[str] = (),
) -> Executive:
    """Record a current or former executive officer (Rule 10D-1(d)) with dated officer service."""
    executive = Executive(company=company, key=key, name=name, title=title, user=user)
    errors = _collect(lambda: executive.full_clean())
    spans = _collect_value(errors, lambda: _clean_officer_periods(officer_periods))
    years = _collect_value(errors, lambda: _clean_neo_years(company, neo_years))
    if errors:
        raise ValidationError(errors)
    with audit_context(actor=actor):
        executive.save()
        _sync_officer_periods(executive, spans)
        _sync_neo_years(executive, years)
    return executive


@transaction.atomic
def update_executive(
    *,
    actor,
    executive: Executive,
    key: str,
    name: str,
    title: str = "",
    user=None,
    officer_periods: Sequence[dict],
    neo_years: Iterable[str] = (),
    now: datetime | None = None,
    check_approvals: bool = True,
) -> Executive:
    """Change an executive's record; officer periods and NEO years are replaced by the lists given. The
    officer service is an input of every case covering the executive: an approval resting on the old one
    is withdrawn at once (`recheck_approvals`). `check_approvals=False` is for a caller that rechecks the
    affected cases itself once (the importer)."""
    executive.key, executive.name, executive.title, executive.user = key, name, title, user
    errors = _collect(lambda: executive.full_clean())
    spans = _collect_value(errors, lambda: _clean_officer_periods(officer_periods))
    years = _collect_value(errors, lambda: _clean_neo_years(executive.company, neo_years))
    if errors:
        raise ValidationError(errors)
    with audit_context(actor=actor):
        executive.save()
        _sync_officer_periods(executive, spans)
        _sync_neo_years(executive, years)
    if check_approvals:
        recheck_approvals(cases_affected_by(executive), actor=actor, now=now)
    return executive


# --- Measures -------------------------------------------------------------------------------------


def _clean_values(values: Sequence[dict]) -> list[dict]:
    cleaned, seen, problems = [], set(), []
    for value in values:
        label = (value.get("period_label") or "").strip()
        if not label:
            problems.append("Every value needs a period label.")
            continue
        if label in seen:
            problems.append(f"The period {label!r} is given more than once.")
            continue
        seen.add(label)
        cleaned.append(
            {
                "period_label": label,
                "original": value.get("original"),
                "restated": value.get("restated"),
                "source": (value.get("source") or "").strip(),
            }
        )
    if problems:
        raise ValidationError({"values": problems})
    return cleaned


@transaction.atomic
def create_measure(
    *, actor, company: Company, key: str, name: str, category: str, values: Sequence[dict] = ()
) -> Measure:
    """Record a financial reporting measure (rules.md §1.6) with its original and restated values."""
    measure = Measure(company=company, key=key, name=name, category=category)
    errors = _collect(lambda: measure.full_clean())
    cleaned = _collect_value(errors, lambda: _clean_values(values))
    if errors:
        raise ValidationError(errors)
    with audit_context(actor=actor):
        measure.save()
        _sync_values(measure, cleaned)
    return measure


@transaction.atomic
def update_measure(
    *,
    actor,
    measure: Measure,
    key: str,
    name: str,
    category: str,
    values: Sequence[dict] = (),
    now: datetime | None = None,
    check_approvals: bool = True,
) -> Measure:
    """Change a measure; its values are replaced by those given. A period an award is measured on cannot
    be removed (the award could no longer be recomputed). The values are inputs of every case with an
    award on the measure: an approval resting on the old ones is withdrawn at once."""
    measure.key, measure.name, measure.category = key, name, category
    errors = _collect(lambda: measure.full_clean())
    cleaned = _collect_value(errors, lambda: _clean_values(values))
    if cleaned is not None:
        labels = {v["period_label"] for v in cleaned}
        in_use = (
            Award.objects.filter(measure=measure)
            .exclude(measure_period__in=labels)
            .values_list("key", "measure_period")
        )
        for award_key, period in in_use:
            errors.setdefault("values", []).append(
                f"Award {award_key} is measured on {period}: keep that period's value."
            )
    if errors:
        raise ValidationError(errors)
    with audit_context(actor=actor):
        measure.save()
        _sync_values(measure, cleaned)
    if check_approvals:
        recheck_approvals(cases_affected_by(measure), actor=actor, now=now)
    return measure


def _sync_values(measure: Measure, values: list[dict]) -> None:
    existing = {v.period_label: v for v in measure.values.all()}
    problems = []
    for item in values:
        row = existing.pop(item["period_label"], None) or MeasureValue(measure=measure)
        before = (row.original, row.restated, row.source) if row.pk else None
        for field, value in item.items():
            setattr(row, field, value)
        try:
            row.full_clean()
        except ValidationError as exc:
            problems.extend(f"{item['period_label']}: {m}" for m in _messages(exc))
            continue
        if before is None or before != (row.original, row.restated, row.source):
            row.save()
    if problems:
        raise ValidationError({"values": problems})
    for row in existing.values():
        row.delete()


# --- Awards ---------------------------------------------------------------------------------------

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
    "unit": "unit",
    "received": "received",
    "value_per_unit": "value_per_unit",
    "requires_estimate": "requires_estimate",
}


def _dec(value: Decimal) -> str:
    # "240000000.000000" -> "240000000": the scenario form of a decimal column (as scenarios._dec).
    return format(Decimal(value).normalize(), "f")


def award_document(
    *,
    key: str,
    executive_key: str,
    award_type: str,
    basis: str,
    performance_start: date,
    performance_end: date,
    measure_key: str | None,
    measure_period: str,
    formula: Any,
    unit: str,
    received: Decimal,
    value_per_unit: Decimal | None,
    requires_estimate: bool,
) -> dict:
    """The award as a `clawback-scenario/1` file holds it (what `scenario_for_restatement` exports)."""
    item: dict[str, Any] = {
        "id": key,
        "executive": executive_key,
        "type": award_type,
        "basis": basis,
        "performance_period": {"start": performance_start.isoformat(), "end": performance_end.isoformat()},
        "unit": unit,
        "received": _dec(received),
    }
    if measure_key:
        item["measure"] = measure_key
        item["measure_period"] = measure_period
    elif measure_period:
        item["measure_period"] = measure_period
    if formula is not None:
        item["formula"] = formula
    if value_per_unit is not None:
        item["value_per_unit"] = _dec(value_per_unit)
    if requires_estimate:
        item["requires_estimate"] = True
    return item


def award_problems(document: dict, *, measure: Measure | None, measure_labels: Iterable[str] = ()) -> dict:
    """The scenario parser's complaints about one award, as {record field: [messages]}.

    The award is checked inside a minimal scenario holding only its measure (with the period labels
    the measure has), so the rules are exactly those a scenario file or an exported case must meet:
    curve points strictly ascending, USD in cents, units with a value per unit, an incentive-based award
    with a measure, a measure period the measure has and a formula, and so on.
    """
    scenario = {
        "format": SCENARIO_FORMAT,
        "company": {
            "name": "award check",
            "fiscal_periods": [{"label": "award-check", "start": "2000-01-01", "end": "2000-12-31"}],
        },
        "restatement": {"kind": "big_r", "events": []},
        "measures": {}
        if measure is None
        else {
            measure.key: {
                "category": measure.category,
                "values": {label: {"original": "0"} for label in measure_labels},
            }
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
            detail = rest[len(parts[0]) :].lstrip(".") if field == "formula" else ""
            errors.setdefault(field, []).append(f"{detail}: {message}" if detail else message)
        return errors
    return {}


def _clean_award(award: Award) -> None:
    """full_clean, the scenario rules, and the checks that keep a case exportable."""
    executive = award.executive
    award.company_id = executive.company_id
    # The key's uniqueness in the company is checked below with a message naming the field (the database
    # constraint `award_unique_key_in_company` backs it).
    errors = _collect(lambda: award.full_clean(exclude=["company"]))
    measure = award.measure
    if measure is not None and measure.company_id != executive.company_id:
        errors.setdefault("measure", []).append("The measure belongs to another company.")
    if award.key and (
        Award.objects.filter(company_id=executive.company_id, key=award.key).exclude(pk=award.pk).exists()
    ):
        # A case's scenario names awards by key: two awards with one key could not be exported.
        errors.setdefault("key", []).append("Another award of the company already has this key.")
    if award.unit == Award.Unit.USD and (award.units_sold is not None or award.sale_price is not None):
        errors.setdefault("units_sold", []).append("Units sold and sale price apply to shares or units only.")
    if (award.units_sold is None) != (award.sale_price is None):
        errors.setdefault("sale_price", []).append("Give the units sold and the sale price together.")
    if award.units_sold is not None and award.received is not None and award.units_sold > award.received:
        errors.setdefault("units_sold", []).append("More units sold than received.")
    if not any(f in errors for f in ("received", "value_per_unit", "performance_start", "performance_end")):
        if all(v is not None for v in (award.performance_start, award.performance_end, award.received)):
            labels = (
                list(measure.values.values_list("period_label", flat=True)) if measure is not None else []
            )
            document = award_document(
                key=award.key or "award",
                executive_key=executive.key or "executive",
                award_type=award.award_type,
                basis=award.basis,
                performance_start=award.performance_start,
                performance_end=award.performance_end,
                measure_key=measure.key if measure is not None else None,
                measure_period=award.measure_period,
                formula=award.formula,
                unit=award.unit,
                received=award.received,
                value_per_unit=award.value_per_unit,
                requires_estimate=award.requires_estimate,
            )
            for field, messages in award_problems(document, measure=measure, measure_labels=labels).items():
                for message in messages:
                    if message not in errors.get(field, []):
                        errors.setdefault(field, []).append(message)
    if errors:
        raise ValidationError(errors)


_AWARD_TERMS = (
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


@transaction.atomic
def create_award(
    *,
    actor,
    executive: Executive,
    key: str,
    award_type: str,
    basis: str,
    performance_start: date,
    performance_end: date,
    received: Decimal,
    unit: str = Award.Unit.USD,
    measure: Measure | None = None,
    measure_period: str = "",
    formula: dict | None = None,
    value_per_unit: Decimal | None = None,
    requires_estimate: bool = False,
    grant_date: date | None = None,
    approval_date: date | None = None,
    vesting_date: date | None = None,
    settlement_date: date | None = None,
    units_sold: Decimal | None = None,
    sale_price: Decimal | None = None,
    notes: str = "",
    now: datetime | None = None,
    check_approvals: bool = True,
) -> Award:
    """Record compensation an executive received (rules.md §1.6-§1.7): gross of taxes, with the plan
    formula needed to recompute it on restated numbers. A new award of an executive a case covers is an
    input of that case: an approval resting on the awards without it is withdrawn at once."""
    award = Award(executive=executive)
    _assign(award, locals())  # the keyword arguments named in _AWARD_TERMS
    _clean_award(award)
    with audit_context(actor=actor):
        award.save()
    if check_approvals:
        recheck_approvals(cases_affected_by(award), actor=actor, now=now)
    return award


@transaction.atomic
def update_award(
    *,
    actor,
    award: Award,
    key: str,
    award_type: str,
    basis: str,
    performance_start: date,
    performance_end: date,
    received: Decimal,
    unit: str = Award.Unit.USD,
    measure: Measure | None = None,
    measure_period: str = "",
    formula: dict | None = None,
    value_per_unit: Decimal | None = None,
    requires_estimate: bool = False,
    grant_date: date | None = None,
    approval_date: date | None = None,
    vesting_date: date | None = None,
    settlement_date: date | None = None,
    units_sold: Decimal | None = None,
    sale_price: Decimal | None = None,
    notes: str = "",
    executive: Executive | None = None,
    now: datetime | None = None,
    check_approvals: bool = True,
) -> Award:
    """Change an award; every term is given again (the form and the API send the whole record). The award
    is an input of every case covering its executive (before and after a move to another executive): an
    approval resting on the old terms is withdrawn at once."""
    executives = {award.executive_id}
    if executive is not None:
        award.executive = executive
    executives.add(award.executive_id)
    _assign(award, locals())
    _clean_award(award)
    with audit_context(actor=actor):
        award.save()
    if check_approvals:
        recheck_approvals(cases_using_executives(executives), actor=actor, now=now)
    return award


def _assign(award: Award, values: dict) -> None:
    for field in _AWARD_TERMS:
        setattr(award, field, values[field])
    award.measure_period = award.measure_period or ""
    award.notes = award.notes or ""


# --- Restatements ---------------------------------------------------------------------------------


def _check_case_links(
    company: Company, *, covered: Sequence[Executive], measures: Sequence[Measure], policy
) -> dict:
    errors: dict[str, list[str]] = {}
    if any(x.company_id != company.pk for x in covered):
        errors["covered_executives"] = ["Every covered executive must belong to the company."]
    if any(m.company_id != company.pk for m in measures):
        errors["measures_restated"] = ["Every restated measure must belong to the company."]
    if policy is not None and policy.kind != PolicyVersion.Kind.CLAWBACK:
        errors["policy_version"] = ["Choose a version of the clawback policy."]
    elif policy is not None and policy.approved_on is None:
        errors["policy_version"] = ["That version of the policy has not been approved."]
    return errors


@transaction.atomic
def record_restatement(
    *,
    actor,
    company: Company,
    title: str,
    kind: str,
    today: date,
    description: str = "",
    periods_restated: str = "",
    measures_restated: Sequence[Measure] = (),
    covered_executives: Sequence[Executive] = (),
    policy_version: PolicyVersion | None = None,
    administering_body: str = "committee",
) -> Restatement:
    """Record an accounting restatement and open its case (rules.md §1.3). Without a policy version,
    the clawback policy in force on `today` is recorded (policy "Effective Date")."""
    if policy_version is None:
        policy_version = policy_in_force(PolicyVersion.Kind.CLAWBACK, on=today)
    restatement = Restatement(
        company=company,
        title=title,
        kind=kind,
        description=description,
        periods_restated=periods_restated,
        policy_version=policy_version,
        administering_body=administering_body,
    )
    errors = _collect(lambda: restatement.full_clean())
    for field, messages in _check_case_links(
        company, covered=covered_executives, measures=measures_restated, policy=policy_version
    ).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    with audit_context(actor=actor):
        restatement.save()
        restatement.covered_executives.set(covered_executives)
        restatement.measures_restated.set(measures_restated)
        record_action(
            actor=actor,
            verb="case-scope-recorded",
            obj=restatement,
            details={
                "covered_executives": sorted(x.key for x in covered_executives),
                "measures_restated": sorted(m.key for m in measures_restated),
            },
        )
    return restatement


@transaction.atomic
def update_restatement(
    *,
    actor,
    restatement: Restatement,
    title: str,
    kind: str,
    description: str = "",
    periods_restated: str = "",
    measures_restated: Sequence[Measure] = (),
    covered_executives: Sequence[Executive] = (),
    policy_version: PolicyVersion | None = None,
    administering_body: str = "committee",
    reason: str = "",
    now: datetime | None = None,
) -> Restatement:
    """Change a restatement's facts. After sign-off a reason is required (it goes on the audit trail). The
    kind and the covered executives are inputs of the case: a change withdraws its approval at once."""
    if restatement.is_signed_off() and not reason.strip():
        raise ValidationError({"reason": "A reason is required to change a case after sign-off."})
    restatement.title, restatement.kind, restatement.description = title, kind, description
    restatement.periods_restated, restatement.policy_version = periods_restated, policy_version
    restatement.administering_body = administering_body
    errors = _collect(lambda: restatement.full_clean())
    for field, messages in _check_case_links(
        restatement.company, covered=covered_executives, measures=measures_restated, policy=policy_version
    ).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    before = (
        sorted(restatement.covered_executives.values_list("key", flat=True)),
        sorted(restatement.measures_restated.values_list("key", flat=True)),
    )
    after = (sorted(x.key for x in covered_executives), sorted(m.key for m in measures_restated))
    with audit_context(actor=actor, reason=reason.strip() or None):
        restatement.save()
        if before != after:
            restatement.covered_executives.set(covered_executives)
            restatement.measures_restated.set(measures_restated)
            record_action(
                actor=actor,
                verb="case-scope-changed",
                obj=restatement,
                details={
                    "covered_executives": [before[0], after[0]],
                    "measures_restated": [before[1], after[1]],
                },
                reason=reason.strip(),
            )
    recheck_approvals(cases_affected_by(restatement), actor=actor, now=now)
    return restatement


def _clean_event(event: RestatementEvent) -> None:
    errors = {}
    if event.kind == RestatementEvent.Kind.SHOULD_HAVE_CONCLUDED and not (event.rationale or "").strip():
        # rules.md §1.4: a "reasonably should have concluded" date is a judgment; record why.
        errors["rationale"] = ["Explain why the company reasonably should have concluded on this date."]
    if errors:
        raise ValidationError(errors)
    event.rationale = (event.rationale or "").strip()
    event.full_clean()


@transaction.atomic
def add_restatement_event(
    *,
    actor,
    restatement: Restatement,
    kind: str,
    date: date,
    rationale: str = "",
    reason: str = "",
    now: datetime | None = None,
) -> RestatementEvent:
    """Record a dated event (rules.md §1.4); the earliest conclusion or direction sets the date the
    company was required to prepare the restatement. Events are inputs of the case: a new one withdraws
    its approval at once."""
    event = RestatementEvent(restatement=restatement, kind=kind, date=date, rationale=rationale)
    _clean_event(event)
    with audit_context(actor=actor, reason=reason or None):
        event.save()
    recheck_approvals(cases_affected_by(event), actor=actor, now=now)
    return event


@transaction.atomic
def update_restatement_event(
    *,
    actor,
    event: RestatementEvent,
    kind: str,
    date: date,
    rationale: str = "",
    reason: str = "",
    now: datetime | None = None,
) -> RestatementEvent:
    """Correct a recorded event; after sign-off with a reason. The change withdraws the case's approval at
    once when it moves an input (the kind or the date)."""
    if event.restatement.is_signed_off() and not reason.strip():
        raise ValidationError({"reason": "A reason is required to change a case after sign-off."})
    event.kind, event.date, event.rationale = kind, date, rationale
    _clean_event(event)
    with audit_context(actor=actor, reason=reason.strip() or None):
        event.save()
    recheck_approvals(cases_affected_by(event), actor=actor, now=now)
    return event


# --- Policy acknowledgements ----------------------------------------------------------------------


@transaction.atomic
def record_policy_acknowledgement(
    *,
    actor,
    policy: PolicyVersion,
    executive: Executive,
    acknowledged_at: datetime,
    evidence: str,
    now: datetime | None = None,
) -> PolicyAcknowledgement:
    """Record that an executive officer acknowledged a version of the clawback policy, from the evidence of
    it (policy "Other Recovery Rights": award agreements may require the executive to agree to the policy).

    The record names the executive, not a sign-in, so a former executive who never had one (a paper
    acknowledgement) is recorded like anyone else. Once per executive and version: an acknowledgement the
    executive gave signed in counts as theirs. Not in the future, not before the version was approved."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if policy.kind != PolicyVersion.Kind.CLAWBACK:
        errors["policy"] = ["Choose a version of the clawback policy."]
    elif policy.approved_on is None:
        errors["policy"] = ["That version of the policy has not been approved."]
    if acknowledged_at is not None and acknowledged_at > now:
        errors["acknowledged_at"] = ["This time is in the future."]
    elif acknowledged_at is not None and policy.approved_on and acknowledged_at.date() < policy.approved_on:
        errors["acknowledged_at"] = [
            f"{policy} was approved on {policy.approved_on:%Y-%m-%d}; it cannot be acknowledged before."
        ]
    if not (evidence or "").strip():
        errors["evidence"] = [
            "Say what shows the acknowledgement (the signed form, letter or award agreement, and where it is "
            "filed)."
        ]
    given = PolicyAcknowledgement.objects.filter(policy=policy, executive=executive)
    if executive.user_id is not None:
        given = given | PolicyAcknowledgement.objects.filter(policy=policy, user_id=executive.user_id)
    if given.exists():
        errors.setdefault("executive", []).append(f"{executive.name} has already acknowledged {policy}.")
    if errors:
        raise ValidationError(errors)
    acknowledgement = PolicyAcknowledgement(
        policy=policy,
        executive=executive,
        acknowledged_at=acknowledged_at,
        evidence=evidence.strip(),
        recorded_by=actor,
    )
    acknowledgement.full_clean()
    with audit_context(actor=actor):
        acknowledgement.save()
    return acknowledgement


# --- Helpers --------------------------------------------------------------------------------------


def _messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _errors_of(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            field: [str(m) for e in errors for m in e.messages] for field, errors in exc.error_dict.items()
        }
    return {"__all__": _messages(exc)}


def _collect(check) -> dict[str, list[str]]:
    """Run a check, returning its ValidationError as {field: [messages]} (empty when it passes), so every
    problem of a record is reported at once rather than the first one only."""
    try:
        check()
    except ValidationError as exc:
        return _errors_of(exc)
    return {}


def _collect_value(errors: dict, compute):
    """compute(), or None with its errors merged into `errors`."""
    try:
        return compute()
    except ValidationError as exc:
        for field, messages in _errors_of(exc).items():
            errors.setdefault(field, []).extend(messages)
        return None
