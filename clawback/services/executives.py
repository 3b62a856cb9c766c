"""Executives and their officer service (Rule 10D-1(d), Rule 16a-1(f); docs/clawback-rules §1.2).

An edit changes only what it names: a period of service given with its id (or, from the API, with the start
date of a period already on record) is updated; one without is added; a period left out is kept. Removing a
period is its own action with a reason (`voiding.void_officer_period`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from compliance_site.audit.recorder import audit_context
from compliance_site.company.models import Company, FiscalPeriod

from ..models import Executive, NamedExecutiveYear, OfficerPeriod
from .approvals import cases_affected_by, recheck_approvals
from .errors import collect, collect_value
from .walls import check_may_change_inputs


def check_service_history(spans: Sequence[dict]) -> None:
    """Dated spans of executive-officer service; none may overlap and at least one must exist: the scope
    test asks who was an officer *during* a performance period, so the history must be exact."""
    spans = sorted(spans, key=lambda p: p["start"])
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


def _plan_periods(executive: Executive | None, periods: Sequence[dict]) -> list[tuple[OfficerPeriod, dict]]:
    """Pair each given period with the row it changes (by id, else by start date) or a new row."""
    existing = list(executive.officer_periods.all()) if executive is not None and executive.pk else []
    by_id = {p.pk: p for p in existing}
    by_start = {p.start: p for p in existing}
    plan: list[tuple[OfficerPeriod, dict]] = []
    problems = []
    for item in periods:
        span = {"start": item["start"], "end": item.get("end"), "title": (item.get("title") or "").strip()}
        pk = item.get("id")
        if pk:
            row = by_id.get(int(pk))
            if row is None:
                problems.append(
                    f"The period starting {span['start']:%Y-%m-%d} is not one of this executive's."
                )
                continue
        else:
            row = by_start.get(span["start"]) or OfficerPeriod(executive=executive)
        plan.append((row, span))
    if problems:
        raise ValidationError({"officer_periods": problems})
    return plan


def _merged_history(executive: Executive | None, plan) -> list[dict]:
    changed = {row.pk for row, _ in plan if row.pk}
    kept = [
        {"start": p.start, "end": p.end}
        for p in (executive.officer_periods.all() if executive is not None and executive.pk else [])
        if p.pk not in changed
    ]
    return kept + [{"start": s["start"], "end": s["end"]} for _, s in plan]


def _clean_neo_years(company: Company, years: Iterable[str]) -> list[str]:
    """Fiscal years in which the person was a named executive officer (Item 402(w) reports per NEO); each
    must be a fiscal period of the company's calendar."""
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
                    f"No fiscal period is labelled {year}; add it to the company's fiscal calendar first."
                    for year in unknown
                ]
            }
        )
    return cleaned


def _apply_periods(executive: Executive, plan) -> None:
    for row, span in plan:
        if row.pk and (row.start, row.end, row.title) == (span["start"], span["end"], span["title"]):
            continue  # unchanged: no write, no audit event
        row.executive = executive
        row.start, row.end, row.title = span["start"], span["end"], span["title"]
        row.full_clean()
        row.save()


def _sync_neo_years(executive: Executive, years: list[str] | None) -> None:
    if years is None:
        return
    existing = {y.fiscal_year: y for y in executive.neo_years.all()}
    for year in years:
        if year not in existing:
            NamedExecutiveYear.objects.create(executive=executive, fiscal_year=year)
    for label, row in existing.items():
        if label not in years:
            row.delete()


def _save_executive(executive: Executive, *, actor, officer_periods, neo_years) -> None:
    """Check the executive, the service history after the change and the NEO years (every problem at once),
    then save them."""
    company = executive.company
    errors = collect(lambda: executive.full_clean())
    plan = collect_value(errors, lambda: _plan_periods(executive, officer_periods)) or []
    if "officer_periods" not in errors:
        collect_value(errors, lambda: check_service_history(_merged_history(executive, plan)))
    years = None
    if neo_years is not None:
        years = collect_value(errors, lambda: _clean_neo_years(company, neo_years))
    if errors:
        raise ValidationError(errors)
    with audit_context(actor=actor):
        executive.save()
        _apply_periods(executive, plan)
        _sync_neo_years(executive, years)


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
    _save_executive(executive, actor=actor, officer_periods=officer_periods, neo_years=neo_years)
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
    officer_periods: Sequence[dict] = (),
    neo_years: Iterable[str] | None = None,
    now: datetime | None = None,
    check_approvals: bool = True,
) -> Executive:
    """Change an executive's record. Officer periods given are added or changed, none is removed (see the
    module docstring); NEO years, when given, are the whole list. The officer service is an input of every
    case covering the executive: an approval resting on the old one is withdrawn at once. `check_approvals`
    is False for a caller that rechecks the affected cases itself once (the importer)."""
    check_may_change_inputs(actor, executive)
    executive.key, executive.name, executive.title, executive.user = key, name, title, user
    _save_executive(executive, actor=actor, officer_periods=officer_periods, neo_years=neo_years)
    if check_approvals:
        recheck_approvals(cases_affected_by(executive), actor=actor, now=now)
    return executive
