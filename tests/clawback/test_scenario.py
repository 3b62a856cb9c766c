"""Reading and writing scenario files (clawback.scenario): complete validation with JSON paths, the
inverse writer, and the result format. No database. The `/2` additions are in test_scenario_v2.py."""

from __future__ import annotations

import copy
import json
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clawback.recovery import (
    Award,
    CurveFormula,
    Estimate,
    Executive,
    FiscalPeriod,
    LinearFormula,
    ListedPeriod,
    Measure,
    MeasureValue,
    OfficerPeriod,
    Restatement,
    RestatementEvent,
    Scenario,
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
from tests.clawback.compare import as_result_1, example_path, load_example

D = Decimal


def example(n: int) -> dict:
    return load_example(n)


def errors_of(data) -> list[tuple[str, str]]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data)
    return caught.value.errors


def mutated(change) -> dict:
    data = copy.deepcopy(example(1))
    change(data)
    return data


def _set(path: list, value):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _delete(path: list):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


# --- parsing --------------------------------------------------------------------------------------


def test_example_parses_into_the_dataclasses():
    scenario = parse_scenario(example(1))
    assert scenario.company_name == "Example Corp"
    assert scenario.listing_standard_effective_date == date(2023, 10, 2)
    assert scenario.listed_periods is None
    assert scenario.restatement.events[1] == RestatementEvent(kind="board_concluded", date=date(2026, 4, 15))
    psu = scenario.awards[4]
    assert (psu.unit, psu.value_per_unit, psu.received) == ("units", D("40.00"), D("17500"))
    assert psu.formula.points[1] == (D("660000000"), D("1.0"))
    rsu = scenario.awards[5]
    assert (rsu.basis, rsu.measure, rsu.formula) == ("time_vested", None, None)
    fy2023 = {m.key: m for m in scenario.measures}["net_income"].values["FY2023"]
    assert fy2023 == MeasureValue(original=D("200000000"), restated=None)


def test_load_scenario_reads_json_text_and_bytes():
    text = example_path(2).read_text()
    assert load_scenario(text) == load_scenario(text.encode()) == parse_scenario(json.loads(text))


def test_optional_fields_take_their_defaults_and_null_restated_means_not_restated():
    data = example(1)
    data["measures"]["net_income"]["values"]["FY2023"]["restated"] = None
    data["company"]["listed_periods"] = [{"start": "1999-05-01"}]
    data["awards"][1]["formula"] = {"kind": "linear", "rate": "0.003"}
    scenario = parse_scenario(data)
    assert scenario.listed_periods == (ListedPeriod(start=date(1999, 5, 1), end=None),)
    assert scenario.awards[1].formula == LinearFormula(rate=D("0.003"), offset=D("0"), cap=None)
    assert scenario.awards[1].requires_estimate is False


# --- validation: every kind of problem, with its JSON path ----------------------------------------

CASES = [
    ("unknown root key", _set(["colour"], "blue"), "$.colour", "unknown key"),
    ("unknown award key", _set(["awards", 0, "bonus_pool"], "x"), "$.awards[0].bonus_pool", "unknown key"),
    (
        "unknown formula key",
        _set(["awards", 1, "formula", "floor"], "0"),
        "$.awards[1].formula.floor",
        "unknown key",
    ),
    ("unknown company key", _set(["company", "ticker"], "EXM"), "$.company.ticker", "unknown key"),
    (
        "missing received",
        _delete(["awards", 0, "received"]),
        "$.awards[0].received",
        "required key is missing",
    ),
    ("missing restatement", _delete(["restatement"]), "$.restatement", "required key is missing"),
    (
        "missing period end",
        _delete(["company", "fiscal_periods", 2, "end"]),
        "$.company.fiscal_periods[2].end",
        "required key is missing",
    ),
    ("executives not an array", _set(["executives"], {}), "$.executives", "must be an array"),
    ("name not a string", _set(["company", "name"], 7), "$.company.name", "must be a string"),
    ("amount as JSON number", _set(["awards", 0, "received"], 100000), "$.awards[0].received", "JSON number"),
    ("amount as JSON float", _set(["awards", 0, "received"], 1e5), "$.awards[0].received", "JSON number"),
    ("amount as boolean", _set(["awards", 0, "received"], True), "$.awards[0].received", "decimal"),
    ("NaN string", _set(["awards", 0, "received"], "NaN"), "$.awards[0].received", "plain decimal"),
    ("Infinity string", _set(["awards", 0, "received"], "Infinity"), "$.awards[0].received", "plain decimal"),
    ("exponent string", _set(["awards", 0, "received"], "1e5"), "$.awards[0].received", "plain decimal"),
    (
        "thousands separators",
        _set(["awards", 0, "received"], "100,000"),
        "$.awards[0].received",
        "plain decimal",
    ),
    ("negative received", _set(["awards", 0, "received"], "-1"), "$.awards[0].received", "negative"),
    (
        "sub-cent USD",
        _set(["awards", 0, "received"], "100.005"),
        "$.awards[0].received",
        "two decimal places",
    ),
    (
        "too many digits",
        _set(["measures", "net_income", "values", "FY2024", "original"], "1" * 40),
        "$.measures.net_income.values.FY2024.original",
        "too many digits",
    ),
    (
        "impossible date",
        _set(["restatement", "events", 1, "date"], "2026-02-30"),
        "$.restatement.events[1].date",
        "not a real date",
    ),
    (
        "date in another format",
        _set(["awards", 0, "performance_period", "end"], "06/30/2023"),
        "$.awards[0].performance_period.end",
        "YYYY-MM-DD",
    ),
    ("bad restatement kind", _set(["restatement", "kind"], "huge_r"), "$.restatement.kind", "must be one of"),
    ("bad award type", _set(["awards", 0, "type"], "phantom"), "$.awards[0].type", "must be one of"),
    ("bad basis", _set(["awards", 0, "basis"], "vibes"), "$.awards[0].basis", "must be one of"),
    ("bad unit", _set(["awards", 0, "unit"], "EUR"), "$.awards[0].unit", "must be one of"),
    (
        "bad category",
        _set(["measures", "net_income", "category"], "profit"),
        "$.measures.net_income.category",
        "must be one of",
    ),
    ("bad formula kind", _set(["awards", 0, "formula", "kind"], "step"), "$.awards[0].formula.kind", "curve"),
    (
        "overlapping fiscal periods",
        _set(["company", "fiscal_periods", 2, "start"], "2023-12-01"),
        "$.company.fiscal_periods[2]",
        "overlaps FY2023",
    ),
    (
        "duplicate fiscal label",
        _set(["company", "fiscal_periods", 2, "label"], "FY2023"),
        "$.company.fiscal_periods[2].label",
        "duplicate label",
    ),
    (
        "duplicate award id",
        _set(["awards", 1, "id"], "ceo-h1-2023-bonus"),
        "$.awards[1].id",
        "duplicate award id",
    ),
    (
        "duplicate executive id",
        _set(["executives", 1, "id"], "ceo"),
        "$.executives[1].id",
        "duplicate executive",
    ),
    ("missing executive", _set(["awards", 0, "executive"], "coo"), "$.awards[0].executive", "no executive"),
    ("missing measure", _set(["awards", 0, "measure"], "revenue"), "$.awards[0].measure", "no measure"),
    (
        "missing measure period",
        _set(["awards", 2, "measure_period"], "FY2019"),
        "$.awards[2].measure_period",
        "has no value for",
    ),
    (
        "descending curve points",
        _set(["awards", 3, "formula", "points", 1, 0], "100000000"),
        "$.awards[3].formula.points[1]",
        "points must be strictly ascending in x",
    ),
    (
        "repeated curve x",
        _set(["awards", 3, "formula", "points", 2, 0], "220000000"),
        "$.awards[3].formula.points[2]",
        "strictly ascending",
    ),
    (
        "point not a pair",
        _set(["awards", 3, "formula", "points", 0], ["1"]),
        "$.awards[3].formula.points[0]",
        "[x, factor]",
    ),
    (
        "no points",
        _set(["awards", 3, "formula", "points"], []),
        "$.awards[3].formula.points",
        "must not be empty",
    ),
    (
        "negative factor",
        _set(["awards", 3, "formula", "points", 0, 1], "-0.5"),
        "$.awards[3].formula.points[0][1]",
        "negative",
    ),
    (
        "units without value",
        _delete(["awards", 4, "value_per_unit"]),
        "$.awards[4].value_per_unit",
        "required when unit",
    ),
    (
        "USD with unit value",
        _set(["awards", 0, "value_per_unit"], "1"),
        "$.awards[0].value_per_unit",
        "only allowed",
    ),
    (
        "incentive without formula",
        _delete(["awards", 0, "formula"]),
        "$.awards[0].formula",
        "incentive-based",
    ),
    (
        "incentive without measure",
        _delete(["awards", 0, "measure"]),
        "$.awards[0].measure",
        "incentive-based",
    ),
    (
        "performance period backwards",
        _set(["awards", 0, "performance_period"], {"start": "2023-06-30", "end": "2023-01-01"}),
        "$.awards[0].performance_period.end",
        "before start",
    ),
    (
        "fiscal period backwards",
        _set(["company", "fiscal_periods", 0, "end"], "2021-12-31"),
        "$.company.fiscal_periods[0].end",
        "before start",
    ),
    (
        "officer period backwards",
        _set(["executives", 0, "officer_periods", 0, "end"], "2014-01-01"),
        "$.executives[0].officer_periods[0].end",
        "before start",
    ),
    ("wrong format", _set(["format"], "clawback-scenario/3"), "$.format", "clawback-scenario/1"),
    (
        "empty listed periods",
        _set(["company", "listed_periods"], []),
        "$.company.listed_periods",
        "at least one",
    ),
    (
        "no fiscal periods",
        _set(["company", "fiscal_periods"], []),
        "$.company.fiscal_periods",
        "must not be empty",
    ),
    (
        "transition not boolean",
        _set(["company", "fiscal_periods", 0, "transition"], "yes"),
        "$.company.fiscal_periods[0].transition",
        "true or false",
    ),
    (
        "estimate without documents list",
        _set(["awards", 0, "estimate"], {"restated_value": "1", "method": "m", "adopted_on": "2026-05-01"}),
        "$.awards[0].estimate.documents",
        "required key is missing",
    ),
    (
        "odd measure key",
        _set(["measures", "net income %"], {"category": "revenue", "values": []}),
        '$.measures["net income %"].values',
        "must be an object",
    ),
]


@pytest.mark.parametrize(("change", "path", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_validation_names_the_json_path_of_each_problem(change, path, fragment):
    errors = errors_of(mutated(change))
    matching = [message for p, message in errors if p == path]
    assert matching, f"no error at {path}; got {errors}"
    assert any(fragment in message for message in matching), errors


def test_the_spec_example_error_reads_exactly():
    errors = errors_of(mutated(_set(["awards", 3, "formula", "points", 1, 0], "100000000")))
    assert errors == [("$.awards[3].formula.points[1]", "points must be strictly ascending in x")]


def test_validation_collects_every_error_at_once():
    def several(data):
        data["awards"][0]["received"] = 5
        data["awards"][2]["executive"] = "nobody"
        data["awards"][4].pop("value_per_unit")
        data["company"]["fiscal_periods"][1]["end"] = "2023-13-01"
        data["extra"] = True

    paths = {p for p, _ in errors_of(mutated(several))}
    assert paths >= {
        "$.awards[0].received",
        "$.awards[2].executive",
        "$.awards[4].value_per_unit",
        "$.company.fiscal_periods[1].end",
        "$.extra",
    }


def test_a_reference_is_checked_even_when_the_award_has_other_errors():
    def change(data):
        data["awards"][0]["executive"] = "ghost"
        data["awards"][0]["received"] = 1

    paths = {p for p, _ in errors_of(mutated(change))}
    assert {"$.awards[0].executive", "$.awards[0].received"} <= paths


@pytest.mark.parametrize("document", [[], "scenario", 3, None, True])
def test_a_document_that_is_not_an_object_is_one_error_at_the_root(document):
    assert errors_of(document) == [("$", f"must be an object, not {_type_name(document)}")]


def _type_name(value) -> str:
    return {list: "an array", str: "a string", int: "a number", type(None): "null", bool: "a boolean"}[
        type(value)
    ]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("{", "invalid JSON"),
        ('{"format": NaN}', "NaN is not allowed"),
        ('{"format": Infinity}', "Infinity is not allowed"),
        ("[" * 100_000 + "]" * 100_000, "invalid JSON"),
        (b"\xff\xfe\x00", "invalid JSON"),
    ],
)
def test_invalid_json_text_is_a_scenario_error_at_the_root(text, fragment):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(text)
    ((path, message),) = caught.value.errors
    assert path == "$" and fragment in message


def test_a_repeated_json_key_is_reported_not_silently_overwritten():
    text = json.dumps(example(1))[:-1] + ', "format": "clawback-scenario/1"}'
    with pytest.raises(ScenarioError) as caught:
        load_scenario(text)
    assert ("$.format", "key appears more than once") in caught.value.errors


def test_scenario_error_lists_path_and_message_per_line():
    error = ScenarioError([("$.a", "bad"), ("$.b[0]", "worse")])
    assert str(error) == "$.a: bad\n$.b[0]: worse"


# --- writing --------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2])
def test_scenario_to_json_is_the_inverse_of_parse(n):
    scenario = parse_scenario(example(n))
    exported = json.loads(json.dumps(scenario_to_json(scenario)))
    assert exported["format"] == "clawback-scenario/2"  # the app writes /2, a /1 case included
    assert parse_scenario(exported) == scenario
    assert evaluate(parse_scenario(exported)) == evaluate(scenario)
    # The /2 result of the export is the /1 result plus the /2 fields.
    assert as_result_1(result_to_json(evaluate(parse_scenario(exported)))) == result_to_json(
        evaluate(scenario)
    )


def full_featured() -> Scenario:
    return Scenario(
        company_name="Harbor Instruments Inc.",
        fiscal_periods=(
            FiscalPeriod(label="FY2024", start=date(2024, 1, 1), end=date(2024, 12, 31)),
            FiscalPeriod(label="TP2025", start=date(2025, 1, 1), end=date(2025, 6, 30), transition=True),
            FiscalPeriod(label="FY2026", start=date(2025, 7, 1), end=date(2026, 6, 30)),
        ),
        listing_standard_effective_date=date(2023, 10, 3),
        listed_periods=(
            ListedPeriod(start=date(2001, 1, 1), end=date(2020, 1, 1)),
            ListedPeriod(start=date(2021, 1, 1)),
        ),
        restatement=Restatement(
            kind="little_r",
            events=(
                RestatementEvent(kind="other", label="Auditor's letter", date=date(2026, 7, 20)),
                RestatementEvent(kind="committee_concluded", date=date(2026, 8, 1)),
            ),
        ),
        measures=(
            Measure(
                key="rev",
                category="revenue",
                values={"FY2024": MeasureValue(original=D("1E+2"), restated=D("90.50"))},
            ),
            Measure(
                key="price", category="stock_price", values={"FY2026": MeasureValue(original=D("-3.25"))}
            ),
        ),
        executives=(
            Executive(
                id="ceo",
                name="Morgan",
                officer_periods=(OfficerPeriod(start=date(2010, 1, 1), end=date(2025, 3, 31)),),
            ),
            Executive(id="new", name="Nobody Yet", officer_periods=()),
        ),
        awards=(
            Award(
                id="a1",
                executive="ceo",
                type="cash_ltip",
                basis="financial_reporting_measure",
                performance_start=date(2024, 1, 1),
                performance_end=date(2024, 12, 31),
                measure="rev",
                measure_period="FY2024",
                formula=LinearFormula(rate=D("10"), offset=D("-5"), cap=D("2000")),
                unit="USD",
                received=D("1050.00"),
                requires_estimate=True,
                estimate=Estimate(
                    restated_value=D("95"),
                    method="model",
                    documents=("a.pdf", "b.xlsx"),
                    adopted_on=date(2026, 9, 1),
                ),
            ),
            Award(
                id="a2",
                executive="new",
                type="sars",
                basis="financial_reporting_measure",
                performance_start=date(2025, 7, 1),
                performance_end=date(2026, 6, 30),
                measure="price",
                measure_period="FY2026",
                formula=CurveFormula(target=D("100"), points=((D("-5"), D("0")), (D("0"), D("1.25")))),
                unit="units",
                value_per_unit=D("0.0001"),
                received=D("12.5"),
            ),
            Award(
                id="a3",
                executive="ceo",
                type="other",
                basis="salary",
                performance_start=date(2024, 1, 1),
                performance_end=date(2024, 1, 1),
                unit="USD",
                received=D("0"),
            ),
        ),
    )


def test_every_field_survives_an_export_and_re_import():
    scenario = full_featured()
    exported = scenario_to_json(scenario)
    assert validate_scenario(scenario) == []
    assert load_scenario(json.dumps(exported)) == scenario
    # Amounts are written as plain decimal strings, never as exponents or JSON numbers.
    assert exported["measures"]["rev"]["values"]["FY2024"]["original"] == "100"
    assert "listed_periods" in exported["company"]


def test_validate_scenario_reports_problems_of_a_scenario_built_in_code():
    broken = full_featured()
    broken = Scenario(
        **{
            f: getattr(broken, f)
            for f in ("company_name", "fiscal_periods", "restatement", "measures", "executives")
        },
        awards=(
            Award(
                id="x",
                executive="ghost",
                type="rsu",
                basis="time_vested",
                performance_start=date(2024, 1, 1),
                performance_end=date(2024, 1, 1),
                unit="units",
                received=D("1"),
            ),
        ),
    )
    paths = {p for p, _ in validate_scenario(broken)}
    assert paths == {"$.awards[0].executive", "$.awards[0].value_per_unit"}


def test_result_json_writes_usd_with_cents_and_units_plainly():
    result = result_to_json(evaluate(parse_scenario(example(1))))
    psu = next(a for a in result["awards"] if a["id"] == "ceo-2023-psu")
    assert (psu["received"], psu["recomputed"], psu["excess"], psu["excess_usd"]) == (
        "17500",
        "11500",
        "6000",
        "240000.00",
    )
    bonus = next(a for a in result["awards"] if a["id"] == "ceo-fy2024-bonus")
    assert (bonus["received"], bonus["excess"]) == ("1200000.00", "240000.00")
    assert result["totals"] == {"excess_usd": "1320000.00", "excess_units": "6000", "pending_estimates": 0}
    assert isinstance(bonus["explanation"], str) and "960,000.00" in bonus["explanation"]
    json.dumps(result)  # plain JSON types only


def test_result_json_for_a_non_triggering_restatement():
    data = example(1)
    data["restatement"]["kind"] = "out_of_period"
    result = result_to_json(evaluate(parse_scenario(data)))
    assert result["triggers_recovery_analysis"] is False
    assert (result["required_on"], result["lookback"], result["awards"]) == (None, None, [])


# --- fuzzing: no JSON input produces anything but a ScenarioError ---------------------------------

KNOWN_KEYS = [
    "format",
    "company",
    "name",
    "fiscal_periods",
    "label",
    "start",
    "end",
    "transition",
    "listing_standard_effective_date",
    "listed_periods",
    "restatement",
    "kind",
    "events",
    "date",
    "measures",
    "category",
    "values",
    "original",
    "restated",
    "executives",
    "id",
    "officer_periods",
    "awards",
    "executive",
    "type",
    "basis",
    "performance_period",
    "measure",
    "measure_period",
    "formula",
    "target",
    "points",
    "rate",
    "offset",
    "cap",
    "unit",
    "received",
    "value_per_unit",
    "requires_estimate",
    "estimate",
    "restated_value",
    "method",
    "documents",
    "adopted_on",
    "restated_values",
    "scorecard",
    "cap_factor",
    "components",
    "weight",
    "factor",
    "already_recovered",
    "amount",
    "on",
    "source",
    "reference",
    "FY2024",
    "net_income",
    "ceo",
]
INTERESTING = [
    "2024-01-01",
    "2024-02-30",
    "0000-01-01",
    "9999-12-31",
    "100",
    "-5",
    "0",
    "0.001",
    "1e5",
    "NaN",
    "",
    "USD",
    "units",
    "curve",
    "linear",
    "tsr",
    "big_r",
    "board_concluded",
    "financial_reporting_measure",
    "cash_bonus",
    "clawback-scenario/1",
    "clawback-scenario/2",
    "other",
    "operational_goal",
    "prior_restatement",
    "FY2024",
    "ceo",
    "net_income",
    "9" * 18,
    "0." + "1" * 20,
]
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(INTERESTING)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KNOWN_KEYS) | st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=25,
)


def _assert_parses_or_scenario_error(data) -> None:
    try:
        scenario = parse_scenario(data)
    except ScenarioError as exc:
        assert exc.errors
        assert all(
            isinstance(p, str) and p.startswith("$") and isinstance(m, str) and m for p, m in exc.errors
        )
        return
    # Whatever validates must evaluate and serialize.
    json.dumps(result_to_json(evaluate(scenario)))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_random_json_gives_a_scenario_error_never_a_traceback(data):
    _assert_parses_or_scenario_error(data)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _paths(child, (*prefix, i))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_examples_give_a_scenario_error_or_a_result_never_a_traceback(data):
    document = example(data.draw(st.sampled_from([1, 2])))
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
        if not isinstance(document, dict) or not any(True for _ in _paths(document)):
            break
    _assert_parses_or_scenario_error(document)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60) | st.binary(max_size=60))
def test_random_text_gives_a_scenario_error_never_a_traceback(text):
    with pytest.raises(ScenarioError):
        load_scenario(text)


_DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_AMOUNT_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_NON_NEGATIVE_KEYS = {"received", "value_per_unit", "target", "cap"}


def _redraw_leaves(data, value, key=None, in_points=False):
    """The same document with some dates moved and some amounts redrawn: often still valid, with odd
    but legal values that reach the engine."""
    if isinstance(value, dict):
        return {k: _redraw_leaves(data, v, k, in_points) for k, v in value.items()}
    if isinstance(value, list) and key == "points":
        # Keep x ascending (its own validation has cases above); redraw factors only.
        return [[x, _redraw_leaves(data, f, key, True)] for x, f in value]
    if isinstance(value, list):
        return [_redraw_leaves(data, v, key, in_points) for v in value]
    if not isinstance(value, str) or data.draw(st.integers(0, 5)) != 0:
        return value  # most leaves stay, so most documents remain valid
    if _DATE_TEXT.fullmatch(value):
        shift = timedelta(days=data.draw(st.integers(-400, 400)))
        return (date.fromisoformat(value) + shift).isoformat()
    if _AMOUNT_TEXT.fullmatch(value):
        non_negative = key in _NON_NEGATIVE_KEYS or in_points
        places = 2 if key == "received" else 6
        amount = data.draw(
            st.decimals(min_value=0 if non_negative else -(10**12), max_value=10**12, places=places)
        )
        return format(amount, "f")
    return value


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_examples_with_redrawn_dates_and_amounts_evaluate_or_give_a_scenario_error(data):
    document = _redraw_leaves(data, example(data.draw(st.sampled_from([1, 2]))))
    _assert_parses_or_scenario_error(document)


def test_python_objects_that_are_not_json_give_a_scenario_error_too():
    data = example(1)
    data["format"] = Decimal("1")
    data["awards"][0]["received"] = Decimal("100000")
    data["awards"][1]["performance_period"]["end"] = date(2023, 12, 31)
    paths = {p for p, _ in errors_of(data)}
    assert paths == {"$.format", "$.awards[0].received", "$.awards[1].performance_period.end"}
