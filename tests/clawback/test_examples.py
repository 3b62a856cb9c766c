"""The worked examples of the `clawback-scenario` format are acceptance tests: through the engine, through
`manage.py clawback_scenario` in-process (call_command) and as a real process. No database.

Examples 1 and 2 are the specification's (`/1`); example 3 is this repository's `/2` example, its figures
computed by hand in examples/README.md."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from clawback.recovery import evaluate
from clawback.scenario import load_scenario, result_to_json
from tests.clawback.compare import (
    ALL_EXAMPLE_NUMBERS,
    example_path,
    load_example,
    result_differences,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("n", ALL_EXAMPLE_NUMBERS)
def test_example_result_matches_the_expected_file(n):
    result = result_to_json(evaluate(load_scenario(example_path(n).read_text())))
    assert result_differences(result, load_example(n, "expected")) == []


# --- the comparison rules themselves --------------------------------------------------------------


def _expected() -> dict:
    return load_example(1, "expected")


def test_comparison_treats_decimal_strings_by_value():
    actual = _expected()
    actual["awards"][4]["excess"] = "6000.000"
    actual["totals"]["excess_usd"] = "1320000"
    assert result_differences(actual, _expected()) == []
    actual["totals"]["excess_usd"] = "1320000.01"
    assert result_differences(actual, _expected()) == [
        "$.totals.excess_usd: expected 1320000.00, got 1320000.01"
    ]


def test_comparison_matches_awards_and_executives_by_id_and_reasons_as_a_set():
    actual = _expected()
    actual["awards"].reverse()
    actual["executives"].reverse()
    assert result_differences(actual, _expected()) == []
    expected = _expected()
    expected["awards"][0]["reasons"] = ["PRE_EFFECTIVE_DATE", "OUTSIDE_LOOKBACK"]
    actual["awards"][-1]["reasons"] = ["OUTSIDE_LOOKBACK", "PRE_EFFECTIVE_DATE"]
    assert result_differences(actual, expected) == []


def test_comparison_ignores_explanation_and_warning_order_but_not_warnings():
    expected = _expected()
    expected["warnings"] = ["a", "b"]
    actual = _expected()
    actual["warnings"] = ["b", "a"]
    actual["awards"][0]["explanation"] = "anything"
    assert result_differences(actual, expected) == []
    actual["warnings"] = ["a"]
    assert result_differences(actual, expected)


def test_comparison_reports_missing_extra_and_null_versus_zero():
    actual = _expected()
    actual["awards"][1]["excess"] = None
    del actual["awards"][2]["status"]
    actual["awards"].pop()
    differences = result_differences(actual, _expected())
    assert "$.awards[id=ceo-fy2023-bonus].excess: expected '0.00', got None" in differences
    assert "$.awards[id=ceo-fy2024-bonus].status: missing (expected 'computed')" in differences
    assert "$.awards[id=cfo-fy2025-bonus]: missing" in differences


# --- the management command -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def django_command():
    """call_command; the command must be installed (a missing one fails, never skips)."""
    from django.core.management import call_command, get_commands

    assert "clawback_scenario" in get_commands()
    return call_command


@pytest.mark.parametrize("n", ALL_EXAMPLE_NUMBERS)
def test_command_prints_the_expected_result(django_command, n):
    out, err = io.StringIO(), io.StringIO()
    django_command("clawback_scenario", str(example_path(n)), stdout=out, stderr=err)
    assert err.getvalue() == ""
    assert result_differences(json.loads(out.getvalue()), load_example(n, "expected")) == []


def test_command_reads_stdin_for_dash(django_command, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(example_path(2).read_text()))
    out = io.StringIO()
    django_command("clawback_scenario", "-", stdout=out, stderr=io.StringIO())
    assert json.loads(out.getvalue())["required_on"] == "2026-10-20"


def test_command_reports_each_error_with_its_path_and_exit_status_2(django_command, tmp_path):
    from django.core.management.base import CommandError

    data = load_example(1)
    data["awards"][3]["formula"]["points"][1][0] = "100000000"
    data["awards"][0]["received"] = 100000
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as caught:
        django_command("clawback_scenario", str(bad), stdout=out, stderr=err)
    assert caught.value.returncode == 2
    lines = err.getvalue().splitlines()
    assert "$.awards[3].formula.points[1]: points must be strictly ascending in x" in lines
    assert any(line.startswith("$.awards[0].received: ") for line in lines)
    assert out.getvalue() == ""


@pytest.mark.parametrize("content", ["{not json", '{"format": NaN}'])
def test_command_rejects_invalid_json_with_exit_status_2(django_command, tmp_path, content):
    from django.core.management.base import CommandError

    bad = tmp_path / "bad.json"
    bad.write_text(content)
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        django_command("clawback_scenario", str(bad), stdout=io.StringIO(), stderr=err)
    assert caught.value.returncode == 2
    assert err.getvalue().startswith("$: invalid JSON")


def test_command_reports_a_missing_file_with_exit_status_2(django_command, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as caught:
        django_command("clawback_scenario", str(tmp_path / "absent.json"), stdout=io.StringIO())
    assert caught.value.returncode == 2


def _manage(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "compliance_site.settings"}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "clawback_scenario", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_manage_py_exits_0_with_the_result_on_stdout(django_command):
    done = _manage(str(example_path(1)))
    assert done.returncode == 0, done.stderr
    assert result_differences(json.loads(done.stdout), load_example(1, "expected")) == []
    assert done.stdout.startswith('{\n  "format": "clawback-result/1"')  # indent 2


def test_manage_py_exits_2_with_path_messages_on_stderr(django_command):
    data = load_example(2)
    data["awards"][0]["executive"] = "nobody"
    done = _manage("-", stdin=json.dumps(data))
    assert done.returncode == 2
    assert done.stdout == ""
    assert '$.awards[0].executive: no executive has id "nobody"' in done.stderr.splitlines()


@pytest.mark.parametrize("n", ALL_EXAMPLE_NUMBERS)
def test_manage_py_prints_each_examples_result_in_the_files_version(django_command, n):
    done = _manage(str(example_path(n)))
    assert done.returncode == 0, done.stderr
    expected = load_example(n, "expected")
    assert result_differences(json.loads(done.stdout), expected) == []
    assert done.stdout.startswith("{\n" + f'  "format": "{expected["format"]}"')


def test_command_help_names_both_formats(django_command):
    from clawback.management.commands.clawback_scenario import Command

    assert "clawback-scenario/1" in Command.help and "clawback-scenario/2" in Command.help
    assert "clawback-result/1" in Command.help and "clawback-result/2" in Command.help


def _without_required_date(n: int) -> dict:
    data = load_example(n)
    data["restatement"]["events"] = [
        e for e in data["restatement"]["events"] if e["kind"] in ("board_ratified", "form_8k_item_4_02_filed")
    ] or [{"kind": "form_8k_item_4_02_filed", "date": "2026-04-20"}]
    return data


@pytest.mark.parametrize("n", ALL_EXAMPLE_NUMBERS)
def test_command_refuses_a_restatement_without_a_required_to_prepare_event(django_command, tmp_path, n):
    from django.core.management.base import CommandError

    bad = tmp_path / "no-date.json"
    bad.write_text(json.dumps(_without_required_date(n)))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as caught:
        django_command("clawback_scenario", str(bad), stdout=out, stderr=err)
    assert caught.value.returncode == 2
    assert out.getvalue() == ""
    assert [line.split(": ", 1)[0] for line in err.getvalue().splitlines()] == ["$.restatement.events"]


def test_manage_py_exits_2_naming_an_unknown_event_kind_and_a_missing_date(django_command):
    data = load_example(1)
    data["restatement"]["events"][1]["kind"] = "auditor_letter"  # was the only board_concluded
    done = _manage("-", stdin=json.dumps(data))
    assert done.returncode == 2
    assert done.stdout == ""
    paths = [line.split(": ", 1)[0] for line in done.stderr.splitlines() if line.startswith("$")]
    assert paths == ["$.restatement.events[1].kind"]


def test_manage_py_exits_2_without_a_required_to_prepare_event(django_command):
    done = _manage("-", stdin=json.dumps(_without_required_date(3)))
    assert done.returncode == 2
    assert done.stdout == ""
    assert any(
        line.startswith("$.restatement.events: a big_r restatement needs")
        for line in done.stderr.splitlines()
    )
