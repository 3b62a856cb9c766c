"""Awards by spreadsheet, with their scorecard goals and the amounts already recovered.

- Awards: one row per award; an existing key updates it (a column left out of the file keeps its value).
- A scorecard award (several weighted goals) gives `scorecard_target` instead of a measure and formula; its
  goals are rows of the award goals columns (`award`, `goal`, ...) on the workbook's "goals" sheet, or in a
  goals CSV chosen with the awards CSV: one upload creates the award with its goals (the award services
  refuse a scorecard award without goals).
- Award goals on their own: goals of awards already recorded. Goal N is the award's N-th goal: a number the
  award has changes that goal, the next numbers add goals, goals left out are kept (a goal is voided, with
  a reason, on the award's page).
- Amounts already recovered: one credit a row (`record_award_credit`); a row equal to a credit on record is
  not added twice, so re-importing a file never credits the same recovery twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial

from ...models import Award, AwardComponent, Executive, Measure
from .. import records
from ..case_documents import goal_terms
from .columns import GOALS_SHEET
from .report import Run, group_by, report_fields, save_keyed, save_row

# What a row of the sheet is saved with: (create, update).
_SERVICES = (records.create_award, records.update_award)

FRM = AwardComponent.Basis.FINANCIAL_REPORTING_MEASURE
# The award terms each read from the column of their name; the key, measure and formula are read apart.
_TERMS = tuple(name for name in records.AWARD_TERMS if name not in ("key", "measure", "formula"))
_DEFAULTS = {"unit": Award.Unit.USD, "measure_period": "", "notes": "", "requires_estimate": False}
_FORMULA_COLUMNS = ("target", "points", "rate", "offset", "cap")
_GOAL_MESSAGE = re.compile(r"Goal (\d+)(?:, ([^:]+))?: ")
_GOAL_FIELDS = {"measure period": "measure_period"}
_BAD = object()


def apply_awards(run: Run, rows) -> None:
    executives = {x.key: x for x in Executive.objects.filter(company=run.company)}
    measures = {m.key: m for m in Measure.objects.filter(company=run.company)}
    existing = {a.key: a for a in Award.objects.filter(company=run.company).select_related("executive")}
    goals = group_by(run.goal_rows, "award")
    seen: dict[str, int] = {}
    for number, row in rows:
        key = row["key"] or ""
        if key in seen:
            run.error(number, "key", f"repeats the award of row {seen[key]}")
            continue
        seen[key] = number
        goal_rows = goals.pop(key, [])
        if run.has_bad_cell(goal_rows, GOALS_SHEET):
            continue
        executive = executives.get(row["executive"] or "")
        if executive is None:
            run.error(number, "executive", f"no executive has key {row['executive']!r}")
            continue
        measure = None
        if row["measure"]:
            measure = measures.get(row["measure"])
            if measure is None:
                run.error(number, "measure", f"no measure has key {row['measure']!r}")
                continue
        formula = _formula(run, number, row)
        if formula is _BAD:
            continue
        award = existing.get(key)
        terms = _terms(run, row, measure=measure, formula=formula, creating=award is None)
        scorecard = terms["scorecard_target"] if "scorecard_target" in terms else award.scorecard_target
        if goal_rows and scorecard is None:
            for goal_row, _ in goal_rows:
                run.error(
                    goal_row,
                    "award",
                    f"award {key} has no scorecard_target: give it on the awards sheet",
                    GOALS_SHEET,
                )
            continue
        if award is None and scorecard is not None and not goal_rows:
            run.error(
                number,
                "scorecard_target",
                "a scorecard award needs its goals: put them on the 'goals' sheet of the workbook "
                "(with a CSV file, choose the goals file with it)",
            )
            continue
        plan = _plan_goals(run, award, key, goal_rows, measures, sheet=GOALS_SHEET)
        if plan is None:
            continue
        on_error = partial(_award_errors, run, number, plan.rows, GOALS_SHEET, False)
        arguments = terms | {
            "actor": run.actor,
            "executive": executive,
            "components": plan.components,
            "now": run.now,
            "check_approvals": False,
        }
        if award is not None:
            # An award the file leaves as it is is not saved again: no audit entry, no approval recheck.
            if _unchanged(award, executive, terms, plan):
                run.report.updated.append(key)
                continue
            arguments["award"] = award
        save_keyed(run, existing, key, arguments, _SERVICES, row=number, on_error=on_error)
    # Goals of awards the awards sheet does not name: as the award goals import.
    for key, goal_rows in goals.items():
        _apply_goal_group(run, existing.get(key), key, goal_rows, measures, sheet=GOALS_SHEET)


def _unchanged(award: Award, executive: Executive, terms: dict, plan: GoalPlan) -> bool:
    """Whether the row says what the award already holds (decimals compared by value: 1200000 is
    1200000.0000)."""
    if award.executive_id != executive.pk or plan.added:
        return False
    for name, value in terms.items():
        current = getattr(award, name)
        if name == "measure":
            if (current.pk if current else None) != (value.pk if value else None):
                return False
        elif current != value:
            return False
    goals = {c.pk: c for c in award.components.all()}
    for goal in plan.components:
        current = goals.get(goal.get("id"))
        if current is None:
            return False
        for name, value in goal.items():
            if name == "id":
                continue
            if name == "measure":
                if current.measure_id != (value.pk if value else None):
                    return False
            elif getattr(current, name) != value:
                return False
    return True


def _terms(run: Run, row: dict, *, measure, formula, creating: bool) -> dict:
    """The award's terms from the row; updating, a column the file leaves out keeps its value."""
    terms = {"key": row["key"]}
    for name in _TERMS:
        if creating or name in run.header:
            value = row[name]
            terms[name] = _DEFAULTS[name] if value is None and name in _DEFAULTS else value
    if creating or "measure" in run.header:
        terms["measure"] = measure
    if creating or "formula_kind" in run.header:
        terms["formula"] = formula
    return terms


def _formula(run: Run, number: int, row: dict):
    kind = row["formula_kind"]
    if kind is None:
        given = [name for name in _FORMULA_COLUMNS if row[name] is not None]
        if given:
            run.error(
                number, "formula_kind", f"is required when {', '.join(given)} is given: curve or linear"
            )
            return _BAD
        return None
    if kind == "curve":
        formula = {"kind": "curve", "points": row["points"] or []}
        if row["target"] is not None:
            formula["target"] = format(row["target"], "f")
        return formula
    formula = {"kind": "linear"}
    for name in ("rate", "offset", "cap"):
        if row[name] is not None:
            formula[name] = format(row[name], "f")
    return formula


# --- Scorecard goals ---------------------------------------------------------------------------------


@dataclass
class GoalPlan:
    components: list[dict] = field(default_factory=list)
    rows: dict[int, int] = field(default_factory=dict)  # goal number -> the file's row
    added: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)


def _plan_goals(
    run: Run, award: Award | None, key: str, goal_rows, measures, *, sheet: str
) -> GoalPlan | None:
    """Every goal of the award after the file, in goal-number order: the award services number goals by their
    place in the list, so the goals on record the file leaves out are passed as they are."""
    current = list(award.components.select_related("measure").order_by("position", "id")) if award else []
    plan, ok = GoalPlan(), True
    given: dict[int, dict] = {}
    for number, row in goal_rows:
        n = row["goal"]
        if n in plan.rows:
            run.error(number, "goal", f"repeats goal {n} of row {plan.rows[n]} for award {key}", sheet)
            ok = False
            continue
        plan.rows[n] = number
        goal = _goal(run, number, row, measures, sheet=sheet)
        ok = ok and goal is not None
        given[n] = goal
    expected = len(current) + 1
    for n in sorted(n for n in given if n > len(current)):
        if n != expected:
            on_record = f" ({key} has {len(current)} on record)" if current else ""
            run.error(
                plan.rows[n],
                "goal",
                f"goal {n} skips goal {expected}: number an award's goals 1, 2, 3 … in order{on_record}",
                sheet,
            )
            return None
        expected += 1
    if not ok:
        return None
    for n in range(1, expected):
        if n in given:
            goal = dict(given[n])
            if n <= len(current):
                goal["id"] = current[n - 1].pk
                plan.changed.append(n)
            else:
                plan.added.append(n)
        else:
            goal = {"id": current[n - 1].pk, **goal_terms(current[n - 1])}
        plan.components.append(goal)
    return plan


def _goal(run: Run, number: int, row: dict, measures, *, sheet: str) -> dict | None:
    basis = row["basis"] or FRM
    errors_before = len(run.report.errors)
    measure = None
    if row["measure"]:
        measure = measures.get(row["measure"])
        if measure is None:
            run.error(number, "measure", f"no measure has key {row['measure']!r}", sheet)
    if basis == FRM:
        for name in ("measure", "measure_period", "points"):
            if not row[name]:
                run.error(number, name, "is required for a goal on a financial reporting measure", sheet)
        if row["factor"] is not None:
            run.error(
                number,
                "factor",
                "a measure goal is scored by its payout curve (points): leave factor empty",
                sheet,
            )
    else:
        if row["factor"] is None:
            run.error(number, "factor", "is required: the goal's score as given", sheet)
        for name in ("measure", "measure_period", "points"):
            if row[name]:
                run.error(
                    number,
                    name,
                    f"only a measure goal has one: leave it empty for a {basis.replace('_', ' ')} goal",
                    sheet,
                )
    if len(run.report.errors) > errors_before:
        return None
    return {
        "basis": basis,
        "measure": measure,
        "measure_period": row["measure_period"] or "",
        "weight": row["weight"],
        "points": row["points"],
        "factor": row["factor"],
    }


def _award_errors(
    run: Run, award_row: int, goal_rows: dict[int, int], goal_sheet: str, goals_only: bool, errors: dict
) -> None:
    """An award service's refusal on the file's rows: a goal's problem on that goal's row and column, a
    formula's on its column, the rest on the award's row. `goals_only`: a file of goals, where the award's own
    problems go on its first goal row, under "award"."""
    award_sheet = goal_sheet if goals_only else ""
    for message in errors.pop("components", []):
        match = _GOAL_MESSAGE.match(message)
        if match and int(match[1]) in goal_rows:
            name = (match[2] or "goal").split("[")[0]
            run.error(goal_rows[int(match[1])], _GOAL_FIELDS.get(name, name), message, goal_sheet)
        elif goals_only:
            run.error(award_row, "award", message, award_sheet)
        elif message.startswith(("cap factor", "cap_factor")):
            run.error(award_row, "scorecard_cap_factor", message)
        else:
            run.error(award_row, "scorecard_target", message)
    if goals_only:
        report_fields(
            run,
            errors,
            row=award_row,
            columns=dict.fromkeys(errors, "award"),
            default="award",
            sheet=award_sheet,
        )
        return
    for message in errors.pop("formula", []):
        run.error(
            award_row, next((n for n in _FORMULA_COLUMNS if message.startswith(n)), "formula_kind"), message
        )
    report_fields(run, errors, row=award_row, columns={}, default="key")


def apply_award_goals(run: Run, rows) -> None:
    measures = {m.key: m for m in Measure.objects.filter(company=run.company)}
    existing = {a.key: a for a in Award.objects.filter(company=run.company)}
    for key, group in group_by(rows, "award").items():
        _apply_goal_group(run, existing.get(key), key, group, measures, sheet="")


def _apply_goal_group(run: Run, award: Award | None, key: str, group, measures, *, sheet: str) -> None:
    if run.has_bad_cell(group, sheet):
        return
    if award is None:
        for number, _ in group:
            run.error(number, "award", f"no award has key {key!r}", sheet)
        return
    if not award.is_scorecard:
        for number, _ in group:
            run.error(
                number,
                "award",
                f"award {key} pays on a formula, not a scorecard: give its scorecard_target in the awards "
                "import, with its goals",
                sheet,
            )
        return
    plan = _plan_goals(run, award, key, group, measures, sheet=sheet)
    if plan is None:
        return
    first_row = group[0][0]
    arguments = {
        "actor": run.actor,
        "award": award,
        "components": plan.components,
        "now": run.now,
        "check_approvals": False,
    }
    on_error = partial(_award_errors, run, first_row, plan.rows, sheet, True)
    if save_row(run, records.update_award, arguments, row=first_row, on_error=on_error) is not None:
        run.report.created += [f"{key} goal {n}" for n in plan.added]
        run.report.updated += [f"{key} goal {n}" for n in plan.changed]


# --- Amounts already recovered -----------------------------------------------------------------------


def apply_award_credits(run: Run, rows) -> None:
    awards = {a.key: a for a in Award.objects.filter(company=run.company).prefetch_related("credits")}
    seen: dict[tuple, int] = {}
    for number, row in rows:
        award = awards.get(row["award"] or "")
        if award is None:
            run.error(number, "award", f"no award has key {row['award']!r}")
            continue
        reference = (row["reference"] or "").strip()
        signature = (award.pk, row["amount"], row["recovered_on"], row["source"], reference)
        name = f"{award.key} {format(row['amount'], 'f')} on {row['recovered_on'].isoformat()}"
        if signature in seen:
            run.error(
                number,
                "reference",
                f"the same credit as row {seen[signature]}: give each recovery its own reference",
            )
            continue
        seen[signature] = number
        if any(
            (award.pk, c.amount, c.recovered_on, c.source, c.reference) == signature
            for c in award.credits.all()
        ):
            run.report.unchanged.append(name)
            continue
        arguments = {
            "actor": run.actor,
            "award": award,
            "amount": row["amount"],
            "recovered_on": row["recovered_on"],
            "source": row["source"],
            "reference": reference,
            "now": run.now,
        }
        on_error = partial(report_fields, run, row=number, columns={"under_case": "award"}, default="amount")
        if save_row(run, records.record_award_credit, arguments, row=number, on_error=on_error) is not None:
            run.report.created.append(name)
