"""``manage.py regfd_deadline``: JSON lines in input order; a T0 without offset or zone exits 2.

The subprocess tests run the real command the way an operator would (DJANGO_SETTINGS_MODULE unset, so
manage.py picks the project settings); the in-process tests call the command's handler directly and
need no settings.
"""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from compliance_site.lib.nyse_seed import seed_calendar
from regfd.calendar_source import current_calendar
from regfd.management.commands.regfd_deadline import Command
from tests.regfd.test_deadlines import SPEC_EXAMPLES

ROOT = Path(__file__).resolve().parents[2]
PYTHON = (
    str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
)
KEYS = ["learned_at", "outer_limit", "outer_limit_utc", "policy_target", "next_open", "calendar_version"]


pytestmark = pytest.mark.django_db


def run_in_process(*t0s):
    out, err = io.StringIO(), io.StringIO()
    Command(stdout=out, stderr=err).handle(t0=list(t0s))
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_command_prints_one_json_object_per_t0_in_input_order_with_the_contract_keys():
    t0s = [t0 for t0, _, _ in reversed(SPEC_EXAMPLES)]
    lines = run_in_process(*t0s)
    assert [list(line) for line in lines] == [KEYS] * len(t0s)
    assert [line["outer_limit"] for line in lines] == [et for _, et, _ in reversed(SPEC_EXAMPLES)]
    assert [line["outer_limit_utc"] for line in lines] == [z for _, _, z in reversed(SPEC_EXAMPLES)]


def test_command_reports_policy_target_next_open_and_calendar_version():
    (line,) = run_in_process("2026-06-10T06:00-04:00")
    assert line == {
        "learned_at": "2026-06-10T06:00-04:00",
        "outer_limit": "2026-06-11T09:30-04:00",
        "outer_limit_utc": "2026-06-11T13:30Z",
        "policy_target": "2026-06-11T06:00-04:00",
        "next_open": "2026-06-11T09:30-04:00",
        "calendar_version": current_calendar().version,
    }


def test_command_accepts_a_trailing_z_and_a_zone_suffix():
    lines = run_in_process("2026-03-03T19:00Z", "2026-03-03T14:00[America/New_York]")
    assert [line["outer_limit_utc"] for line in lines] == ["2026-03-04T19:00Z", "2026-03-04T19:00Z"]
    assert lines[0]["learned_at"] == "2026-03-03T14:00-05:00"


@pytest.mark.parametrize(
    "bad",
    [
        "2026-03-03T14:00",
        "2026-03-03",
        "not-a-date",
        # Years past what a zone conversion can hold: they crashed the run and lost the lines after them.
        "0001-01-01T00:00+14:00",
        "9999-12-31T23:59Z",
        "9999-12-31T23:59-05:00[America/New_York]",
        "0001-01-01T00:00[America/New_York]",
    ],
)
def test_a_t0_without_offset_gets_its_own_error_line_and_the_others_are_still_computed(bad):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        Command(stdout=out, stderr=err).handle(t0=["2026-03-03T14:00-05:00", bad, "2026-06-10T06:00-04:00"])
    assert excinfo.value.returncode == 2
    assert str(excinfo.value) == "1 of 3 T0s could not be computed."
    first, error, third = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["outer_limit_utc"] == "2026-03-04T19:00Z" and third["outer_limit_utc"] == "2026-06-11T13:30Z"
    assert error["input"] == bad and bad in error["error"]
    assert err.getvalue().startswith("T0 #2 ") and bad in err.getvalue()


def test_t0s_are_read_from_a_file_one_per_line_after_the_arguments(tmp_path):
    path = tmp_path / "t0s.txt"
    path.write_text("# learned at\n2026-09-04T17:00-04:00\n\n  2026-11-28T11:00-05:00  \n")
    out = io.StringIO()
    Command(stdout=out, stderr=io.StringIO()).handle(t0=["2026-03-03T14:00-05:00"], file=str(path))
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["outer_limit_utc"] for line in lines] == [
        "2026-03-04T19:00Z", "2026-09-08T13:30Z", "2026-11-30T14:30Z",
    ]  # fmt: skip


def test_a_file_saved_with_a_byte_order_mark_reads_its_first_t0(tmp_path):
    path = tmp_path / "t0s.txt"
    path.write_bytes("2026-09-04T17:00-04:00\n".encode("utf-8-sig"))
    out = io.StringIO()
    Command(stdout=out, stderr=io.StringIO()).handle(t0=[], file=str(path))
    assert json.loads(out.getvalue())["outer_limit_utc"] == "2026-09-08T13:30Z"


def test_a_file_that_is_not_utf8_is_refused_in_words_with_exit_status_2(tmp_path):
    path = tmp_path / "t0s.txt"
    path.write_bytes(b"\xff\xfe2\x000\x002\x006\x00")
    with pytest.raises(CommandError) as excinfo:
        Command(stdout=io.StringIO(), stderr=io.StringIO()).handle(t0=[], file=str(path))
    assert excinfo.value.returncode == 2 and "is not UTF-8 text" in str(excinfo.value)


def test_no_t0_and_an_unreadable_file_are_refused_with_exit_status_2(tmp_path):
    for options in ({"t0": []}, {"t0": [], "file": str(tmp_path / "missing.txt")}):
        with pytest.raises(CommandError) as excinfo:
            Command(stdout=io.StringIO(), stderr=io.StringIO()).handle(**options)
        assert excinfo.value.returncode == 2


def test_command_refuses_a_t0_outside_the_calendar_with_exit_status_2():
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        Command(stdout=out, stderr=err).handle(t0=["2031-03-03T14:00-05:00"])
    assert excinfo.value.returncode == 2
    assert "outside it" in err.getvalue() and "outside it" in json.loads(out.getvalue())["error"]


# --- the real manage.py ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def manage(tmp_path_factory):
    """Run `manage.py regfd_deadline` as an operator would, against a freshly migrated database (the
    calendar is a table seeded by a migration)."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'db.sqlite3'}"
    python = (
        str(ROOT / ".venv" / "bin" / "python")
        if (ROOT / ".venv" / "bin" / "python").exists()
        else sys.executable
    )
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)

    def run(*args, stdin=None):
        return subprocess.run(
            [python, "manage.py", "regfd_deadline", *args],
            cwd=ROOT,
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run


def test_manage_py_regfd_deadline_prints_the_spec_examples_as_json_lines(manage):
    result = manage(*[t0 for t0, _, _ in SPEC_EXAMPLES])
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [list(line) for line in lines] == [KEYS] * len(SPEC_EXAMPLES)
    assert [(line["outer_limit"], line["outer_limit_utc"]) for line in lines] == [
        (et, z) for _, et, z in SPEC_EXAMPLES
    ]
    # The freshly migrated table holds exactly the seed.
    assert {line["calendar_version"] for line in lines} == {seed_calendar().version}


def test_manage_py_regfd_deadline_exits_2_with_a_clear_message_for_a_naive_t0(manage):
    result = manage("2026-03-03T14:00-05:00", "2026-03-03T14:00")
    assert result.returncode == 2
    assert "'2026-03-03T14:00' has no UTC offset or time zone" in result.stderr
    good, bad = (json.loads(line) for line in result.stdout.splitlines())
    assert good["outer_limit_utc"] == "2026-03-04T19:00Z" and bad["input"] == "2026-03-03T14:00"


def test_manage_py_regfd_deadline_reads_standard_input(manage):
    result = manage("--file", "-", stdin="2026-09-04T17:00-04:00\n2027-01-15T16:30-05:00\n")
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["outer_limit_utc"] for line in result.stdout.splitlines()] == [
        "2026-09-08T13:30Z", "2027-01-19T14:30Z",
    ]  # fmt: skip


def test_an_unmigrated_database_is_a_clear_error_not_a_traceback(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    result = subprocess.run(
        [PYTHON, "manage.py", "regfd_deadline", "2026-03-03T14:00-05:00"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert (
        "Has it been migrated? Run: manage.py migrate" in result.stderr and "Traceback" not in result.stderr
    )


def test_the_calendar_table_is_seeded_with_the_exchange_calendar():
    assert current_calendar().version == seed_calendar().version
