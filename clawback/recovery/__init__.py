"""Clawback recovery engine: what is recoverable under Rule 10D-1, from whom, and why.

A pure package (standard library only): frozen dataclasses in, frozen dataclasses out, no clock and no
database. It implements Rule 10D-1 as the company's recovery policy applies it (docs/clawback-rules
§1) and the `clawback-scenario/1` and `/2` formats; `clawback.scenario` parses and writes the JSON form.

The steps, each a public function so the committee page can show them one by one:

1. `starts_recovery_analysis` - only a Big R or little r restatement starts one (Rule 10D-1(b)(1)).
2. `required_to_prepare` - the restatement date RD, the earliest qualifying event (Rule 10D-1(b)(1)(ii)).
3. `lookback_window` - the three completed fiscal years before RD, with transition periods (Rule
   10D-1(b)(1)(i)(D); Policy: "Recovery Period").
4. `evaluate_formula` - an award's plan formula on a measure value; scorecard awards weigh several goals
   (`clawback.recovery.scorecards`).
5. `evaluate` - the scope test for every award (Rule 10D-1(b)(1)(i), (d)), the recomputation on restated
   values, the excess (received minus recomputed, pre-tax, Rule 10D-1(b)(1)(iii)), what is left to
   recover after amounts already recovered, and per-executive totals.

Modules, by noun: `vocabulary` (kinds and codes), `money` (Decimal context and the one rounding helper),
`inputs` and `results` (the dataclasses), `periods` (dates and the look-back window), `formulas`,
`plans` and `scorecards` (recomputation), `awards` (one award), `engine` (the whole scenario), `text`
(the explanation's wording).
"""

from .awards import scope_reasons
from .engine import evaluate
from .formulas import curve_factor, evaluate_formula
from .inputs import (
    FORMAT_VERSIONS,
    LATEST_FORMAT_VERSION,
    Award,
    CurveFormula,
    Estimate,
    Executive,
    FiscalPeriod,
    Formula,
    LinearFormula,
    ListedPeriod,
    Measure,
    MeasureComponent,
    MeasureValue,
    OfficerPeriod,
    RecoveredAmount,
    Restatement,
    RestatementEvent,
    Scenario,
    Scorecard,
    ScorecardComponent,
    ScoredComponent,
    is_incentive_based,
)
from .money import (
    CENTS,
    ENGINE_CONTEXT,
    FACTOR_DISPLAY_QUANTUM,
    UNITS_QUANTUM,
    ZERO,
    round_half_up,
)
from .periods import (
    _month_shift_ordinal,
    counts_as_fiscal_year,
    lookback_window,
    period_months,
    required_to_prepare,
    restated_period_warnings,
    starts_recovery_analysis,
)
from .results import (
    AwardResult,
    ComponentResult,
    ExecutiveTotal,
    Lookback,
    RecoveryResult,
    Totals,
)
from .scorecards import scorecard_payout
from .vocabulary import (
    AWARD_TYPES,
    BASES,
    ESTIMATE_CATEGORIES,
    INCENTIVE_BASIS,
    LISTING_STANDARD_EFFECTIVE,
    MEASURE_CATEGORIES,
    NAMED_EVENT_KINDS,
    RECOVERY_SOURCES,
    REQUIRED_ON_EVENT_KINDS,
    RULE_VERSION,
    SCORED_COMPONENT_BASES,
    TRIGGERING_RESTATEMENT_KINDS,
    UNIT_KINDS,
    UNITS,
    USD,
    EventKind,
    Reason,
    RestatementKind,
    Status,
)

__all__ = [
    "AWARD_TYPES",
    "BASES",
    "CENTS",
    "ENGINE_CONTEXT",
    "ESTIMATE_CATEGORIES",
    "FACTOR_DISPLAY_QUANTUM",
    "FORMAT_VERSIONS",
    "INCENTIVE_BASIS",
    "LATEST_FORMAT_VERSION",
    "LISTING_STANDARD_EFFECTIVE",
    "MEASURE_CATEGORIES",
    "NAMED_EVENT_KINDS",
    "RECOVERY_SOURCES",
    "REQUIRED_ON_EVENT_KINDS",
    "RULE_VERSION",
    "SCORED_COMPONENT_BASES",
    "TRIGGERING_RESTATEMENT_KINDS",
    "UNITS",
    "UNITS_QUANTUM",
    "UNIT_KINDS",
    "USD",
    "ZERO",
    "Award",
    "AwardResult",
    "ComponentResult",
    "CurveFormula",
    "Estimate",
    "EventKind",
    "Executive",
    "ExecutiveTotal",
    "FiscalPeriod",
    "Formula",
    "LinearFormula",
    "ListedPeriod",
    "Lookback",
    "Measure",
    "MeasureComponent",
    "MeasureValue",
    "OfficerPeriod",
    "Reason",
    "RecoveredAmount",
    "RecoveryResult",
    "Restatement",
    "RestatementEvent",
    "RestatementKind",
    "Scenario",
    "Scorecard",
    "ScorecardComponent",
    "ScoredComponent",
    "Status",
    "Totals",
    "_month_shift_ordinal",
    "counts_as_fiscal_year",
    "curve_factor",
    "evaluate",
    "evaluate_formula",
    "is_incentive_based",
    "lookback_window",
    "period_months",
    "required_to_prepare",
    "restated_period_warnings",
    "round_half_up",
    "scope_reasons",
    "scorecard_payout",
    "starts_recovery_analysis",
]
