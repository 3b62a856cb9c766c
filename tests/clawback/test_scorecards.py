"""Scorecard awards (`clawback-scenario/2`): several weighted goals, recomputed as one award on the restated
values (Rule 10D-1(b)(1)(iii)), incentive-based when at least one goal is on a financial reporting measure
(Rule 10D-1(d), "wholly or in part"). No database; expected figures are worked out by hand in comments."""

from __future__ import annotations

import copy
from decimal import Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clawback.recovery import (
    ENGINE_CONTEXT,
    ComponentResult,
    MeasureComponent,
    Reason,
    Scorecard,
    ScoredComponent,
    Status,
    curve_factor,
    evaluate,
    is_incentive_based,
    round_half_up,
    scorecard_payout,
)
from clawback.scenario import ScenarioError, parse_scenario, result_to_json

D = Decimal

EBITDA_POINTS = [["100", "0.5"], ["120", "1.0"], ["140", "2.0"]]  # 130 -> 1.5, 115 -> 0.875
REVENUE_POINTS = [["1000", "0.5"], ["1100", "1.0"], ["1200", "2.0"]]  # 1050 -> 0.75, 1100 -> 1.0
TSR_POINTS = [["25", "0.5"], ["50", "1.0"], ["75", "2.0"]]  # 60 -> 1.4, 55 -> 1.2


def goal(measure: str, weight: str, points: list, period: str = "FY2024") -> dict:
    return {"measure": measure, "measure_period": period, "weight": weight, "points": points}


def scored(basis: str, weight: str, factor: str) -> dict:
    return {"basis": basis, "weight": weight, "factor": factor}


STANDARD_GOALS = [
    goal("adj_ebitda", "0.4", EBITDA_POINTS),
    goal("revenue", "0.4", REVENUE_POINTS),
    scored("operational_goal", "0.2", "1.2"),
]


def scorecard_award(
    award_id: str = "bonus",
    *,
    components: list | None = None,
    target: str = "500000",
    cap: str | None = None,
    received: str = "570000",
    basis: str = "financial_reporting_measure",
    **extra,
) -> dict:
    card = {
        "target": target,
        "components": copy.deepcopy(STANDARD_GOALS if components is None else components),
    }
    if cap is not None:
        card["cap_factor"] = cap
    return {
        "id": award_id,
        "executive": "ceo",
        "type": "cash_bonus",
        "basis": basis,
        "performance_period": {"start": "2024-01-01", "end": "2024-12-31"},
        "scorecard": card,
        "unit": "USD",
        "received": received,
        **extra,
    }


def document(*awards: dict, values: dict | None = None) -> dict:
    """A `/2` scenario: calendar years, RD 2026-04-15, FY2024 values (original, restated or None)."""
    values = {
        "adj_ebitda": ("ebitda", "130", "115"),
        "revenue": ("revenue", "1050", "1100"),
        "rtsr": ("tsr", "60", None),
        **(values or {}),
    }
    return {
        "format": "clawback-scenario/2",
        "company": {
            "name": "Scorecard Corp",
            "fiscal_periods": [
                {"label": f"FY{y}", "start": f"{y}-01-01", "end": f"{y}-12-31"} for y in range(2022, 2027)
            ],
        },
        "restatement": {"kind": "big_r", "events": [{"kind": "board_concluded", "date": "2026-04-15"}]},
        "measures": {
            key: {
                "category": category,
                "values": {
                    "FY2024": {"original": original} | ({} if restated is None else {"restated": restated})
                },
            }
            for key, (category, original, restated) in values.items()
        },
        "executives": [{"id": "ceo", "name": "Avery Chen", "officer_periods": [{"start": "2015-01-01"}]}],
        "awards": list(awards) or [scorecard_award()],
    }


def run(data: dict):
    return evaluate(parse_scenario(data))


def errors_of(data: dict) -> list[tuple[str, str]]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data)
    return caught.value.errors


# --- offsets inside one award, never across awards ------------------------------------------------


@pytest.mark.parametrize(
    ("ebitda", "revenue", "recomputed", "excess"),
    [
        # Received 570,000: 0.4 x 1.5 + 0.4 x 0.75 + 0.2 x 1.2 = 1.14 of a 500,000 target.
        ("130", "1050", "570000.00", "0.00"),  # nothing restated
        ("115", "1050", "445000.00", "125000.00"),  # 0.4 x 0.875 + 0.3 + 0.24 = 0.89
        ("115", "1100", "495000.00", "75000.00"),  # revenue up offsets: 0.35 + 0.4 + 0.24 = 0.99
        ("115", "1150", "595000.00", "0.00"),  # up more than down: 0.35 + 0.6 + 0.24 = 1.19, never negative
        ("130", "1100", "620000.00", "0.00"),  # up only: 0.6 + 0.4 + 0.24 = 1.24
        ("90", "1000", "220000.00", "350000.00"),  # below the first point: 0 + 0.2 + 0.24 = 0.44
    ],
)
def test_goals_restated_up_and_down_offset_inside_the_award(ebitda, revenue, recomputed, excess):
    result = run(
        document(values={"adj_ebitda": ("ebitda", "130", ebitda), "revenue": ("revenue", "1050", revenue)})
    )
    (row,) = result.awards
    assert row.status is Status.COMPUTED
    assert (row.original_formula, row.recomputed, row.excess) == (D("570000.00"), D(recomputed), D(excess))
    assert result.warnings == ()


def test_goals_never_offset_across_awards():
    # A: ebitda only, 130 -> 115: 1.5 -> 0.875 of 100,000; received 150,000, recomputed 87,500.
    # B: revenue only, 1050 -> 1100: 0.75 -> 1.0 of 100,000; received 75,000, recomputed 100,000 (up).
    # The case owes 62,500: B's upward restatement is not set against A.
    a = scorecard_award(
        "a", components=[goal("adj_ebitda", "1", EBITDA_POINTS)], target="100000", received="150000"
    )
    b = scorecard_award(
        "b", components=[goal("revenue", "1", REVENUE_POINTS)], target="100000", received="75000"
    )
    result = run(document(a, b))
    assert [r.excess for r in result.awards] == [D("62500.00"), D("0.00")]
    assert result.totals.excess_usd == D("62500.00")


# --- cap ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cap", "values", "received", "recomputed", "excess"),
    [
        # Originals 140 and 1200 give 2.0 each: sum 0.5 x 2 + 0.5 x 2 = 2.0.
        # Cap 1.5: paid 750,000; restated 130 and 1150 give 1.5 each: still capped at 750,000.
        ("1.5", ("130", "1150"), "750000", "750000.00", "0.00"),
        # No cap: paid 1,000,000; restated 1.5 -> 750,000.
        (None, ("130", "1150"), "1000000", "750000.00", "250000.00"),
        # Cap 1.5, restated 120 and 1100 give 1.0 each: 500,000; the excess runs from the capped payout.
        ("1.5", ("120", "1100"), "750000", "500000.00", "250000.00"),
        # Cap 1.8: paid 900,000; restated 1.5 -> 750,000.
        ("1.8", ("130", "1150"), "900000", "750000.00", "150000.00"),
    ],
)
def test_cap_factor_limits_the_weighted_factor_on_both_sides(cap, values, received, recomputed, excess):
    card = scorecard_award(
        components=[goal("adj_ebitda", "0.5", EBITDA_POINTS), goal("revenue", "0.5", REVENUE_POINTS)],
        cap=cap,
        received=received,
    )
    data = document(
        card,
        values={"adj_ebitda": ("ebitda", "140", values[0]), "revenue": ("revenue", "1200", values[1])},
    )
    result = run(data)
    (row,) = result.awards
    assert (row.original_formula, row.recomputed, row.excess) == (D(received), D(recomputed), D(excess))
    assert result.warnings == ()


def test_scorecard_payout_is_target_times_the_capped_weighted_sum():
    card = Scorecard(
        target=D("1000"),
        cap_factor=D("1.2"),
        components=(
            MeasureComponent(measure="m", measure_period="P", weight=D("0.6"), points=((D("0"), D("1")),)),
            ScoredComponent(basis="individual", weight=D("0.4"), factor=D("2")),
        ),
    )
    assert scorecard_payout(card, [D("1.5"), D("2")]) == (D("1200.0"), D("1.2"), D("1.70"))
    assert scorecard_payout(card, [D("1"), D("0.25")]) == (D("700.00"), D("0.70"), D("0.70"))


# --- goals not on a financial reporting measure ---------------------------------------------------


@pytest.mark.parametrize("basis", ["operational_goal", "discretionary", "individual"])
def test_a_scored_goal_keeps_its_factor_and_is_never_recomputed(basis):
    # 0.5 x 1.5 + 0.5 x 1.6 = 1.55 of 100,000 = 155,000; restated 0.5 x 0.875 + 0.5 x 1.6 = 1.2375.
    card = scorecard_award(
        components=[goal("adj_ebitda", "0.5", EBITDA_POINTS), scored(basis, "0.5", "1.6")],
        target="100000",
        received="155000",
    )
    (row,) = run(document(card)).awards
    assert (row.recomputed, row.excess) == (D("123750.00"), D("31250.00"))
    measure_goal, scored_goal = row.components
    assert scored_goal == ComponentResult(
        measure=None,
        measure_period=None,
        basis=basis,
        weight=D("0.5"),
        original_value=None,
        restated_value=None,
        original_factor=D("1.6"),
        restated_factor=D("1.6"),
    )
    assert (measure_goal.original_value, measure_goal.restated_value) == (D("130"), D("115"))
    assert (measure_goal.original_factor, measure_goal.restated_factor) == (D("1.5"), D("0.875"))
    assert (row.original_factor, row.restated_factor) == (D("1.55"), D("1.2375"))
    assert f"Goal 2 ({basis}, weight 0.5): factor 1.6 as scored" in " ".join(row.explanation)


@pytest.mark.parametrize("basis", ["operational_goal", "discretionary"])
def test_a_scorecard_with_only_scored_goals_is_not_incentive_based(basis):
    card = scorecard_award(
        components=[scored("operational_goal", "0.5", "1.1"), scored("individual", "0.5", "0.9")],
        target="100000",
        received="100000",
        basis=basis,
    )
    result = run(document(card))
    (row,) = result.awards
    assert row.reasons == (Reason.NOT_INCENTIVE_BASED,)
    assert row.status is Status.EXCLUDED
    assert row.original_formula == D("100000.00")  # 0.5 x 1.1 + 0.5 x 0.9 = 1.0
    assert (row.recomputed, row.excess, row.to_recover) == (None, D("0.00"), D("0.00"))
    assert "no scorecard goal is on a financial reporting measure" in " ".join(row.explanation)
    assert not is_incentive_based(parse_scenario(document(card)).awards[0])


@pytest.mark.parametrize(
    ("components", "basis", "fragment"),
    [
        (STANDARD_GOALS, "operational_goal", 'must be "financial_reporting_measure": goal 1'),
        (STANDARD_GOALS, "discretionary", "wholly or in part"),
        ([scored("operational_goal", "1", "1")], "financial_reporting_measure", "not incentive-based"),
    ],
)
def test_a_basis_that_contradicts_the_goals_is_refused(components, basis, fragment):
    errors = errors_of(document(scorecard_award(components=components, basis=basis)))
    assert [p for p, _ in errors] == ["$.awards[0].basis"]
    assert fragment in errors[0][1]


# --- weights --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weights", "recomputed", "warning"),
    [
        # Restated factors 0.875, 1.0, 1.2 (standard goals); target 500,000.
        (("0.4", "0.4", "0.2"), "495000.00", None),
        (("0.4", "0.4", "0.1"), "435000.00", "add up to 0.9, not 1"),  # 0.35 + 0.4 + 0.12 = 0.87
        (("0.5", "0.5", "0.2"), "588750.00", "add up to 1.2, not 1"),  # 0.4375 + 0.5 + 0.24 = 1.1775
        (("1", "1", "1"), "1537500.00", "add up to 3, not 1"),  # 0.875 + 1 + 1.2 = 3.075
    ],
)
def test_weights_that_do_not_add_up_to_1_are_used_as_given_with_a_warning(weights, recomputed, warning):
    components = copy.deepcopy(STANDARD_GOALS)
    for component, weight in zip(components, weights, strict=True):
        component["weight"] = weight
    # Received what the formula gives on the original values, so only the weight warning can appear.
    original = D(weights[0]) * D("1.5") + D(weights[1]) * D("0.75") + D(weights[2]) * D("1.2")
    received = format(original * 500000, "f")
    result = run(document(scorecard_award(components=components, received=received)))
    assert result.awards[0].recomputed == D(recomputed)
    if warning is None:
        assert result.warnings == ()
    else:
        assert len(result.warnings) == 1 and result.warnings[0].startswith("bonus: ")
        assert warning in result.warnings[0]


@pytest.mark.parametrize("weight", ["0", "-0.2", "0.000"])
def test_a_weight_that_is_not_positive_is_an_error_naming_its_path(weight):
    components = copy.deepcopy(STANDARD_GOALS)
    components[1]["weight"] = weight
    errors = errors_of(document(scorecard_award(components=components)))
    assert errors == [("$.awards[0].scorecard.components[1].weight", "must be more than zero")]


# --- estimates ------------------------------------------------------------------------------------

TSR_GOALS = [goal("adj_ebitda", "0.5", EBITDA_POINTS), goal("rtsr", "0.5", TSR_POINTS)]
# Original 0.5 x 1.5 + 0.5 x 1.4 = 1.45 of 100,000.
TSR_CARD = {"components": TSR_GOALS, "target": "100000", "received": "145000"}


def estimate(values: dict, **extra) -> dict:
    return {
        "restated_values": values,
        "method": "event study of the 4.02 announcement",
        "documents": ["memo.pdf"],
        "adopted_on": "2026-05-01",
        **extra,
    }


def test_a_tsr_goal_without_an_estimate_leaves_the_award_pending():
    result = run(document(scorecard_award(**TSR_CARD)))
    (row,) = result.awards
    assert row.status is Status.REASONABLE_ESTIMATE_REQUIRED
    assert (row.recomputed, row.excess, row.excess_usd, row.to_recover, row.to_recover_usd) == (None,) * 5
    assert row.original_formula == D("145000.00")
    assert result.totals.pending_estimates == 1 and result.totals.excess_usd == 0
    assert "goal 2: measure rtsr is a tsr measure" in " ".join(row.explanation)
    # The recalculable goal is shown on its restated value; the TSR goal awaits the estimate.
    ebitda, rtsr = row.components
    assert (ebitda.restated_value, ebitda.restated_factor) == (D("115"), D("0.875"))
    assert (rtsr.original_value, rtsr.original_factor, rtsr.restated_value, rtsr.restated_factor) == (
        D("60"),
        D("1.4"),
        None,
        None,
    )
    award = result_to_json(result)["awards"][0]
    assert (award["to_recover"], award["to_recover_usd"], award["already_recovered"]) == (None, None, "0.00")


def test_restated_values_estimate_the_tsr_goal_and_the_rest_comes_from_the_restatement():
    # ebitda restated 115 -> 0.875; rtsr estimated 55 -> 1.2: 0.4375 + 0.6 = 1.0375 -> 103,750.
    result = run(document(scorecard_award(**TSR_CARD, estimate=estimate({"rtsr": "55"}))))
    (row,) = result.awards
    assert row.status is Status.ESTIMATED
    assert (row.recomputed, row.excess) == (D("103750.00"), D("41250.00"))
    assert [(c.restated_value, c.estimated) for c in row.components] == [(D("115"), False), (D("55"), True)]
    assert "event study" in " ".join(row.explanation)
    assert result.warnings == ()


def test_an_estimated_value_for_a_recalculable_goal_is_not_used_and_warned():
    result = run(
        document(scorecard_award(**TSR_CARD, estimate=estimate({"rtsr": "55", "adj_ebitda": "140"})))
    )
    assert result.awards[0].recomputed == D("103750.00")  # ebitda still 115 from the restatement
    assert any("adj_ebitda" in w and "not used" in w for w in result.warnings)


def test_requires_estimate_makes_every_measure_goal_need_an_estimated_value():
    card = scorecard_award(
        components=[goal("adj_ebitda", "0.5", EBITDA_POINTS), goal("revenue", "0.5", REVENUE_POINTS)],
        target="100000",
        received="112500",  # 0.5 x 1.5 + 0.5 x 0.75 = 1.125
        requires_estimate=True,
    )
    assert run(document(card)).awards[0].status is Status.REASONABLE_ESTIMATE_REQUIRED
    errors = errors_of(document(card | {"estimate": estimate({"adj_ebitda": "120"})}))
    assert errors == [
        (
            "$.awards[0].estimate.restated_values",
            'needs an estimated restated value for "revenue" (goal 2: the award requires an estimate)',
        )
    ]
    # Estimates 120 -> 1.0 and 1200 -> 2.0, not the restated 115 and 1100: 0.5 + 1.0 = 1.5 -> 150,000.
    done = run(document(card | {"estimate": estimate({"adj_ebitda": "120", "revenue": "1200"})}))
    assert (done.awards[0].status, done.awards[0].recomputed) == (Status.ESTIMATED, D("150000.00"))


@pytest.mark.parametrize(
    ("estimate_doc", "path", "fragment"),
    [
        (estimate({}), "$.awards[0].estimate.restated_values", 'value for "rtsr" (goal 2: a tsr measure)'),
        (estimate({"rtsr": "55", "eps": "1"}), "$.awards[0].estimate.restated_values.eps", "not the measure"),
        (estimate({"rtsr": 55}), "$.awards[0].estimate.restated_values.rtsr", "JSON number"),
        (
            estimate({"rtsr": "55"}, restated_value="55"),
            "$.awards[0].estimate.restated_value",
            "gives restated_values",
        ),
        (
            {"restated_value": "55", "method": "m", "documents": [], "adopted_on": "2026-05-01"},
            "$.awards[0].estimate.restated_values",
            "required key is missing",
        ),
    ],
)
def test_a_scorecard_estimate_is_checked_against_the_goals(estimate_doc, path, fragment):
    errors = errors_of(document(scorecard_award(**TSR_CARD, estimate=estimate_doc)))
    assert any(p == path and fragment in m for p, m in errors), errors


# --- the file's other rules for a scorecard -------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "path", "fragment"),
    [
        (lambda a: a | {"measure": "revenue"}, "$.awards[0].measure", "not allowed with a scorecard"),
        (lambda a: a | {"formula": {"kind": "linear", "rate": "1"}}, "$.awards[0].formula", "not allowed"),
        (
            lambda a: a["scorecard"].update(components=[]),
            "$.awards[0].scorecard.components",
            "must not be empty",
        ),
        (lambda a: a["scorecard"].pop("target"), "$.awards[0].scorecard.target", "required key is missing"),
        (lambda a: a["scorecard"].update(cap_factor="-1"), "$.awards[0].scorecard.cap_factor", "negative"),
        (
            lambda a: a["scorecard"]["components"][2].update(basis="vibes"),
            "$.awards[0].scorecard.components[2].basis",
            "must be one of financial_reporting_measure, operational_goal, discretionary, individual",
        ),
        (
            lambda a: a["scorecard"]["components"][2].update(factor="-1"),
            "$.awards[0].scorecard.components[2].factor",
            "negative",
        ),
        (
            lambda a: a["scorecard"]["components"][0].update(measure="ebit"),
            "$.awards[0].scorecard.components[0].measure",
            'no measure has key "ebit"',
        ),
        (
            lambda a: a["scorecard"]["components"][0].update(measure_period="FY2019"),
            "$.awards[0].scorecard.components[0].measure_period",
            "has no value for",
        ),
        (
            lambda a: a["scorecard"]["components"][1]["points"].reverse(),
            "$.awards[0].scorecard.components[1].points[1]",
            "strictly ascending",
        ),
        (
            lambda a: a["scorecard"]["components"][0].update(factor="1"),
            "$.awards[0].scorecard.components[0].factor",
            "unknown key",
        ),
        (
            lambda a: a["scorecard"]["components"][2].pop("factor"),
            "$.awards[0].scorecard.components[2].factor",
            "required key is missing",
        ),
    ],
)
def test_scorecard_problems_name_their_json_path(change, path, fragment):
    award = scorecard_award()
    changed = change(award)
    errors = errors_of(document(changed if isinstance(changed, dict) and "id" in changed else award))
    assert any(p == path and fragment in m for p, m in errors), errors


def test_a_measure_goal_may_state_its_basis():
    components = copy.deepcopy(STANDARD_GOALS)
    components[0]["basis"] = "financial_reporting_measure"
    assert run(document(scorecard_award(components=components))).awards[0].excess == D("75000.00")


def test_a_scorecard_in_a_version_1_file_is_refused():
    data = document()
    data["format"] = "clawback-scenario/1"
    errors = errors_of(data)
    assert [p for p, _ in errors] == ["$.awards[0].scorecard"]
    assert "only allowed in clawback-scenario/2" in errors[0][1]


def test_the_explanation_shows_every_goal_in_plain_sentences():
    steps = " ".join(run(document()).awards[0].explanation)
    for expected in (
        "Goal 1 (adj_ebitda FY2024, weight 0.4): original 130, restated 115 (from the restated financial",
        "gives factor 1.5 on the original value and 0.875 on the restated value",
        "Goal 2 (revenue FY2024, weight 0.4): original 1,050, restated 1,100",
        "gives factor 0.75 on the original value and 1 on the restated value",
        "Goal 3 (operational_goal, weight 0.2): factor 1.2 as scored by the committee",
        "On the original values: 0.4 x 1.5 + 0.4 x 0.75 + 0.2 x 1.2 = 1.14; 1.14 x target 500,000 = 570,000.00",
        "On the restated values: 0.4 x 0.875 + 0.4 x 1 + 0.2 x 1.2 = 0.99; 0.99 x target 500,000 = 495,000.00",
        "offset each other inside this award",
    ):
        assert expected in steps, expected


def test_the_result_json_shows_goals_only_in_the_explanation():
    award = result_to_json(run(document()))["awards"][0]
    assert set(award) == {
        "id", "executive", "received_on", "in_scope", "reasons", "status", "unit", "received",
        "original_formula", "recomputed", "excess", "excess_usd", "already_recovered", "to_recover",
        "to_recover_usd", "explanation",
    }  # fmt: skip
    assert "Goal 3 (operational_goal" in award["explanation"]


# --- properties ---------------------------------------------------------------------------------

values = st.decimals(min_value=0, max_value=300, places=1)
weights = st.decimals(min_value="0.05", max_value=2, places=2)
PROPERTY_POINTS = ((D("10"), D("0.5")), (D("100"), D("1.0")), (D("200"), D("2.0")))


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


@settings(max_examples=200, deadline=None)
@given(
    original=st.tuples(values, values),
    restated=st.tuples(values | st.none(), values | st.none()),
    goal_weights=st.tuples(weights, weights, weights),
    scored_factor=st.decimals(min_value=0, max_value=3, places=2),
    cap=st.none() | st.decimals(min_value=0, max_value=3, places=1),
)
def test_a_scorecard_excess_is_never_negative_and_nothing_is_owed_when_nothing_moved(
    original, restated, goal_weights, scored_factor, cap
):
    points = [[_text(x), _text(f)] for x, f in PROPERTY_POINTS]
    components = [
        goal("adj_ebitda", _text(goal_weights[0]), points),
        goal("revenue", _text(goal_weights[1]), points),
        scored("individual", _text(goal_weights[2]), _text(scored_factor)),
    ]
    # Received exactly what the plan paid on the original values, to the cent.
    card = (
        parse_scenario(document(scorecard_award(components=components, cap=_text(cap)))).awards[0].scorecard
    )
    with localcontext(ENGINE_CONTEXT):
        factors = [curve_factor(PROPERTY_POINTS, v) for v in original] + [scored_factor]
        received = round_half_up(scorecard_payout(card, factors)[0], quantum=D("0.01"))
    value_rows = {
        "adj_ebitda": ("ebitda", _text(original[0]), _text(restated[0])),
        "revenue": ("revenue", _text(original[1]), _text(restated[1])),
    }
    award = scorecard_award(components=components, received=_text(received), cap=_text(cap))
    result = run(document(award, values=value_rows))
    (row,) = result.awards
    assert row.original_formula == row.received
    assert D(0) <= row.excess <= row.received
    assert row.to_recover == row.excess and row.to_recover_usd == row.excess_usd
    if all(r is None or r == o for o, r in zip(original, restated, strict=True)):
        assert row.excess == 0
