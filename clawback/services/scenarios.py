"""Clawback workflows. Each business action is one function, called by views, the API, admin and tasks."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
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
    RestatedValue,
    Restatement,
    RestatementEvent,
)
from ..recovery import RecoveryResult, Scenario, evaluate
from ..scenario import load_scenario, result_to_json, scenario_to_json
from .approvals import cases_using_executives, recheck_approvals
from .case_documents import case_document, scenario_for_restatement, scenario_with_estimates
from .walls import check_may_change_inputs, check_may_cover


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
    conflicts = award_key_conflicts(company, scenario)
    if conflicts:
        raise ValidationError({"file": conflicts})
    _check_walls(actor, company, scenario)
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


def _check_walls(actor, company: Company, scenario: Scenario) -> None:
    """Before anything is written: the new case covers the file's executives (never the actor), and a new
    award of an executive on record, or a new value of a measure on record, is a change of the cases reading
    them (`walls`)."""
    executives = {
        x.key: x
        for x in Executive.objects.filter(company=company, key__in=[x.id for x in scenario.executives])
    }
    check_may_cover(actor, executives.values())
    known_awards = set(
        Award.all_objects.filter(company=company, key__in=[a.id for a in scenario.awards]).values_list(
            "key", flat=True
        )
    )
    for item in scenario.awards:
        if item.id not in known_awards and item.executive in executives:
            check_may_change_inputs(actor, executives[item.executive])
    measures = Measure.objects.filter(company=company, key__in=[m.key for m in scenario.measures])
    for measure in measures.prefetch_related("values"):
        labels = {v.period_label for v in measure.values.all()}
        given = next(m for m in scenario.measures if m.key == measure.key)
        if any(label not in labels for label in given.values):
            check_may_change_inputs(actor, measure)


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


# The case as the engine sees it lives beside the other builders of a case's documents.
__all__ = [
    "WhatIf",
    "award_key_conflicts",
    "case_document",
    "import_scenario",
    "run_whatif",
    "scenario_for_restatement",
    "scenario_with_estimates",
]
