"""The columns of each import file (and of the matching export, so an export is a valid import file)."""

from __future__ import annotations

from ...models import Award, AwardComponent, AwardCredit, Measure
from .cells import Column


def _choices(choices) -> tuple[str, ...]:
    return tuple(value for value, _ in choices)


AMOUNT = (
    "As typed in a spreadsheet, with or without thousands separators and a dollar sign: "
    "1,200,000.50 or $1,200,000."
)
GOALS_SHEET = "goals"

COLUMNS: dict[str, tuple[Column, ...]] = {
    "executives": (
        Column("key", required=True, help="Stable identifier, e.g. ceo (letters, digits, - and _)."),
        Column("name", required=True, per_record=True, help="On the key's first row at least."),
        Column("title"),
        Column(
            "officer_start",
            "date",
            required=True,
            help="Start of a period of officer service; one row per period. A period already on record with "
            "the same start is updated; periods not in the file are kept.",
        ),
        Column("officer_end", "date", help="Its end; empty while still serving."),
        Column("officer_title", help="Title held during that period."),
        Column(
            "neo_years",
            help="Fiscal years as a named executive officer, separated by ';'; added to those on record.",
        ),
    ),
    "measures": (
        Column("key", required=True, help="Stable identifier, e.g. `net_income`."),
        Column("name", required=True, per_record=True, help="On the key's first row at least."),
        Column(
            "category", "choice", required=True, per_record=True, choices=_choices(Measure.Category.choices)
        ),
        Column(
            "period",
            help="Period label of the value, e.g. FY2024; one row per value. A period already on record is "
            "updated; periods not in the file are kept.",
        ),
        Column(
            "original",
            "decimal",
            negative=True,
            help="As first reported. " + AMOUNT + " A loss may be -5,000 or (5,000). Restated figures belong "
            "to a case: import them from the case (restated values).",
        ),
        Column("source", help="Filing or document the value comes from."),
    ),
    "restated_values": (
        Column(
            "measure", required=True, help="The measure's key; its value as first reported must be on record."
        ),
        Column("period", required=True, help="Period label, e.g. FY2024."),
        Column(
            "restated",
            "decimal",
            required=True,
            negative=True,
            help="The figure as this case restates it. " + AMOUNT + " A loss may be -5,000 or (5,000).",
        ),
        Column("source", help="The restated filing or document the figure comes from."),
    ),
    "awards": (
        Column("executive", required=True, help="The executive's key."),
        Column("key", required=True, help="Unique within the company, e.g. ceo-fy2024-bonus."),
        Column("award_type", "choice", required=True, choices=_choices(Award.Type.choices)),
        Column("basis", "choice", required=True, choices=_choices(Award.Basis.choices)),
        Column("performance_start", "date", required=True),
        Column("performance_end", "date", required=True, help="The award is received on this date."),
        Column("measure", help="The measure's key (an incentive-based award on one measure)."),
        Column("measure_period", help="The measure's period label, e.g. FY2024."),
        Column("formula_kind", "choice", choices=("curve", "linear"), help="curve or linear."),
        Column("target", "decimal", help="Curve: payout = target x factor."),
        Column(
            "points",
            "points",
            help="Curve: 'measure:factor' pairs separated by ';', e.g. 180,000,000:0.5; 220,000,000:1",
        ),
        Column("rate", "decimal", help="Linear: payout = rate x (measure - offset)."),
        Column("offset", "decimal", negative=True),
        Column("cap", "decimal"),
        Column(
            "scorecard_target",
            "decimal",
            help=(
                "A scorecard award (several weighted goals): payout = `scorecard_target` x the weighted "
                "score. Leave measure and formula empty and put its goals on the 'goals' sheet of the same "
                "workbook (CSV: choose the goals file with this one), one row per goal, columns as in the "
                "award goals import: both are checked and imported together."
            ),
        ),
        Column(
            "scorecard_cap_factor",
            "decimal",
            help="Scorecard: the most the weighted score can reach, e.g. 1.5.",
        ),
        Column("unit", "choice", choices=_choices(Award.Unit.choices), help="USD (default) or units."),
        Column("received", "decimal", required=True, help="Gross, before taxes. " + AMOUNT),
        Column("value_per_unit", "decimal", help="Units only: USD value of one unit."),
        Column("requires_estimate", "bool", help="true when the committee must estimate the effect."),
        Column("approval_date", "date"),
        Column("grant_date", "date"),
        Column("vesting_date", "date"),
        Column("settlement_date", "date"),
        Column("units_sold", "decimal"),
        Column("sale_price", "decimal"),
        Column("notes"),
    ),
    "award_goals": (
        Column(
            "award",
            required=True,
            help=(
                "The scorecard award's key. New scorecard awards: give the goals with the award (the 'goals' "
                "sheet of the awards workbook, or the goals file chosen with the awards CSV); this import "
                "adds or changes goals of awards already recorded."
            ),
        ),
        Column(
            "goal",
            "integer",
            required=True,
            help="Goal number, 1, 2, 3 … in the award's order: a number the award has changes that goal, the "
            "next numbers add goals; goals not in the file are kept.",
        ),
        Column(
            "basis",
            "choice",
            choices=_choices(AwardComponent.Basis.choices),
            help="Empty: `financial_reporting_measure` (a measure goal, recomputed on restated figures). "
            "Other goals keep their score as given.",
        ),
        Column("measure", help="Measure goals: the measure's key."),
        Column("measure_period", help="Measure goals: the period label, e.g. FY2024."),
        Column("weight", "decimal", required=True, help="More than zero, e.g. 0.4."),
        Column(
            "points",
            "points",
            help="Measure goals: the payout curve as in the awards' points column, "
            "e.g. 100:0.5; 120:1; 140:2",
        ),
        Column("factor", "decimal", help="Other goals: the score as given, e.g. 1.2."),
    ),
    "award_credits": (
        Column("award", required=True, help="The award's key."),
        Column(
            "amount",
            "decimal",
            required=True,
            help="Already recovered, in the award's unit (USD, or units for a unit award). " + AMOUNT,
        ),
        Column("recovered_on", "date", required=True, help="When it was recovered; not in the future."),
        Column("source", "choice", required=True, choices=_choices(AwardCredit.Source.choices)),
        Column(
            "reference",
            required=True,
            help="The case, order or agreement it was recovered under. A row equal to a credit on record "
            "(same award, amount, date, source and reference) is not added twice.",
        ),
    ),
}
KINDS = tuple(COLUMNS)

# Columns an older version of a file had: ignored while empty, refused with the reason when filled.
RETIRED: dict[str, dict[str, str]] = {
    "measures": {
        "restated": "restated figures now belong to a case: remove this column and import them from the "
        "case's page (restated values import), each case with its own figures"
    }
}
