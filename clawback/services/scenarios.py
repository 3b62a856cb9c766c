"""Clawback workflows. Each business action is one function, called by views, the API, admin and tasks."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from compliance_site.audit.recorder import audit_context
from compliance_site.company.models import Company, FiscalPeriod, PolicyVersion
from compliance_site.company.selectors import policy_in_force
from compliance_site.lib.timefmt import EXCHANGE_TZ

from ..models import (
    Award,
    AwardComponent,
    AwardCredit,
    Executive,
    Measure,
    MeasureValue,
    OfficerPeriod,
    ReasonableEstimate,
    RestatedValue,
    Restatement,
    RestatementEvent,
)
from ..recovery import RecoveryResult, Scenario, evaluate, required_to_prepare
from ..recovery import RestatementEvent as EngineEvent
from ..scenario import load_scenario, parse_scenario, result_to_json, scenario_to_json
from .awards import award_document


@dataclass(frozen=True)
class WhatIf:
    scenario: Scenario
    result: RecoveryResult
    result_json: dict


def run_whatif(*, text: str | bytes) -> WhatIf:
    """Evaluate a scenario file without saving anything (the committee sizing its exposure early).

    Raises clawback.scenario.ScenarioError listing every problem with its JSON path.
    """
    scenario = load_scenario(text)
    result = evaluate(scenario)
    return WhatIf(scenario=scenario, result=result, result_json=result_to_json(result))


def award_key_conflicts(company: Company, scenario: Scenario) -> list[str]:
    """Awards of the file whose key the company already uses for another executive's award: award keys are
    unique in a company (a case's scenario names awards by key), so such a file cannot be imported."""
    owners = dict(
        Award.objects.filter(company=company, key__in=[a.id for a in scenario.awards]).values_list(
            "key", "executive__key"
        )
    )
    return [
        f"Award {a.id} belongs to executive {owners[a.id]} in the company, not to {a.executive}."
        for a in scenario.awards
        if a.id in owners and owners[a.id] != a.executive
    ]


@transaction.atomic
def import_scenario(
    *, actor, company: Company, scenario: Scenario, title: str, now: datetime | None = None
) -> Restatement:
    """Create a draft case from a scenario file: fiscal periods, executives, measures, awards, the
    restatement and its events. Records that already exist under the same keys are reused, never changed.
    An award new to an executive other cases cover is an input of those cases: their approvals are checked
    at once (`records.recheck_approvals`)."""
    from .records import cases_using_executives, recheck_approvals

    conflicts = award_key_conflicts(company, scenario)
    if conflicts:
        raise ValidationError({"file": conflicts})
    data = scenario_to_json(scenario)
    with audit_context(actor=actor):
        for period in scenario.fiscal_periods:
            FiscalPeriod.objects.get_or_create(
                company=company,
                label=period.label,
                defaults={"start": period.start, "end": period.end, "transition": period.transition},
            )
        executives = {}
        for item in data["executives"]:
            executive, created = Executive.objects.get_or_create(
                company=company, key=item["id"], defaults={"name": item["name"]}
            )
            if created:
                for span in item["officer_periods"]:
                    OfficerPeriod.objects.create(executive=executive, start=span["start"], end=span["end"])
            executives[item["id"]] = executive
        measures = {}
        for key, item in data["measures"].items():
            measure, _ = Measure.objects.get_or_create(
                company=company,
                key=key,
                defaults={"name": _measure_name(key), "category": item["category"]},
            )
            for label, value in item["values"].items():
                MeasureValue.objects.get_or_create(
                    measure=measure, period_label=label, defaults={"original": value["original"]}
                )
            measures[key] = measure
        for item in data["awards"]:
            award, created = Award.objects.get_or_create(
                executive=executives[item["executive"]],
                key=item["id"],
                defaults=_award_defaults(item, measures),
            )
            if created:
                for position, goal in enumerate((item.get("scorecard") or {}).get("components", [])):
                    AwardComponent.objects.create(
                        award=award, position=position, **_goal_fields(goal, measures)
                    )
                for credit in item.get("already_recovered", []):
                    AwardCredit.objects.create(
                        award=award,
                        amount=Decimal(credit["amount"]),
                        recovered_on=credit["on"],
                        source=credit["source"],
                        reference=credit.get("reference") or "Imported from a scenario file.",
                        recorded_by=actor,
                        recorded_at=now or timezone.now(),
                    )
        # The policy version in force on the day of the import (policy "Effective Date").
        restatement = Restatement(
            company=company,
            title=title,
            kind=data["restatement"]["kind"],
            policy_version=policy_in_force(
                PolicyVersion.Kind.CLAWBACK, on=(now or timezone.now()).astimezone(EXCHANGE_TZ).date()
            ),
        )
        restatement.full_clean()
        restatement.save()
        # The file's restated figures are this case's own.
        for key, item in data["measures"].items():
            for label, value in item["values"].items():
                if value.get("restated") is not None:
                    RestatedValue.objects.create(
                        restatement=restatement,
                        value=MeasureValue.objects.get(measure=measures[key], period_label=label),
                        restated=value["restated"],
                        source="Imported from a scenario file.",
                    )
        for event in data["restatement"]["events"]:
            RestatementEvent.objects.create(
                restatement=restatement,
                kind=event["kind"],
                date=event["date"],
                label=event.get("label", ""),
                rationale=event.get("rationale", "")
                or ("Imported from a scenario file." if event["kind"] == "should_have_concluded" else ""),
            )
        restatement.covered_executives.set(executives.values())
    recheck_approvals(
        cases_using_executives(x.pk for x in executives.values()).exclude(pk=restatement.pk),
        actor=actor,
        now=now,
    )
    return restatement


def _award_defaults(item: dict, measures: dict) -> dict:
    scorecard = item.get("scorecard")
    return {
        "award_type": item["type"],
        "basis": item["basis"],
        "performance_start": item["performance_period"]["start"],
        "performance_end": item["performance_period"]["end"],
        "measure": measures.get(item.get("measure")),
        "measure_period": item.get("measure_period") or "",
        "formula": item.get("formula"),
        "scorecard_target": scorecard["target"] if scorecard else None,
        "scorecard_cap_factor": scorecard.get("cap_factor") if scorecard else None,
        "unit": item["unit"],
        "received": item["received"],
        "value_per_unit": item.get("value_per_unit"),
        "requires_estimate": item.get("requires_estimate", False),
    }


def _goal_fields(goal: dict, measures: dict) -> dict:
    if "measure" in goal:
        return {
            "basis": AwardComponent.Basis.FINANCIAL_REPORTING_MEASURE,
            "measure": measures[goal["measure"]],
            "measure_period": goal["measure_period"],
            "weight": goal["weight"],
            "points": goal["points"],
        }
    return {"basis": goal["basis"], "weight": goal["weight"], "factor": goal["factor"]}


_ACRONYMS = {"ebitda", "eps", "tsr", "roic", "roa", "eva", "ffo", "affo", "h1", "h2", "q1", "q2", "q3", "q4"}


def _measure_name(key: str) -> str:
    """A readable name for a measure known only by its key: net_income_h1 -> "Net income H1"."""
    words = [w.upper() if w.lower() in _ACRONYMS else w for w in key.replace("-", "_").split("_") if w]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def scenario_with_estimates(case: Restatement) -> Scenario:
    """The case's inputs as a determination freezes them, the worksheet shows them and an export carries
    them: `scenario_for_restatement` with the committee's recorded reasonable estimates on the matching
    awards (Rule 10D-1(b)(1)(iii)(A)) and every award it designated flagged `requires_estimate`. Raises
    ScenarioError while the case's records cannot form a scenario."""
    # A draft case may not have its required-to-prepare date yet: the worksheet says so rather than refuse.
    return parse_scenario(case_document(case), require_restatement_date=False)


def scenario_for_restatement(restatement: Restatement) -> Scenario:
    """The case as the engine sees it (estimates included): the same Scenario a scenario file would give, so
    a case in the database and a file are evaluated the same way and a case can be exported and
    re-evaluated."""
    return parse_scenario(case_document(restatement), require_restatement_date=False)


def case_document(restatement: Restatement) -> dict:
    """The case as a `clawback-scenario/2` document: its own restated values only, scorecard goals, the
    amounts already recovered under anything but this case, and the committee's estimates.

    The fiscal calendar stops at the period in progress on the required-to-prepare date: the look-back
    takes only periods completed before it (docs/clawback-rules.md §1.5), so a later period cannot change the
    analysis, and recording next year's period must not withdraw an approval resting on the case's inputs."""
    company = restatement.company
    events = list(restatement.events.order_by("date", "id"))
    required = required_to_prepare(EngineEvent(kind=e.kind, date=e.date) for e in events)
    periods = company.fiscal_periods.order_by("start")
    if required is not None:
        periods = periods.filter(start__lte=required[0])
    executives = list(
        restatement.covered_executives.prefetch_related(
            "officer_periods",
            Prefetch(
                "awards", queryset=Award.objects.select_related("measure").order_by("performance_end", "key")
            ),
            Prefetch("awards__components", queryset=AwardComponent.objects.select_related("measure")),
            Prefetch("awards__credits", queryset=AwardCredit.objects.exclude(under_case=restatement)),
        ).order_by("key")
    )
    awards = [award for executive in executives for award in executive.awards.all()]
    measure_ids = {award.measure_id for award in awards if award.measure_id}
    measure_ids |= {c.measure_id for award in awards for c in award.components.all() if c.measure_id}
    measures = Measure.objects.filter(id__in=measure_ids).prefetch_related("values").order_by("key")
    restated = {
        r.value_id: r.restated
        for r in RestatedValue.objects.filter(restatement=restatement, value__measure_id__in=measure_ids)
    }
    estimates = {
        e.award_id: e for e in ReasonableEstimate.objects.filter(restatement=restatement, award__in=awards)
    }
    data = {
        "format": "clawback-scenario/2",
        "company": {
            "name": company.name,
            "fiscal_periods": [
                {
                    "label": p.label,
                    "start": p.start.isoformat(),
                    "end": p.end.isoformat(),
                    "transition": p.transition,
                }
                for p in periods
            ],
        },
        "restatement": {"kind": restatement.kind, "events": [_event_json(e) for e in events]},
        "measures": {
            m.key: {
                "category": m.category,
                "values": {
                    v.period_label: {"original": _dec(v.original)}
                    | ({"restated": _dec(restated[v.pk])} if v.pk in restated else {})
                    for v in m.values.all()
                },
            }
            for m in measures
        },
        "executives": [
            {
                "id": x.key,
                "name": x.name,
                "officer_periods": [
                    {"start": p.start.isoformat(), "end": p.end.isoformat() if p.end else None}
                    for p in x.officer_periods.all()
                ],
            }
            for x in executives
        ],
        "awards": [
            _award_json(a, executive_key=x.key, estimate=estimates.get(a.pk))
            for x in executives
            for a in x.awards.all()
        ],
    }
    if company.listed_since:
        data["company"]["listed_periods"] = [
            {
                "start": company.listed_since.isoformat(),
                "end": company.delisted_on.isoformat() if company.delisted_on else None,
            }
        ]
    return data


def _event_json(event: RestatementEvent) -> dict:
    item = {"kind": event.kind, "date": event.date.isoformat()}
    if event.kind == RestatementEvent.Kind.OTHER:
        item["label"] = event.label
    return item


def _dec(value) -> str:
    # Strip the column's trailing zeros: 240000000.000000 -> "240000000".
    return format(Decimal(value).normalize(), "f")


def _award_json(award: Award, *, executive_key: str, estimate: ReasonableEstimate | None) -> dict:
    item = award_document(
        key=award.key,
        executive_key=executive_key,
        award_type=award.award_type,
        basis=award.basis,
        performance_start=award.performance_start,
        performance_end=award.performance_end,
        measure_key=award.measure.key if award.measure_id else None,
        measure_period=award.measure_period,
        formula=award.formula,
        unit=award.unit,
        received=award.received,
        value_per_unit=award.value_per_unit,
        requires_estimate=award.requires_estimate,
        scorecard_target=award.scorecard_target,
        scorecard_cap_factor=award.scorecard_cap_factor,
        components=[
            {
                "basis": c.basis,
                "measure": c.measure,
                "measure_period": c.measure_period,
                "weight": c.weight,
                "points": c.points,
                "factor": c.factor,
            }
            for c in award.components.all()
        ],
    )
    credits = list(award.credits.all())
    if credits:
        item["already_recovered"] = [
            {
                "amount": _dec(c.amount),
                "on": c.recovered_on.isoformat(),
                "source": c.source,
                "reference": c.reference,
            }
            for c in credits
        ]
    if estimate is not None:
        documents = [line.strip() for line in estimate.documents.splitlines() if line.strip()]
        item["estimate"] = {
            "method": estimate.method.strip(),
            "documents": documents,
            "adopted_on": estimate.adopted_on.isoformat(),
        }
        if award.is_scorecard:
            item["estimate"]["restated_values"] = {
                k: _dec(v) for k, v in (estimate.restated_values or {}).items()
            }
        else:
            item["estimate"]["restated_value"] = _dec(estimate.restated_value)
    return item
