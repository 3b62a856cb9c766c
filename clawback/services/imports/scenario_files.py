"""A scenario file (`clawback-scenario/1` or `/2`) imported as a draft case, after a preview."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from compliance_site.company.models import Company, FiscalPeriod
from compliance_site.company.services import add_fiscal_period

from ...models import Award, Executive, Measure, Restatement
from ...recovery import RecoveryResult, Scenario, evaluate
from ...scenario import load_scenario
from ..scenarios import award_key_conflicts, import_scenario


@dataclass(frozen=True)
class ScenarioPreview:
    scenario: Scenario
    result: RecoveryResult
    reused: dict[str, list[str]]  # records that exist under the same keys and are kept as they are
    # Fiscal periods that contradict the company's calendar, award keys another executive of the company
    # already uses: the import is refused.
    conflicts: list[str]


def preview_scenario_import(*, company: Company, text: str | bytes) -> ScenarioPreview:
    """What importing a scenario file as a draft case would do. Raises ScenarioError for a bad file."""
    scenario = load_scenario(text)
    result = evaluate(scenario)
    executive_keys = [x.id for x in scenario.executives]
    measure_keys = [m.key for m in scenario.measures]
    award_keys = [a.id for a in scenario.awards]
    reused = {
        "executives": sorted(
            Executive.objects.filter(company=company, key__in=executive_keys).values_list("key", flat=True)
        ),
        "measures": sorted(
            Measure.objects.filter(company=company, key__in=measure_keys).values_list("key", flat=True)
        ),
        "awards": sorted(
            Award.objects.filter(company=company, key__in=award_keys).values_list("key", flat=True)
        ),
    }
    conflicts = []
    calendar = list(FiscalPeriod.objects.filter(company=company))
    by_label = {p.label: p for p in calendar}
    for period in scenario.fiscal_periods:
        same = by_label.get(period.label)
        if same is not None:
            if (same.start, same.end) != (period.start, period.end):
                conflicts.append(
                    f"{period.label} is {same.start} to {same.end} in the company's calendar, "
                    f"{period.start} to {period.end} in the file."
                )
            continue
        for other in calendar:
            if other.start <= period.end and other.end >= period.start:
                conflicts.append(f"{period.label} ({period.start} to {period.end}) overlaps {other}.")
    conflicts += award_key_conflicts(company, scenario)
    return ScenarioPreview(scenario=scenario, result=result, reused=reused, conflicts=conflicts)


@transaction.atomic
def import_scenario_file(
    *, actor, company: Company, text: str | bytes, title: str, now: datetime | None = None
) -> Restatement:
    """Import a scenario file as a draft case (`services.scenarios.import_scenario`), refusing a file
    whose fiscal periods contradict the company's calendar (the case could not be evaluated)."""
    preview = preview_scenario_import(company=company, text=text)
    if preview.conflicts:
        raise ValidationError({"file": preview.conflicts})
    if not title.strip():
        raise ValidationError({"title": "Give the case a title."})
    # The calendar goes through the company's own service (overlap check, audit trail) first, so
    # import_scenario finds every period and only adds the clawback records.
    known = set(FiscalPeriod.objects.filter(company=company).values_list("label", flat=True))
    for period in preview.scenario.fiscal_periods:
        if period.label not in known:
            add_fiscal_period(
                actor=actor,
                company=company,
                label=period.label,
                start=period.start,
                end=period.end,
                transition=period.transition,
            )
    return import_scenario(
        actor=actor, company=company, scenario=preview.scenario, title=title.strip(), now=now
    )
