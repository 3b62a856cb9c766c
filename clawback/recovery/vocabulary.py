"""The engine's vocabulary: the kinds, categories, bases and reason codes a scenario may use, each with the
rule it comes from (Rule 10D-1, NYSE 303A.14 / Nasdaq 5608, the company's recovery policy)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

RULE_VERSION = "Rule 10D-1 engine 2026-12-04"

# docs/clawback-rules §1.1: NYSE 303A.14 / Nasdaq 5608 apply to compensation received on or after
# this date.
LISTING_STANDARD_EFFECTIVE = date(2023, 10, 2)

USD = "USD"
UNITS = "units"
UNIT_KINDS = (USD, UNITS)


class RestatementKind(StrEnum):
    """Rule 10D-1(b)(1): only a Big R or little r restatement (an error correction) starts a recovery
    analysis (docs/clawback-rules §1.3)."""

    BIG_R = "big_r"
    LITTLE_R = "little_r"
    OUT_OF_PERIOD = "out_of_period"
    NON_ERROR_CHANGE = "non_error_change"


TRIGGERING_RESTATEMENT_KINDS = frozenset({RestatementKind.BIG_R, RestatementKind.LITTLE_R})


class EventKind(StrEnum):
    """Restatement events. The first five can set the date the issuer is required to prepare the
    restatement (Rule 10D-1(b)(1)(ii); docs/clawback-rules §1.4); the next three are recorded and never
    set it. OTHER (format `/2` only) records anything else under a free label and never sets it either."""

    BOARD_CONCLUDED = "board_concluded"
    COMMITTEE_CONCLUDED = "committee_concluded"
    OFFICERS_CONCLUDED = "officers_concluded"
    SHOULD_HAVE_CONCLUDED = "should_have_concluded"
    DIRECTED_BY_COURT_OR_REGULATOR = "directed_by_court_or_regulator"
    BOARD_RATIFIED = "board_ratified"
    FORM_8K_ITEM_4_02_FILED = "form_8k_item_4_02_filed"
    RESTATED_FINANCIALS_FILED = "restated_financials_filed"
    OTHER = "other"


REQUIRED_ON_EVENT_KINDS = frozenset(
    {
        EventKind.BOARD_CONCLUDED,
        EventKind.COMMITTEE_CONCLUDED,
        EventKind.OFFICERS_CONCLUDED,
        EventKind.SHOULD_HAVE_CONCLUDED,
        EventKind.DIRECTED_BY_COURT_OR_REGULATOR,
    }
)
# The eight named kinds a scenario file may use (both formats), in the order the format lists them.
NAMED_EVENT_KINDS = tuple(kind for kind in EventKind if kind is not EventKind.OTHER)

MEASURE_CATEGORIES = (
    "revenue",
    "net_income",
    "operating_income",
    "ebitda",
    "eps",
    "liquidity",
    "return_measure",
    "sales_derived",
    "stock_price",
    "tsr",
    "other_financial",
)
# Rule 10D-1(b)(1)(iii)(A): the effect of a restatement on these cannot be recalculated, only estimated.
ESTIMATE_CATEGORIES = frozenset({"stock_price", "tsr"})

AWARD_TYPES = (
    "cash_bonus",
    "cash_ltip",
    "stock_options",
    "sars",
    "restricted_stock",
    "rsu",
    "performance_shares",
    "performance_units",
    "other",
)

INCENTIVE_BASIS = "financial_reporting_measure"
BASES = (INCENTIVE_BASIS, "time_vested", "salary", "discretionary", "operational_goal")
# A scorecard component not on a financial reporting measure: scored by the committee, never recomputed.
SCORED_COMPONENT_BASES = ("operational_goal", "discretionary", "individual")

# Where an amount already recovered of the same compensation came from (format `/2`).
RECOVERY_SOURCES = ("prior_restatement", "sox_304", "other")


class Reason(StrEnum):
    """Why an award is out of scope (Rule 10D-1(b)(1)(i) and (d); docs/clawback-rules §1.6, "Scope
    test"). An award can have several."""

    NOT_INCENTIVE_BASED = "NOT_INCENTIVE_BASED"
    PRE_EFFECTIVE_DATE = "PRE_EFFECTIVE_DATE"
    OUTSIDE_LOOKBACK = "OUTSIDE_LOOKBACK"
    NOT_EXECUTIVE_DURING_PERFORMANCE_PERIOD = "NOT_EXECUTIVE_DURING_PERFORMANCE_PERIOD"
    RECEIVED_BEFORE_EXECUTIVE_SERVICE = "RECEIVED_BEFORE_EXECUTIVE_SERVICE"
    NOT_LISTED = "NOT_LISTED"


class Status(StrEnum):
    """An award's outcome (the `clawback-result` format's `status`)."""

    COMPUTED = "computed"
    EXCLUDED = "excluded"
    REASONABLE_ESTIMATE_REQUIRED = "reasonable_estimate_required"
    ESTIMATED = "estimated"
