"""Compare two `clawback-result/1` or `/2` documents the way the `clawback-scenario` format says
("Comparing two results"): decimal strings by value ("6000" equals "6000.00"), `reasons` as a set,
`awards` and `executives` by `id`, `explanation` ignored and `warnings` in any order. A key one document has
and the other lacks is a difference: a `/2` document never matches a `/1` one (see `as_result_1`)."""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

# Copies of the worked examples of the shared spec (spec/examples/), which are part of the acceptance tests.
EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"
EXAMPLE_NUMBERS = (1, 2)
# Worked `clawback-scenario/2` examples of this repository, figures computed by hand (examples/README.md).
V2_EXAMPLE_NUMBERS = (3,)
ALL_EXAMPLE_NUMBERS = EXAMPLE_NUMBERS + V2_EXAMPLE_NUMBERS

# What `clawback-result/2` adds to `/1`, and nothing else.
RESULT_2_AWARD_KEYS = ("already_recovered", "to_recover", "to_recover_usd")
RESULT_2_TOTAL_KEYS = ("to_recover_usd", "to_recover_units")


def example_path(n: int, kind: str = "scenario") -> Path:
    """`example-N.scenario.json` or `example-N.expected.json`."""
    return EXAMPLES_DIR / f"example-{n}.{kind}.json"


def load_example(n: int, kind: str = "scenario") -> dict:
    return json.loads(example_path(n, kind).read_text())


_DECIMAL_RE = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_FREE_TEXT = frozenset({"explanation"})
_BY_ID = frozenset({"awards", "executives"})


def result_differences(actual: Any, expected: Any, path: str = "$") -> list[str]:
    """Every difference between two results, as "path: expected X, got Y"; empty when they match."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        differences = []
        for key in sorted(set(expected) | set(actual)):
            here = f"{path}.{key}"
            if key in _FREE_TEXT:
                continue
            if key not in actual:
                differences.append(f"{here}: missing (expected {expected[key]!r})")
            elif key not in expected:
                differences.append(f"{here}: unexpected key (value {actual[key]!r})")
            elif key in _BY_ID:
                differences.extend(_by_id(actual[key], expected[key], here))
            elif key == "reasons":
                if not _is_list(actual[key]) or set(actual[key]) != set(expected[key]):
                    differences.append(f"{here}: expected {sorted(expected[key])}, got {actual[key]!r}")
            elif key == "warnings":
                if not _is_list(actual[key]) or Counter(actual[key]) != Counter(expected[key]):
                    differences.append(f"{here}: expected {expected[key]!r}, got {actual[key]!r}")
            else:
                differences.extend(result_differences(actual[key], expected[key], here))
        return differences
    if isinstance(expected, list) and isinstance(actual, list):
        if len(actual) != len(expected):
            return [f"{path}: expected {len(expected)} items, got {len(actual)}"]
        differences = []
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            differences.extend(result_differences(a, e, f"{path}[{i}]"))
        return differences
    if _is_decimal(expected) and _is_decimal(actual):
        return [] if Decimal(actual) == Decimal(expected) else [f"{path}: expected {expected}, got {actual}"]
    if type(actual) is not type(expected) or actual != expected:
        return [f"{path}: expected {expected!r}, got {actual!r}"]
    return []


def as_result_1(document: dict) -> dict:
    """A `clawback-result/2` document without the fields `/2` adds: the `/1` document of the same case."""
    result = json.loads(json.dumps(document))
    result["format"] = "clawback-result/1"
    for award in result["awards"]:
        for key in RESULT_2_AWARD_KEYS:
            award.pop(key, None)
    for row in [*result["executives"], result["totals"]]:
        for key in RESULT_2_TOTAL_KEYS:
            row.pop(key, None)
    return result


def assert_results_match(actual: Any, expected: Any) -> None:
    differences = result_differences(actual, expected)
    assert not differences, "results differ:\n" + "\n".join(differences)


def _by_id(actual: Any, expected: Any, path: str) -> list[str]:
    if not _is_list(actual):
        return [f"{path}: expected a list, got {actual!r}"]
    actual_by_id = {item.get("id"): item for item in actual}
    expected_by_id = {item["id"]: item for item in expected}
    differences = []
    if len(actual_by_id) != len(actual):
        differences.append(f"{path}: repeated ids")
    for item_id in sorted(set(actual_by_id) | set(expected_by_id), key=str):
        here = f"{path}[id={item_id}]"
        if item_id not in actual_by_id:
            differences.append(f"{here}: missing")
        elif item_id not in expected_by_id:
            differences.append(f"{here}: unexpected")
        else:
            differences.extend(result_differences(actual_by_id[item_id], expected_by_id[item_id], here))
    return differences


def _is_list(value: Any) -> bool:
    return isinstance(value, list)


def _is_decimal(value: Any) -> bool:
    return isinstance(value, str) and _DECIMAL_RE.fullmatch(value) is not None


def differences_from_example(actual: dict, n: int) -> list[str]:
    """`result_differences` against worked example N's expected result, reading a case evaluated from the
    database (always `/2`) as the `/1` document when the example is a `/1` one."""
    expected = load_example(n, "expected")
    if expected.get("format") == "clawback-result/1" and actual.get("format") == "clawback-result/2":
        actual = as_result_1(actual)
    return result_differences(actual, expected)
