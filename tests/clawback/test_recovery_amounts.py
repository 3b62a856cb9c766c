"""The clawback recovery engine's amounts: the excess on restated values, stock price and TSR estimates,
totals and explanations, properties that hold for any input, and no float anywhere."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clawback.recovery import (
    Award,
    CurveFormula,
    Estimate,
    LinearFormula,
    Measure,
    Status,
    evaluate,
    evaluate_formula,
    round_half_up,
)
from tests.clawback.engine_builders import (
    BONUS_CURVE,
    TSR_CURVE,
    D,
    award,
    measure,
    officer,
    only,
    person,
    scenario,
)

# --- §1.7 amounts ---------------------------------------------------------------------------------


def test_excess_is_received_minus_recomputed_gross_of_tax():
    # Paid 1,200,000 gross; after 37% withholding the executive kept 756,000. The excess is measured on
    # the gross amounts ("computed without regard to any taxes paid"): 1,200,000 - 960,000.
    result = only(evaluate(scenario()))
    assert (result.received, result.recomputed, result.excess) == (
        D("1200000.00"),
        D("960000.00"),
        D("240000.00"),
    )
    assert result.excess != (D("1200000") - D("960000")) * (1 - D("0.37"))
    assert any("pre-tax" in step for step in result.explanation)


def test_unit_award_excess_is_in_units_before_withholding_and_valued_per_unit():
    # 17,500 shares vested; 6,000 were withheld for tax. The excess counts the gross shares.
    ebitda = measure({"FY2023-FY2025": ("705000000", "669000000")}, key="ebitda", category="ebitda")
    psu = award(
        type="performance_shares",
        performance_start=date(2023, 1, 1),
        performance_end=date(2025, 12, 31),
        measure="ebitda",
        measure_period="FY2023-FY2025",
        formula=CurveFormula(
            target=D("10000"),
            points=((D("600000000"), D("0.5")), (D("660000000"), D("1.0")), (D("720000000"), D("2.0"))),
        ),
        unit="units",
        value_per_unit=D("40.00"),
        received=D("17500"),
    )
    result = evaluate(scenario(psu, measures=(ebitda,)))
    row = only(result)
    assert (row.received, row.recomputed, row.excess, row.excess_usd) == (
        D("17500"),
        D("11500"),
        D("6000"),
        D("240000.00"),
    )
    assert result.executives[0].excess_units == D("6000")
    assert result.executives[0].excess_usd == D("240000.00")


def test_unit_excess_in_dollars_is_rounded_half_up_to_cents_once():
    # 3 units x 33.335 = 100.005 -> 100.01 (half-up; banker's rounding would give 100.00).
    shares = award(
        type="rsu",
        formula=LinearFormula(rate=D("1")),
        measure_period="FY2024",
        unit="units",
        value_per_unit=D("33.335"),
        received=D("10"),
    )
    result = only(evaluate(scenario(shares, measures=(measure({"FY2024": ("10", "7")}),))))
    assert result.excess == D("3")
    assert result.excess_usd == D("100.01")


def test_usd_recomputation_is_rounded_half_up_to_cents():
    half_cent = LinearFormula(rate=D("0.5"))
    row = only(
        evaluate(
            scenario(
                award(formula=half_cent, received=D("600.00")),
                measures=(measure({"FY2024": ("1200", "1000.01")}),),
            )
        )
    )
    assert row.recomputed == D("500.01")  # 500.005 half-up
    assert row.excess == D("99.99")
    assert row.received - row.recomputed == row.excess


def test_fractional_units_are_kept_to_six_places():
    thirds = CurveFormula(target=D("10000"), points=((D("0"), D("1")), (D("3"), D("2"))))
    row = only(
        evaluate(
            scenario(
                award(formula=thirds, unit="units", value_per_unit=D("10"), received=D("20000")),
                measures=(measure({"FY2024": ("3", "1")}),),
            )
        )
    )
    assert row.recomputed == D("13333.333333")
    assert row.excess == D("6666.666667")
    assert row.excess_usd == D("66666.67")


@pytest.mark.parametrize(
    ("original", "restated", "recomputed", "excess"),
    [
        ("240000000", "170000000", "0.00", "1200000.00"),  # restated below threshold: nothing was earned
        ("300000000", "270000000", "1600000.00", "0.00"),  # still above maximum: capped both ways
        ("300000000", "240000000", "1200000.00", "400000.00"),  # above maximum originally
        ("240000000", "250000000", "1400000.00", "0.00"),  # restated upwards: never a negative excess
        ("240000000", "240000000", "1200000.00", "0.00"),  # restated to the same value
        ("240000000", None, "1200000.00", "0.00"),  # not restated
    ],
)
def test_caps_floors_and_unaffected_measures(original, restated, recomputed, excess):
    received = evaluate_formula(BONUS_CURVE, D(original))[0]
    row = only(
        evaluate(scenario(award(received=received), measures=(measure({"FY2024": (original, restated)}),)))
    )
    assert row.status is Status.COMPUTED
    assert (row.recomputed, row.excess) == (D(recomputed), D(excess))


def test_linear_cap_and_floor_in_an_award():
    capped = LinearFormula(rate=D("0.01"), offset=D("200000000"), cap=D("300000"))
    cases = [("240000000", "228000000", "20000.00"), ("240000000", "150000000", "300000.00")]
    for original, restated, excess in cases:
        row = only(
            evaluate(
                scenario(
                    award(formula=capped, received=D("300000")),
                    measures=(measure({"FY2024": (original, restated)}),),
                )
            )
        )
        assert row.excess == D(excess)


def test_a_received_amount_that_differs_from_the_formula_is_warned_and_the_excess_uses_what_was_received():
    result = evaluate(scenario(award(received=D("1150000"))))
    row = only(result)
    assert row.original_formula == D("1200000.00")
    assert row.excess == D("190000.00")
    assert len(result.warnings) == 1 and result.warnings[0].startswith("bonus:")


def test_no_warning_when_the_formula_reproduces_what_was_received():
    assert evaluate(scenario()).warnings == ()


# --- stock price, TSR and estimates ---------------------------------------------------------------


def tsr_award(**overrides) -> Award:
    fields = {
        "id": "tsr-psu",
        "type": "performance_shares",
        "performance_start": date(2023, 1, 1),
        "performance_end": date(2025, 12, 31),
        "measure": "tsr",
        "measure_period": "FY2023-FY2025",
        "formula": TSR_CURVE,
        "unit": "units",
        "value_per_unit": D("62.50"),
        "received": D("28000"),
    }
    fields.update(overrides)
    return award(**fields)


def tsr_measure(category: str = "tsr") -> Measure:
    return measure({"FY2023-FY2025": ("60", None)}, key="tsr", category=category)


@pytest.mark.parametrize("category", ["tsr", "stock_price"])
def test_stock_price_and_tsr_awards_wait_for_a_reasonable_estimate(category):
    result = evaluate(scenario(tsr_award(), award(), measures=(tsr_measure(category), measure())))
    row = result.awards[0]
    assert row.in_scope is True
    assert row.status is Status.REASONABLE_ESTIMATE_REQUIRED
    assert (row.recomputed, row.excess, row.excess_usd) == (None, None, None)
    assert row.original_formula == D("28000")
    assert result.executives[0].pending_estimates == 1
    assert result.totals.pending_estimates == 1
    # The computed cash award is still totalled; the pending one adds nothing yet.
    assert result.totals.excess_usd == D("240000.00")
    assert result.totals.excess_units == 0


def test_a_committee_estimate_computes_the_tsr_award():
    estimate = Estimate(
        restated_value=D("55"),
        method="event study of the 4.02 announcement",
        documents=("estimate-memo.pdf",),
        adopted_on=date(2026, 5, 1),
    )
    result = evaluate(scenario(tsr_award(estimate=estimate), measures=(tsr_measure(),)))
    row = only(result)
    assert row.status is Status.ESTIMATED
    assert (row.recomputed, row.excess, row.excess_usd) == (D("24000"), D("4000"), D("250000.00"))
    assert result.totals.pending_estimates == 0
    assert any("event study" in step for step in row.explanation)
    assert result.warnings == ()


def test_requires_estimate_on_a_non_tsr_award_waits_for_the_estimate_then_uses_it():
    pending = only(evaluate(scenario(award(requires_estimate=True))))
    assert pending.status is Status.REASONABLE_ESTIMATE_REQUIRED and pending.excess is None
    estimate = Estimate(
        restated_value=D("200000000"), method="m", documents=("d",), adopted_on=date(2026, 5, 1)
    )
    done = only(evaluate(scenario(award(requires_estimate=True, estimate=estimate))))
    # Computed from the estimate (factor 0.75), not from the restated 228,000,000 (factor 1.2).
    assert done.status is Status.ESTIMATED
    assert (done.recomputed, done.excess) == (D("600000.00"), D("600000.00"))


def test_an_estimate_on_a_recalculable_award_is_ignored_with_a_warning():
    estimate = Estimate(restated_value=D("1"), method="m", documents=("d",), adopted_on=date(2026, 5, 1))
    result = evaluate(scenario(award(estimate=estimate)))
    assert only(result).status is Status.COMPUTED and only(result).excess == D("240000.00")
    assert any("not used" in w for w in result.warnings)


def test_an_estimate_without_documents_is_warned():
    estimate = Estimate(restated_value=D("55"), method="m", documents=(), adopted_on=date(2026, 5, 1))
    result = evaluate(scenario(tsr_award(estimate=estimate), measures=(tsr_measure(),)))
    assert any("no supporting documents" in w for w in result.warnings)


def test_an_excluded_tsr_award_is_not_pending():
    result = evaluate(scenario(tsr_award(), measures=(tsr_measure(),), listed_periods=()))
    assert only(result).status is Status.EXCLUDED
    assert result.totals.pending_estimates == 0


# --- totals and explanation -----------------------------------------------------------------------


def test_totals_per_executive_and_overall_include_every_executive():
    cfo = person("cfo", officer("2024-09-01"))
    bystander = person("coo", officer("2020-01-01"))
    result = evaluate(
        scenario(
            award(id="ceo-bonus"),
            award(
                id="cfo-bonus",
                executive="cfo",
                formula=dataclasses.replace(BONUS_CURVE, target=D("400000")),
                received=D("600000"),
            ),
            executives=(person(), cfo, bystander),
        )
    )
    by_id = {e.id: e for e in result.executives}
    assert [e.id for e in result.executives] == ["ceo", "cfo", "coo"]
    assert by_id["ceo"].excess_usd == D("240000.00")
    assert by_id["cfo"].excess_usd == D("120000.00")
    assert by_id["coo"].excess_usd == 0 and by_id["coo"].pending_estimates == 0
    assert result.totals.excess_usd == D("360000.00")


def test_explanation_walks_through_inputs_values_factors_and_arithmetic():
    steps = " ".join(only(evaluate(scenario())).explanation)
    for expected in (
        "1,200,000.00 USD",
        "240,000,000",
        "228,000,000",
        "factor 1.5",
        "factor 1.2",
        "960,000.00",
    ):
        assert expected in steps


def test_unknown_references_raise_value_error_naming_the_award():
    with pytest.raises(ValueError, match="bonus"):
        evaluate(scenario(award(executive="ghost")))
    with pytest.raises(ValueError, match="FY1999"):
        evaluate(scenario(award(measure_period="FY1999")))


# --- properties -----------------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
measure_values = st.decimals(
    min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False
)


@st.composite
def formulas(draw):
    if draw(st.booleans()):
        xs = sorted(set(draw(st.lists(measure_values, min_size=1, max_size=5))))
        factors = draw(
            st.lists(st.decimals(min_value=0, max_value=5, places=3), min_size=len(xs), max_size=len(xs))
        )
        return CurveFormula(target=draw(amounts), points=tuple(zip(xs, factors, strict=True)))
    cap = draw(st.none() | amounts)
    return LinearFormula(
        rate=draw(st.decimals(min_value=-10, max_value=10, places=4)), offset=draw(measure_values), cap=cap
    )


@settings(max_examples=300, deadline=None)
@given(
    formula=formulas(),
    original=measure_values,
    restated=st.none() | measure_values,
    received=amounts,
    unit=st.sampled_from(["USD", "units"]),
)
def test_excess_is_never_negative_and_never_more_than_received(formula, original, restated, received, unit):
    values = {"FY2024": (str(original), None if restated is None else str(restated))}
    row = only(
        evaluate(
            scenario(
                award(
                    formula=formula,
                    received=received,
                    unit=unit,
                    value_per_unit=D("12.34") if unit == "units" else None,
                ),
                measures=(measure(values),),
            )
        )
    )
    assert row.status is Status.COMPUTED
    assert D(0) <= row.excess <= row.received
    assert row.excess_usd >= 0


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(
        st.tuples(formulas(), measure_values, st.booleans(), st.sampled_from(["USD", "units"])),
        min_size=1,
        max_size=6,
    )
)
def test_a_restatement_that_changes_no_value_recovers_nothing(rows):
    measures, awards = [], []
    for i, (formula, original, omit_restated, unit) in enumerate(rows):
        restated = None if omit_restated else str(original)
        measures.append(measure({"FY2024": (str(original), restated)}, key=f"m{i}"))
        paid = round_half_up(
            evaluate_formula(formula, original)[0], quantum=D("0.01") if unit == "USD" else D("0.000001")
        )
        awards.append(
            award(
                id=f"a{i}",
                measure=f"m{i}",
                formula=formula,
                received=paid,
                unit=unit,
                value_per_unit=D("7.77") if unit == "units" else None,
            )
        )
    result = evaluate(scenario(*awards, measures=tuple(measures)))
    assert all(a.excess == 0 and a.excess_usd == 0 for a in result.awards)
    assert result.totals.excess_usd == 0 and result.totals.excess_units == 0
    assert result.warnings == ()


# --- no float anywhere ----------------------------------------------------------------------------


def test_engine_source_never_builds_a_float():
    # Both are packages: every module of each is read, not only its __init__.
    for package in ("clawback.recovery", "clawback.scenario"):
        root = importlib.import_module(package)
        names = [package] + [f"{package}.{m.name}" for m in pkgutil.iter_modules(root.__path__)]
        assert len(names) > 2, package
        for module in names:
            source = inspect.getsource(importlib.import_module(module))
            assert "float(" not in source, module


def _walk(value):
    if dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from _walk(getattr(value, f.name))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _walk(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _walk(v)
    else:
        yield value


def test_results_hold_no_float_objects():
    estimate = Estimate(restated_value=D("55"), method="m", documents=("d",), adopted_on=date(2026, 5, 1))
    result = evaluate(scenario(award(), tsr_award(estimate=estimate), measures=(measure(), tsr_measure())))
    leaves = list(_walk(result))
    assert leaves and not any(isinstance(v, float) for v in leaves)
    assert all(isinstance(a.excess_usd, Decimal) for a in result.awards)
