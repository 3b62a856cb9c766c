"""Read and write `clawback-scenario/1` and `/2` files and write `clawback-result/1` and `/2` results.

Framework-free (standard library only), so the management command, the upload page and the API all share
one parser. Validation is complete: every problem is collected with the JSON path of the bad field, e.g.
``$.awards[3].formula.points[1]: points must be strictly ascending in x``, and reported at once as a
`ScenarioError`; no JSON input produces any other exception.

A `/1` file gives a `clawback-result/1` document exactly as before `/2`; a `/2` file (scorecard awards,
amounts already recovered, `other` events) gives `clawback-result/2`. `scenario_to_json` writes `/2` and is
the inverse of `parse_scenario`, so a case held in the database can be exported as a scenario file and
re-evaluated to the same result.

Modules, by noun: `formats` (the format names), `checks` (JSON paths and primitive checks), `awards` (one
award), `parser` (the whole document), `writing` (scenario and result documents).
"""

from __future__ import annotations

import json
from typing import Any

from clawback.recovery import Scenario

from .checks import ScenarioError, object_pairs, reject_constant
from .formats import RESULT_FORMAT, RESULT_FORMATS, SCENARIO_FORMAT, SCENARIO_FORMATS
from .parser import ScenarioParser
from .writing import result_to_json, scenario_to_json

__all__ = [
    "RESULT_FORMAT",
    "RESULT_FORMATS",
    "SCENARIO_FORMAT",
    "SCENARIO_FORMATS",
    "ScenarioError",
    "load_scenario",
    "parse_scenario",
    "result_to_json",
    "scenario_to_json",
    "validate_scenario",
]


def load_scenario(text: str | bytes, *, require_restatement_date: bool = True) -> Scenario:
    """Parse JSON text into a Scenario; raises ScenarioError (never anything else) when it is not one."""
    try:
        data = json.loads(text, object_pairs_hook=object_pairs, parse_constant=reject_constant)
    except RecursionError:
        raise ScenarioError([("$", "invalid JSON: nested too deeply")]) from None
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, NaN/Infinity
        raise ScenarioError([("$", f"invalid JSON: {exc}")]) from None
    return parse_scenario(data, require_restatement_date=require_restatement_date)


def parse_scenario(data: Any, *, require_restatement_date: bool = True) -> Scenario:
    """Validate decoded JSON against `clawback-scenario/1` or `/2` (its `format` says which) and build the
    Scenario, whose `format_version` records it.

    Raises ScenarioError listing every problem (unknown or missing keys, wrong types, bad decimals and
    dates, bad enum values, unknown event kinds, a Big R or little r restatement with no event setting the
    required-to-prepare date, overlapping fiscal periods, duplicate ids, dangling references, unordered
    curve points, non-positive scorecard weights, `/2` features in a `/1` file, ...), each with its JSON
    path. `require_restatement_date=False` lets a draft case without that event through (its evaluation is
    then empty, with a warning); a scenario file never may.
    """
    parser = ScenarioParser(require_restatement_date=require_restatement_date)
    scenario = parser.scenario(data)
    if parser.errors or scenario is None:
        raise ScenarioError(parser.errors or [("$", "not a valid scenario")])
    return scenario


def validate_scenario(scenario: Scenario, *, require_restatement_date: bool = True) -> list[tuple[str, str]]:
    """The errors `parse_scenario` would report for this Scenario (e.g. one assembled from the database),
    with paths into its JSON form (`scenario_to_json`); empty when it can be evaluated."""
    try:
        parse_scenario(scenario_to_json(scenario), require_restatement_date=require_restatement_date)
    except ScenarioError as exc:
        return exc.errors
    return []
