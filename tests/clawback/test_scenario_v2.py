"""`clawback-scenario/2` and `clawback-result/2`: amounts already recovered, exact unit arithmetic, the
stricter input both formats share, and the round trip through `scenario_to_json`. No database; expected
figures are worked out by hand in comments. Scorecards are in test_scorecards.py."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clawback.recovery import (
    RULE_VERSION,
    Award,
    CurveFormula,
    Estimate,
    Executive,
    FiscalPeriod,
    Measure,
    MeasureComponent,
    MeasureValue,
    OfficerPeriod,
    RecoveredAmount,
    Restatement,
    RestatementEvent,
    Scenario,
    Scorecard,
    ScoredComponent,
    Status,
    evaluate,
)
from clawback.scenario import (
    ScenarioError,
    load_scenario,
    parse_scenario,
    result_to_json,
    scenario_to_json,
    validate_scenario,
)
from tests.clawback.compare import (
    RESULT_2_AWARD_KEYS,
    RESULT_2_TOTAL_KEYS,
    as_result_1,
    load_example,
    result_differences,
)
from tests.clawback.test_scenario import _assert_parses_or_scenario_error, _paths, _redraw_leaves, json_values

D = Decimal

RESULT_1_KEYS = {
    "format", "triggers_recovery_analysis", "required_on", "required_on_event", "lookback", "awards",
    "executives", "totals", "warnings",
}  # fmt: skip
AWARD_1_KEYS = {
    "id", "executive", "received_on", "in_scope", "reasons", "status", "unit", "received", "original_formula",
    "recomputed", "excess", "excess_usd", "explanation",
}  # fmt: skip
EXECUTIVE_1_KEYS = {"id", "excess_usd", "excess_units", "pending_estimates"}
TOTALS_1_KEYS = {"excess_usd", "excess_units", "pending_estimates"}


def errors_of(data) -> list[tuple[str, str]]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data)
    return caught.value.errors


def v2(n: int = 1) -> dict:
    """Example n as a `/2` file (a `/1` file is a valid `/2` one once its format says so)."""
    data = load_example(n)
    data["format"] = "clawback-scenario/2"
    return data


def json_result(data: dict) -> dict:
    return result_to_json(evaluate(parse_scenario(data)))


def award_row(result: dict, award_id: str) -> dict:
    return next(a for a in result["awards"] if a["id"] == award_id)


# --- formats --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "version"), [(1, 1), (2, 1), (3, 2)])
def test_the_file_format_sets_the_scenario_and_result_version(n, version):
    scenario = parse_scenario(load_example(n))
    assert scenario.format_version == version
    assert result_to_json(evaluate(scenario))["format"] == f"clawback-result/{version}"


@pytest.mark.parametrize("n", [1, 2])
def test_a_version_1_file_gives_exactly_the_version_1_fields(n):
    result = json_result(load_example(n))
    assert set(result) == RESULT_1_KEYS
    assert all(set(a) == AWARD_1_KEYS for a in result["awards"])
    assert all(set(e) == EXECUTIVE_1_KEYS for e in result["executives"])
    assert set(result["totals"]) == TOTALS_1_KEYS


@pytest.mark.parametrize("n", [1, 2, 3])
def test_a_version_2_file_gives_the_version_1_fields_plus_exactly_those_version_2_lists(n):
    result = json_result(v2(n))
    assert result["format"] == "clawback-result/2"
    assert set(result) == RESULT_1_KEYS
    assert all(set(a) == AWARD_1_KEYS | set(RESULT_2_AWARD_KEYS) for a in result["awards"])
    assert all(set(e) == EXECUTIVE_1_KEYS | set(RESULT_2_TOTAL_KEYS) for e in result["executives"])
    assert set(result["totals"]) == TOTALS_1_KEYS | set(RESULT_2_TOTAL_KEYS)


@pytest.mark.parametrize("n", [1, 2])
def test_a_version_1_case_read_as_version_2_gives_the_same_figures(n):
    assert as_result_1(json_result(v2(n))) == json_result(load_example(n))


def test_without_credits_to_recover_equals_the_excess():
    result = json_result(v2(1))
    for award in result["awards"]:
        assert D(award["already_recovered"]) == 0
        assert (award["to_recover"], award["to_recover_usd"]) == (award["excess"], award["excess_usd"])
    assert result["totals"]["to_recover_usd"] == result["totals"]["excess_usd"] == "1320000.00"
    assert result["totals"]["to_recover_units"] == result["totals"]["excess_units"] == "6000"


def test_a_scenario_built_in_code_is_of_the_newest_version():
    scenario = parse_scenario(load_example(1))
    built = Scenario(**{f: getattr(scenario, f) for f in ("company_name", "fiscal_periods", "restatement")})
    assert built.format_version == 2
    assert built == Scenario(
        **{f: getattr(built, f) for f in ("company_name", "fiscal_periods", "restatement")}
    )


def test_rule_version_names_the_rule_and_fits_its_column():
    assert ".md" not in RULE_VERSION and "10D-1" in RULE_VERSION
    assert len(RULE_VERSION) <= 40  # Determination.rule_version and the reminders' column are 40 wide


# --- amounts already recovered --------------------------------------------------------------------


def credit(amount: str, source: str = "prior_restatement", on: str = "2026-01-15") -> dict:
    return {"amount": amount, "on": on, "source": source, "reference": "Restatement 2025-1"}


@pytest.mark.parametrize(
    ("credits", "already", "to_recover"),
    [
        # ceo-fy2024-bonus: received 1,200,000.00, recomputed 960,000.00, excess 240,000.00.
        ([], "0.00", "240000.00"),
        ([credit("100000")], "100000.00", "140000.00"),  # below the excess
        ([credit("240000")], "240000.00", "0.00"),  # equal
        ([credit("300000", "sox_304")], "300000.00", "0.00"),  # above: never negative
        ([credit("100000"), credit("40000.50", "other")], "140000.50", "99999.50"),  # summed
        ([credit("100000"), credit("140000.01", "sox_304")], "240000.01", "0.00"),
    ],
)
def test_what_was_already_recovered_is_credited_against_a_usd_excess(credits, already, to_recover):
    data = v2(1)
    data["awards"][2]["already_recovered"] = credits
    result = json_result(data)
    row = award_row(result, "ceo-fy2024-bonus")
    assert (row["excess"], row["excess_usd"]) == ("240000.00", "240000.00")  # the /1 meaning, unchanged
    assert (row["already_recovered"], row["to_recover"], row["to_recover_usd"]) == (
        already,
        to_recover,
        to_recover,
    )
    # ceo also owes 480,000.00 (FY2025 bonus) and 6,000 units = 240,000.00 (PSU), nothing credited there.
    ceo = next(e for e in result["executives"] if e["id"] == "ceo")
    assert D(ceo["to_recover_usd"]) == D(to_recover) + D("720000.00")
    assert D(ceo["excess_usd"]) == D("960000.00")


@pytest.mark.parametrize(
    ("credits", "already", "to_recover", "to_recover_usd"),
    [
        # ceo-2023-psu: received 17,500, recomputed 11,500, excess 6,000 units at 40.00 = 240,000.00.
        ([credit("1000")], "1000", "5000", "200000.00"),
        ([credit("6000")], "6000", "0", "0.00"),
        ([credit("7000")], "7000", "0", "0.00"),
        ([credit("0.5"), credit("0.25", "other")], "0.75", "5999.25", "239970.00"),
    ],
)
def test_units_already_recovered_are_credited_in_units_and_valued_per_unit(
    credits, already, to_recover, to_recover_usd
):
    data = v2(1)
    data["awards"][4]["already_recovered"] = credits
    result = json_result(data)
    row = award_row(result, "ceo-2023-psu")
    assert (row["excess"], row["excess_usd"]) == ("6000", "240000.00")
    assert (row["already_recovered"], row["to_recover"], row["to_recover_usd"]) == (
        already,
        to_recover,
        to_recover_usd,
    )
    ceo = next(e for e in result["executives"] if e["id"] == "ceo")
    assert (ceo["excess_units"], ceo["to_recover_units"]) == ("6000", to_recover)
    assert result["totals"]["to_recover_units"] == to_recover


def test_totals_add_each_executives_amounts_to_recover():
    # ceo: FY2024 240,000 - 50,000 = 190,000; FY2025 480,000 - 0; PSU 6,000 - 2,000 units = 4,000 x 40.
    # cfo: FY2024 120,000 - 120,000 = 0; FY2025 240,000 - 40,000 = 200,000.
    data = v2(1)
    data["awards"][2]["already_recovered"] = [credit("50000")]
    data["awards"][4]["already_recovered"] = [credit("2000")]
    data["awards"][6]["already_recovered"] = [credit("120000", "sox_304")]
    data["awards"][7]["already_recovered"] = [credit("40000", "other")]
    result = json_result(data)
    by_id = {e["id"]: e for e in result["executives"]}
    assert (by_id["ceo"]["to_recover_usd"], by_id["ceo"]["to_recover_units"]) == ("830000.00", "4000")
    assert (by_id["cfo"]["to_recover_usd"], by_id["cfo"]["to_recover_units"]) == ("200000.00", "0")
    assert result["totals"] == {
        "excess_usd": "1320000.00",
        "excess_units": "6000",
        "pending_estimates": 0,
        "to_recover_usd": "1030000.00",
        "to_recover_units": "4000",
    }


def test_an_excluded_award_has_nothing_to_recover_whatever_was_credited():
    data = v2(1)
    data["awards"][0]["already_recovered"] = [credit("50000")]  # ceo-h1-2023-bonus, PRE_EFFECTIVE_DATE
    row = award_row(json_result(data), "ceo-h1-2023-bonus")
    assert row["status"] == "excluded"
    assert (row["already_recovered"], row["to_recover"], row["to_recover_usd"]) == (
        "50000.00",
        "0.00",
        "0.00",
    )


def test_a_pending_award_has_no_amount_to_recover_yet():
    data = v2(2)
    data["awards"][2]["already_recovered"] = [credit("100")]  # ceo-tsr-psu, awaiting an estimate
    result = json_result(data)
    row = award_row(result, "ceo-tsr-psu")
    assert row["status"] == "reasonable_estimate_required"
    assert (row["already_recovered"], row["to_recover"], row["to_recover_usd"]) == ("100", None, None)
    assert result["totals"]["to_recover_usd"] == result["totals"]["excess_usd"] == "195000.00"
    assert "determined once the estimate is adopted" in row["explanation"]


@pytest.mark.parametrize(
    ("entry", "path", "fragment"),
    [
        (credit("1", source="clawback"), ".source", "must be one of prior_restatement, sox_304, other"),
        (credit("0"), ".amount", "must be more than zero"),
        (credit("-5"), ".amount", "must be more than zero"),
        (credit("10.005"), ".amount", "two decimal places"),
        (credit("10", on="2026-13-01"), ".on", "not a real date"),
        ({**credit("10"), "reference": " "}, ".reference", "must not be empty"),
        (
            {k: v for k, v in credit("10").items() if k != "reference"},
            ".reference",
            "required key is missing",
        ),
        ({**credit("10"), "note": "x"}, ".note", "unknown key"),
        ({**credit("10"), "amount": 10}, ".amount", "JSON number"),
    ],
)
def test_each_amount_already_recovered_is_checked(entry, path, fragment):
    data = v2(1)
    data["awards"][2]["already_recovered"] = [credit("1"), entry]
    errors = errors_of(data)
    assert any(p == "$.awards[2].already_recovered[1]" + path and fragment in m for p, m in errors), errors


def test_already_recovered_is_a_list():
    data = v2(1)
    data["awards"][2]["already_recovered"] = credit("1")
    assert errors_of(data) == [("$.awards[2].already_recovered", "must be an array, not an object")]


def test_already_recovered_in_a_version_1_file_is_refused():
    data = load_example(1)
    data["awards"][2]["already_recovered"] = [credit("1")]
    errors = errors_of(data)
    assert [p for p, _ in errors] == ["$.awards[2].already_recovered"]
    assert "only allowed in clawback-scenario/2" in errors[0][1]


# --- exact unit arithmetic ------------------------------------------------------------------------


def thirds_scenario(received: str = "2000", credits: tuple[RecoveredAmount, ...] = ()) -> Scenario:
    """2,000 units at a factor of 1 on the original 300, 2/3 on the restated 200: recomputed 4,000/3."""
    return Scenario(
        company_name="Thirds Corp",
        fiscal_periods=tuple(
            FiscalPeriod(label=f"FY{y}", start=date(y, 1, 1), end=date(y, 12, 31)) for y in range(2022, 2027)
        ),
        restatement=Restatement(kind="big_r", events=(RestatementEvent(kind="board_concluded", date=date(2026, 3, 1)),)),
        measures=(Measure(key="oi", category="operating_income", values={"FY2025": MeasureValue(original=D("300"), restated=D("200"))}),),
        executives=(Executive(id="ceo", name="C", officer_periods=(OfficerPeriod(start=date(2010, 1, 1)),)),),
        awards=(
            Award(
                id="psu",
                executive="ceo",
                type="performance_shares",
                basis="financial_reporting_measure",
                performance_start=date(2025, 1, 1),
                performance_end=date(2025, 12, 31),
                measure="oi",
                measure_period="FY2025",
                formula=CurveFormula(target=D("2000"), points=((D("0"), D("0")), (D("300"), D("1")))),
                unit="units",
                value_per_unit=D("8000"),
                received=D(received),
                already_recovered=credits,
            ),
        ),
    )  # fmt: skip


def test_the_usd_value_of_a_unit_excess_comes_from_the_exact_excess_rounded_once():
    # Exact excess 2,000 - 4,000/3 = 2,000/3 units; 2,000/3 x 8,000 = 5,333,333.333... -> 5,333,333.33.
    # Rounding the units first would give 666.666667 x 8,000 = 5,333,333.336 -> 5,333,333.34.
    (row,) = evaluate(thirds_scenario()).awards
    assert (row.recomputed, row.excess) == (D("1333.333333"), D("666.666667"))
    assert row.excess_usd == D("5333333.33")
    assert row.excess * D("8000") == D("5333333.336000")  # what the old, rounded-first figure was
    assert "the exact excess ~666.666667 units" in " ".join(row.explanation)


@pytest.mark.parametrize(
    ("credits", "to_recover", "to_recover_usd"),
    [
        # (2,000/3 - 100) x 8,000 = 4,533,333.333... -> 4,533,333.33
        (("100",), "566.666667", "4533333.33"),
        # (2,000/3 - 666.666666) x 8,000 = 0.000000666... x 8,000 = 0.00533... -> 0.01
        (("666.666666",), "0.000001", "0.01"),
        # 666.666667 is more than the exact excess: nothing left, in units or dollars.
        (("666.666667",), "0", "0"),
    ],
)
def test_the_usd_amount_to_recover_comes_from_the_exact_unit_excess(credits, to_recover, to_recover_usd):
    recovered = tuple(
        RecoveredAmount(amount=D(c), on=date(2026, 1, 1), source="other", reference="r") for c in credits
    )
    (row,) = evaluate(thirds_scenario(credits=recovered)).awards
    assert (row.to_recover, row.to_recover_usd) == (D(to_recover), D(to_recover_usd))


def test_the_thirds_case_through_the_json_formats():
    result = result_to_json(evaluate(parse_scenario(scenario_to_json(thirds_scenario()))))
    (row,) = result["awards"]
    assert (row["recomputed"], row["excess"], row["excess_usd"]) == (
        "1333.333333",
        "666.666667",
        "5333333.33",
    )
    assert result["totals"]["excess_usd"] == "5333333.33"


# --- stricter input (both formats) ----------------------------------------------------------------


@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize(
    ("kind", "fragment"),
    [
        ("auditor_letter", "must be one of board_concluded, committee_concluded, officers_concluded"),
        ("Board_Concluded", 'got "Board_Concluded"'),
        ("", "must be one of"),
        (7, "must be a string"),
    ],
)
def test_an_unknown_event_kind_is_an_error_naming_its_path(version, kind, fragment):
    data = load_example(1)
    data["format"] = f"clawback-scenario/{version}"
    data["restatement"]["events"][2]["kind"] = kind
    errors = errors_of(data)
    assert [p for p, _ in errors] == ["$.restatement.events[2].kind"]
    assert fragment in errors[0][1]
    assert ('"other"' in errors[0][1]) is (version == 2 and isinstance(kind, str))


@pytest.mark.parametrize(
    "kind",
    [
        "board_concluded", "committee_concluded", "officers_concluded", "should_have_concluded",
        "directed_by_court_or_regulator", "board_ratified", "form_8k_item_4_02_filed", "restated_financials_filed",
    ],
)  # fmt: skip
@pytest.mark.parametrize("version", [1, 2])
def test_the_eight_named_event_kinds_are_accepted_in_both_formats(kind, version):
    data = load_example(1)
    data["format"] = f"clawback-scenario/{version}"
    data["restatement"]["events"].append({"kind": kind, "date": "2026-05-01"})
    assert parse_scenario(data).restatement.events[-1].kind == kind


def test_an_other_event_is_recorded_in_version_2_and_never_sets_the_date():
    data = v2(1)
    data["restatement"]["events"].insert(
        0, {"kind": "other", "label": "Auditor's letter", "date": "2026-01-05"}
    )
    scenario = parse_scenario(data)
    assert scenario.restatement.events[0] == RestatementEvent(
        kind="other", label="Auditor's letter", date=date(2026, 1, 5)
    )
    result = evaluate(scenario)
    assert (result.required_on, result.required_on_event) == (date(2026, 4, 15), "board_concluded")
    assert scenario_to_json(scenario)["restatement"]["events"][0] == {
        "kind": "other",
        "date": "2026-01-05",
        "label": "Auditor's letter",
    }


@pytest.mark.parametrize(
    ("version", "event", "path", "fragment"),
    [
        (1, {"kind": "other", "label": "x", "date": "2026-01-05"}, ".kind", "only allowed in clawback-scenario/2"),
        (2, {"kind": "other", "date": "2026-01-05"}, ".label", 'required for an event of kind "other"'),
        (2, {"kind": "other", "label": "  ", "date": "2026-01-05"}, ".label", "must not be empty"),
        (2, {"kind": "other", "label": 3, "date": "2026-01-05"}, ".label", "must be a string"),
        (2, {"kind": "board_ratified", "label": "x", "date": "2026-01-05"}, ".label", 'only allowed for an event of kind "other"'),
        (1, {"kind": "board_ratified", "label": "x", "date": "2026-01-05"}, ".label", "only allowed"),
    ],
)  # fmt: skip
def test_other_events_and_labels_are_checked(version, event, path, fragment):
    data = load_example(1)
    data["format"] = f"clawback-scenario/{version}"
    data["restatement"]["events"].append(event)
    errors = errors_of(data)
    assert [p for p, _ in errors] == ["$.restatement.events[3]" + path]
    assert fragment in errors[0][1]


@pytest.mark.parametrize("restatement_kind", ["big_r", "little_r"])
@pytest.mark.parametrize(
    "events",
    [
        [],
        [{"kind": "form_8k_item_4_02_filed", "date": "2026-04-20"}],
        [{"kind": "board_ratified", "date": "2026-04-20"}, {"kind": "restated_financials_filed", "date": "2026-06-30"}],
        [{"kind": "other", "label": "Auditor's letter", "date": "2026-04-01"}],
    ],
)  # fmt: skip
def test_a_restatement_without_an_event_setting_the_date_is_an_error_not_a_zero_result(
    restatement_kind, events
):
    data = v2(1)
    data["restatement"] = {"kind": restatement_kind, "events": events}
    errors = errors_of(data)
    assert [p for p, _ in errors] == ["$.restatement.events"]
    assert f"a {restatement_kind} restatement needs an event that sets the date" in errors[0][1]
    # A draft case may be read without it (the app's records); the engine then warns and computes nothing.
    draft = parse_scenario(data, require_restatement_date=False)
    result = evaluate(draft)
    assert result.triggers_recovery_analysis is True and result.awards == ()
    assert any("No recorded event sets the date" in w for w in result.warnings)
    assert validate_scenario(draft) == errors
    assert validate_scenario(draft, require_restatement_date=False) == []


def test_load_scenario_refuses_a_missing_date_too():
    data = load_example(1)
    data["restatement"]["events"] = [{"kind": "form_8k_item_4_02_filed", "date": "2026-04-20"}]
    with pytest.raises(ScenarioError) as caught:
        load_scenario(json.dumps(data))
    assert [p for p, _ in caught.value.errors] == ["$.restatement.events"]


@pytest.mark.parametrize("restatement_kind", ["out_of_period", "non_error_change"])
def test_a_restatement_that_starts_no_analysis_needs_no_date(restatement_kind):
    data = load_example(1)
    data["restatement"] = {"kind": restatement_kind, "events": []}
    assert evaluate(parse_scenario(data)).triggers_recovery_analysis is False


@pytest.mark.parametrize(
    ("required_on", "warned"),
    [
        ("2025-11-15", True),  # FY2025 (restated) ends 2025-12-31, after the date
        ("2025-12-31", True),  # its last day: FY2025 had not ended yet
        ("2026-01-01", False),
        ("2026-04-15", False),
    ],
)
def test_a_required_to_prepare_date_before_a_restated_period_ends_is_warned(required_on, warned):
    data = load_example(1)
    data["restatement"]["events"] = [{"kind": "board_concluded", "date": required_on}]
    warnings = [w for w in evaluate(parse_scenario(data)).warnings if "Restated values" in w]
    if not warned:
        assert warnings == []
        return
    # net_income FY2025 and the cumulative FY2023-FY2025 EBITDA both cover FY2025: one warning for it.
    (warning,) = warnings
    for fragment in ("FY2025", "ends 2025-12-31", required_on, "net_income FY2025", "FY2023-FY2025"):
        assert fragment in warning


# --- round trip -----------------------------------------------------------------------------------


def full_featured_v2() -> Scenario:
    """A code-built `/2` scenario using every `/2` field: a capped scorecard with an estimated TSR goal,
    amounts already recovered in USD and in units, and an `other` event."""
    base = parse_scenario(load_example(3))
    rtsr = Measure(key="rtsr", category="tsr", values={"FY2024": MeasureValue(original=D("60"))})
    scorecard = Scorecard(
        target=D("100000.50"),
        cap_factor=D("1.25"),
        components=(
            MeasureComponent(measure="adj_ebitda", measure_period="FY2024", weight=D("0.5"), points=((D("100"), D("0.5")), (D("140"), D("2")))),
            MeasureComponent(measure="rtsr", measure_period="FY2024", weight=D("0.3"), points=((D("25"), D("0.5")), (D("75"), D("2")))),
            ScoredComponent(basis="individual", weight=D("0.25"), factor=D("0")),
        ),
    )  # fmt: skip
    award = Award(
        id="cfo-fy2024-tsr-card",
        executive="cfo",
        type="cash_bonus",
        basis="financial_reporting_measure",
        performance_start=date(2024, 1, 1),
        performance_end=date(2024, 12, 31),
        scorecard=scorecard,
        unit="USD",
        received=D("99000.00"),
        estimate=Estimate(
            restated_values={"rtsr": D("52.5")}, method="event study", documents=("memo.pdf",), adopted_on=date(2026, 5, 1)
        ),
        already_recovered=(RecoveredAmount(amount=D("1000.25"), on=date(2026, 4, 1), source="sox_304", reference="SOX 304"),),
    )  # fmt: skip
    return Scenario(
        company_name=base.company_name,
        fiscal_periods=base.fiscal_periods,
        restatement=base.restatement,
        measures=(*base.measures, rtsr),
        executives=base.executives,
        awards=(*base.awards, award),
    )


@pytest.mark.parametrize(
    "make", [lambda: parse_scenario(load_example(3)), full_featured_v2], ids=["example-3", "full"]
)
def test_a_version_2_scenario_survives_an_export_and_re_import(make):
    scenario = make()
    exported = json.loads(json.dumps(scenario_to_json(scenario)))
    assert exported["format"] == "clawback-scenario/2"
    assert validate_scenario(scenario) == []
    again = parse_scenario(exported)
    assert again == scenario
    assert again.format_version == 2
    assert result_to_json(evaluate(again)) == result_to_json(evaluate(scenario))


def test_the_full_featured_scenario_evaluates_its_estimated_scorecard():
    # ebitda 130 -> 115: factor 0.5 + 30/40 x 1.5 = 1.625 -> 0.5 + 15/40 x 1.5 = 1.0625.
    # rtsr 60 -> estimate 52.5: 0.5 + 35/50 x 1.5 = 1.55 -> 0.5 + 27.5/50 x 1.5 = 1.325.
    # Original 0.5 x 1.625 + 0.3 x 1.55 + 0.25 x 0 = 1.2775, capped 1.25: 125,000.625 -> 125,000.63.
    # Restated 0.5 x 1.0625 + 0.3 x 1.325 = 0.92875: 92,875.464375 -> 92,875.46.
    # Received 99,000.00: excess 6,124.54; already recovered 1,000.25: to recover 5,124.29.
    result = evaluate(full_featured_v2())
    row = result.awards[-1]
    assert row.status is Status.ESTIMATED
    assert (row.original_formula, row.recomputed, row.excess) == (D("125000.63"), D("92875.46"), D("6124.54"))
    assert (row.already_recovered, row.to_recover, row.to_recover_usd) == (
        D("1000.25"),
        D("5124.29"),
        D("5124.29"),
    )
    assert any("weights add up to 1.05" in w for w in result.warnings)
    assert any("125,000.63 USD but 99,000.00 USD was received" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda a: {"basis": "discretionary"}, "$.awards[4].basis"),
        (
            lambda a: {"scorecard": Scorecard(target=a.scorecard.target, components=(ScoredComponent(basis="individual", weight=D("0"), factor=D("1")),))},
            "$.awards[4].scorecard.components[0].weight",
        ),
        (lambda a: {"already_recovered": (RecoveredAmount(amount=D("1"), on=date(2026, 1, 1), source="bonus", reference="r"),)}, "$.awards[4].already_recovered[0].source"),
        (lambda a: {"estimate": Estimate(restated_value=D("1"), method="m", documents=(), adopted_on=date(2026, 5, 1))}, "$.awards[4].estimate.restated_value"),
    ],
)  # fmt: skip
def test_validate_scenario_reports_version_2_problems_of_a_scenario_built_in_code(change, path):
    scenario = full_featured_v2()
    last = scenario.awards[-1]
    broken = Award(**{f: getattr(last, f) for f in Award.__dataclass_fields__} | change(last))
    bad = Scenario(
        **{f: getattr(scenario, f) for f in Scenario.__dataclass_fields__}
        | {"awards": (*scenario.awards[:-1], broken)}
    )
    assert path in {p for p, _ in validate_scenario(bad)}


# --- fuzzing the /2 example: a ScenarioError or a result, never a traceback -----------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_version_2_example_gives_a_scenario_error_or_a_result(data):
    document = load_example(3)
    for _ in range(data.draw(st.integers(1, 3))):
        paths = [p for p in _paths(document) if p]
        path = data.draw(st.sampled_from(paths))
        parent = document
        for key in path[:-1]:
            parent = parent[key]
        if data.draw(st.booleans()):
            parent[path[-1]] = data.draw(json_values)
        elif isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent.pop(path[-1])
    _assert_parses_or_scenario_error(document)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_version_2_example_with_redrawn_dates_and_amounts_evaluates_or_gives_a_scenario_error(data):
    _assert_parses_or_scenario_error(_redraw_leaves(data, copy.deepcopy(load_example(3))))


def test_the_version_2_example_matches_its_hand_computed_result():
    result = json_result(load_example(3))
    assert result_differences(result, load_example(3, "expected")) == []
