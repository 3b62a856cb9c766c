"""Imports and exports: CSV and XLSX records with a dry run that changes nothing and a commit that is
all or nothing; re-imports that never remove anything; a case's own restated values; scorecard awards with
their goals; amounts already recovered; numbers as finance people type them; templates; exports that
re-import; scenario files as draft cases; a case exported as a scenario file re-evaluates to the same
result."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from clawback.models import Award, AwardCredit, Executive, Measure, MeasureValue, RestatedValue, Restatement
from clawback.recovery import evaluate
from clawback.scenario import load_scenario, result_to_json
from clawback.services import scenario_for_restatement
from clawback.services.exports import template_file
from clawback.services.imports import COLUMNS, import_records, import_scenario_file
from clawback.services.imports.cells import float_text, parse_number
from compliance_site.audit.models import AuditEvent
from compliance_site.company.models import Company, FiscalPeriod
from tests.clawback.compare import (
    ALL_EXAMPLE_NUMBERS,
    as_result_1,
    example_path,
    load_example,
    result_differences,
)

EXECUTIVES_CSV = """key,name,title,officer_start,officer_end,officer_title,neo_years
ceo,Avery Chen,Chief Executive Officer,2015-01-01,,CEO,FY2024;FY2025
cfo,Blake Ortiz,Chief Financial Officer,2019-01-01,2020-06-30,Controller,
cfo,,,2024-09-01,,CFO,FY2025
"""
MEASURES_CSV = """key,name,category,period,original,source
net_income,Net income,net_income,FY2024,240000000,2024 10-K
net_income,Net income,net_income,FY2025,"260,000,000",2025 10-K
revenue,Revenue,revenue,FY2024,"$1,000,000,000.50",2024 10-K
tsr,Relative TSR,tsr,,,
"""
RESTATED_CSV = """measure,period,restated,source
net_income,FY2024,"228,000,000",2025 10-K/A
net_income,FY2025,236000000,2025 10-K/A
"""
AWARDS_CSV = """executive,key,award_type,basis,performance_start,performance_end,measure,measure_period,formula_kind,target,points,received,unit,value_per_unit,grant_date
ceo,ceo-fy2024-bonus,cash_bonus,financial_reporting_measure,2024-01-01,2024-12-31,net_income,FY2024,curve,800000,180000000:0.5; 220000000:1.0; 260000000:2.0,1200000,USD,,2024-02-01
cfo,cfo-rsu,rsu,time_vested,2024-09-01,2025-09-01,,,,,,5000,units,38.00,
"""  # noqa: E501


@pytest.fixture
def company_calendar(company):
    for year in (2023, 2024, 2025, 2026):
        FiscalPeriod.objects.create(
            company=company, label=f"FY{year}", start=date(year, 1, 1), end=date(year, 12, 31)
        )
    return company


def _run(users, company, kind, text, *, commit, fmt="csv", **more):
    content = text.encode() if isinstance(text, str) else text
    return import_records(
        actor=users["secretary"], company=company, kind=kind, content=content, fmt=fmt, file_name=f"f.{fmt}",
        commit=commit, **more,
    )  # fmt: skip


def _xlsx(text: str, **sheets: str) -> bytes:
    """A workbook of CSV text: the first sheet, then one sheet per keyword (e.g. goals=...)."""
    workbook = Workbook()
    sheet = workbook.active
    for row in csv.reader(io.StringIO(text)):
        sheet.append(row)
    for title, more in sheets.items():
        extra = workbook.create_sheet(title)
        for row in csv.reader(io.StringIO(more)):
            extra.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _case(company, title="FY2025 restatement"):
    return Restatement.objects.create(company=company, title=title, kind=Restatement.Kind.BIG_R)


def _everything(users, company):
    for kind, text in (("executives", EXECUTIVES_CSV), ("measures", MEASURES_CSV), ("awards", AWARDS_CSV)):
        report = _run(users, company, kind, text, commit=True)
        assert report.committed, report.errors


# --- Dry run and commit -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_dry_run_reports_what_would_happen_and_changes_nothing(users, company_calendar, fmt):
    content = EXECUTIVES_CSV.encode() if fmt == "csv" else _xlsx(EXECUTIVES_CSV)
    events_before = AuditEvent.objects.count()
    report = _run(users, company_calendar, "executives", content, commit=False, fmt=fmt)
    assert report.ok and not report.committed
    assert report.created == ["ceo", "cfo"] and report.rows == 3
    assert not Executive.objects.exists()
    assert AuditEvent.objects.count() == events_before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_commit_creates_every_record_with_its_officer_periods(users, company_calendar, fmt):
    _run(users, company_calendar, "executives", EXECUTIVES_CSV if fmt == "csv" else _xlsx(EXECUTIVES_CSV),
         commit=True, fmt=fmt)  # fmt: skip
    cfo = Executive.objects.get(key="cfo")
    assert [(p.start, p.end) for p in cfo.officer_periods.all()] == [
        (date(2019, 1, 1), date(2020, 6, 30)),
        (date(2024, 9, 1), None),
    ]
    assert [y.fiscal_year for y in cfo.neo_years.all()] == ["FY2025"]
    assert AuditEvent.objects.filter(verb="clawback-import-executives").exists()


def test_measures_and_awards_import_with_values_and_formulas(users, company_calendar):
    _everything(users, company_calendar)
    net_income = Measure.objects.get(key="net_income")
    assert {v.period_label: (v.original, v.source) for v in net_income.values.all()} == {
        "FY2024": (Decimal("240000000"), "2024 10-K"),
        "FY2025": (Decimal("260000000"), "2025 10-K"),
    }
    assert Measure.objects.get(key="revenue").values.get().original == Decimal("1000000000.50")
    assert not Measure.objects.get(key="tsr").values.exists()
    bonus = Award.objects.get(key="ceo-fy2024-bonus")
    assert bonus.formula == {
        "kind": "curve",
        "points": [["180000000", "0.5"], ["220000000", "1.0"], ["260000000", "2.0"]],
        "target": "800000",
    }
    assert bonus.grant_date == date(2024, 2, 1)
    assert Award.objects.get(key="cfo-rsu").value_per_unit == Decimal("38")


def test_every_problem_is_reported_by_row_and_column_and_nothing_is_committed(users, company_calendar):
    _run(users, company_calendar, "executives", EXECUTIVES_CSV, commit=True)
    _run(users, company_calendar, "measures", MEASURES_CSV, commit=True)
    bad = (
        "executive,key,award_type,basis,performance_start,performance_end,measure,measure_period,formula_kind,"
        "target,points,received\n"
        "ceo,good-one,cash_bonus,financial_reporting_measure,2024-01-01,2024-12-31,net_income,FY2024,linear,,,10\n"
        "ceo,bad-date,cash_bonus,financial_reporting_measure,2024-13-01,2024-12-31,net_income,FY2024,,,,10\n"
        "nobody,bad-exec,cash_bonus,salary,2024-01-01,2024-12-31,,,,,,10\n"
        "ceo,bad-curve,cash_bonus,financial_reporting_measure,2024-01-01,2024-12-31,net_income,FY2024,curve,1,"
        "2:1; 1:2,10\n"
        "ceo,bad-cents,cash_bonus,salary,2024-01-01,2024-12-31,,,,,,10.001\n"
    )
    report = _run(users, company_calendar, "awards", bad, commit=True)
    assert not report.committed
    found = {(e.row, e.column) for e in report.errors}
    assert (2, "rate") in found or (2, "formula_kind") in found  # linear formula without a rate
    assert (3, "performance_start") in found
    assert (4, "executive") in found
    assert (5, "points") in found
    assert (6, "received") in found
    assert any("points must be strictly ascending" in e.message for e in report.errors)
    assert not Award.objects.exists()  # the good row was not kept either: all or nothing


def test_header_problems_are_reported_before_any_row(users, company):
    report = _run(users, company, "executives", "key,nickname\nceo,Ace\n", commit=False)
    found = {(e.row, e.column, e.message) for e in report.errors}
    assert (0, "nickname", "unknown column") in found
    assert (1, "name", "required column is missing") in found
    assert (1, "officer_start", "required column is missing") in found


@pytest.mark.parametrize(
    ("content", "fmt", "message"),
    [
        (b"", "csv", "empty"),
        (b"\xff\xfe\x00bad", "csv", "not UTF-8"),
        (b"key,name,officer_start\n,,\n", "csv", "no data rows"),
        (b"not a zip at all", "xlsx", "not an .xlsx"),
        (b"PK\x03\x04 truncated zip", "xlsx", "cannot be read"),
    ],
)
def test_unreadable_files_are_one_clear_error(users, company, content, fmt, message):
    report = _run(users, company, "executives", content, commit=True, fmt=fmt)
    assert not report.committed
    assert any(message in e.message for e in report.errors), report.errors


def test_an_existing_key_updates_the_record(users, company_calendar):
    _run(users, company_calendar, "executives", EXECUTIVES_CSV, commit=True)
    report = _run(
        users, company_calendar, "executives",
        "key,name,officer_start,officer_end\nceo,Avery Chen,2015-01-01,2026-06-30\n", commit=True,
    )  # fmt: skip
    assert report.updated == ["ceo"] and report.committed
    assert Executive.objects.get(key="ceo").officer_periods.get().end == date(2026, 6, 30)


def test_a_re_import_never_removes_what_the_file_leaves_out(users, company_calendar):
    _run(users, company_calendar, "measures", "key,name,category,period,original\nni,Net income,net_income,FY2024,240\n",
         commit=True)  # fmt: skip
    report = _run(users, company_calendar, "measures", "key,name,category,period,original\nni,Net income,net_income,FY2025,260\n",
                  commit=True)  # fmt: skip
    assert report.committed and report.updated == ["ni"]
    assert {v.period_label: v.original for v in Measure.objects.get(key="ni").values.all()} == {
        "FY2024": Decimal("240"),
        "FY2025": Decimal("260"),
    }
    # Executives alike: a file with one period of service keeps the others; NEO years are added to.
    _run(users, company_calendar, "executives", EXECUTIVES_CSV, commit=True)
    report = _run(users, company_calendar, "executives",
                  "key,name,officer_start,neo_years\ncfo,Blake Ortiz,2024-09-01,FY2024\n", commit=True)  # fmt: skip
    assert report.committed, report.errors
    cfo = Executive.objects.get(key="cfo")
    assert [(p.start, p.end, p.title) for p in cfo.officer_periods.all()] == [
        (date(2019, 1, 1), date(2020, 6, 30), "Controller"),
        (date(2024, 9, 1), None, "CFO"),  # officer_end and officer_title left out of the file: kept
    ]
    assert cfo.title == "Chief Financial Officer"
    assert sorted(y.fiscal_year for y in cfo.neo_years.all()) == ["FY2024", "FY2025"]


def test_an_old_measures_file_with_restated_figures_is_refused_with_the_reason(users, company_calendar):
    old = "key,name,category,period,original,restated\nni,Net income,net_income,FY2024,240,228\n"
    report = _run(users, company_calendar, "measures", old, commit=True)
    assert not report.committed and not Measure.objects.exists()
    [error] = report.errors
    assert (error.row, error.column) == (1, "restated") and "belong to a case" in error.message
    # An empty restated column (an old export of values never restated) is ignored.
    report = _run(users, company_calendar, "measures", old.replace(",228", ","), commit=True)
    assert report.committed, report.errors


# --- A case's own restated values -------------------------------------------------------------------


def test_restated_values_belong_to_the_case_they_are_imported_for(users, company_calendar):
    _run(users, company_calendar, "measures", MEASURES_CSV, commit=True)
    first, second = (
        _case(company_calendar, "First restatement"),
        _case(company_calendar, "Second restatement"),
    )
    report = _run(users, company_calendar, "restated_values", RESTATED_CSV, commit=True, restatement=first)
    assert report.committed and report.case == "First restatement", report.errors
    assert report.created == ["net_income FY2024", "net_income FY2025"]
    other = 'measure,period,restated\nnet_income,FY2024,"$230,500,000"\n'
    assert _run(users, company_calendar, "restated_values", other, commit=True, restatement=second).committed

    def figures(case):
        return {r.value.period_label: r.restated for r in RestatedValue.objects.filter(restatement=case)}

    assert figures(first) == {"FY2024": Decimal("228000000"), "FY2025": Decimal("236000000")}
    assert figures(second) == {"FY2024": Decimal("230500000")}
    assert MeasureValue.objects.get(measure__key="net_income", period_label="FY2024").original == Decimal(
        "240000000"
    )
    assert AuditEvent.objects.filter(verb="clawback-import-restated_values", object_id=str(first.pk)).exists()
    # Re-importing one period changes it and keeps the other.
    report = _run(users, company_calendar, "restated_values", "measure,period,restated\nnet_income,FY2025,237000000\n",
                  commit=True, restatement=first)  # fmt: skip
    assert report.updated == ["net_income FY2025"]
    assert figures(first) == {"FY2024": Decimal("228000000"), "FY2025": Decimal("237000000")}


def test_restated_values_problems_are_reported_by_row_and_column(users, company_calendar):
    _run(users, company_calendar, "measures", MEASURES_CSV, commit=True)
    case = _case(company_calendar)
    bad = (
        "measure,period,restated\n"
        "net_income,FY2024,228000000\n"
        "nothing,FY2024,1\n"
        "net_income,FY2023,1\n"
        "net_income,FY2024,229000000\n"
        "net_income,FY2025,12.5%\n"
    )
    report = _run(users, company_calendar, "restated_values", bad, commit=True, restatement=case)
    assert not report.committed
    found = {(e.row, e.column): e.message for e in report.errors}
    assert "no measure has key 'nothing'" in found[3, "measure"]
    assert "no value for FY2023 as first reported" in found[4, "period"]
    assert "repeats net_income FY2024 of row 2" in found[5, "period"]
    assert "must be a number" in found[6, "restated"]
    assert not RestatedValue.objects.exists()


def test_a_signed_off_cases_restated_values_need_a_reason(users, company_calendar):
    _run(users, company_calendar, "measures", MEASURES_CSV, commit=True)
    case = _case(company_calendar)
    Restatement.objects.filter(pk=case.pk).update(status=Restatement.Status.APPROVED)
    case.refresh_from_db()
    report = _run(users, company_calendar, "restated_values", RESTATED_CSV, commit=True, restatement=case)
    assert not report.committed and [(e.row, e.column) for e in report.errors] == [(0, "reason")]
    assert not RestatedValue.objects.exists()


# --- Scorecard awards and their goals ---------------------------------------------------------------

SCORECARD_AWARD = (
    "executive,key,award_type,basis,performance_start,performance_end,scorecard_target,scorecard_cap_factor,"
    "received\n"
    'ceo,ceo-fy2024-scorecard,cash_bonus,financial_reporting_measure,2024-01-01,2024-12-31,"$500,000",1.5,'
    '"$600,000"\n'
)
SCORECARD_GOALS = (
    "award,goal,basis,measure,measure_period,weight,points,factor\n"
    'ceo-fy2024-scorecard,1,,net_income,FY2024,0.4,"180,000,000:0.5; 220,000,000:1; 260,000,000:2",\n'
    'ceo-fy2024-scorecard,2,financial_reporting_measure,revenue,FY2024,0.4,"900,000,000:0.5; 1,100,000,000:1",\n'
    "ceo-fy2024-scorecard,3,operational_goal,,,0.2,,1.2\n"
)


def _goals(key="ceo-fy2024-scorecard"):
    return [
        (c.position, c.basis, c.measure.key if c.measure else "", c.weight, c.points, c.factor)
        for c in Award.objects.get(key=key).components.order_by("position")
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_scorecard_award_is_created_with_its_goals_in_one_upload(users, company_calendar, fmt):
    _run(users, company_calendar, "executives", EXECUTIVES_CSV, commit=True)
    _run(users, company_calendar, "measures", MEASURES_CSV, commit=True)
    if fmt == "xlsx":  # one workbook: the awards sheet and the goals sheet
        run = {"text": _xlsx(SCORECARD_AWARD, goals=SCORECARD_GOALS), "fmt": "xlsx"}
    else:  # a CSV file of awards with its goals file
        run = {
            "text": SCORECARD_AWARD,
            "goals_content": SCORECARD_GOALS.encode(),
            "goals_file_name": "goals.csv",
        }
    dry = _run(users, company_calendar, "awards", commit=False, **run)
    assert dry.ok and dry.created == ["ceo-fy2024-scorecard"] and dry.goal_rows == 3, dry.errors
    assert not Award.objects.exists()
    report = _run(users, company_calendar, "awards", commit=True, **run)
    assert report.committed, report.errors
    award = Award.objects.get(key="ceo-fy2024-scorecard")
    assert (award.scorecard_target, award.scorecard_cap_factor, award.received) == (
        Decimal("500000"), Decimal("1.5"), Decimal("600000"),
    )  # fmt: skip
    assert award.formula is None and award.measure is None
    assert _goals() == [
        (0, "financial_reporting_measure", "net_income", Decimal("0.4"),
         [["180000000", "0.5"], ["220000000", "1"], ["260000000", "2"]], None),
        (1, "financial_reporting_measure", "revenue", Decimal("0.4"), [["900000000", "0.5"], ["1100000000", "1"]], None),
        (2, "operational_goal", "", Decimal("0.2"), None, Decimal("1.2")),
    ]  # fmt: skip


def test_a_scorecard_award_without_goals_is_refused_with_where_to_put_them(users, company_calendar):
    _run(users, company_calendar, "executives", EXECUTIVES_CSV, commit=True)
    report = _run(users, company_calendar, "awards", SCORECARD_AWARD, commit=True)
    assert not report.committed
    [error] = report.errors
    assert (error.row, error.column) == (2, "scorecard_target") and "'goals' sheet" in error.message


def test_goal_problems_are_reported_on_the_goals_sheet_by_row_and_column(users, company_calendar):
    _run(users, company_calendar, "executives", EXECUTIVES_CSV, commit=True)
    _run(users, company_calendar, "measures", MEASURES_CSV, commit=True)
    goals = (
        "award,goal,basis,measure,measure_period,weight,points,factor\n"
        "ceo-fy2024-scorecard,1,,net_income,FY2024,0.5,,\n"
        "ceo-fy2024-scorecard,3,operational_goal,,,(0.5),,1\n"
    )
    report = _run(
        users, company_calendar, "awards", _xlsx(SCORECARD_AWARD, goals=goals), fmt="xlsx", commit=True
    )
    found = {(e.sheet, e.row, e.column): e.message for e in report.errors}
    assert "cannot be negative" in found["goals", 3, "weight"]
    assert not report.committed and not Award.objects.exists()
    goals = goals.replace("(0.5)", "0.5")
    report = _run(
        users, company_calendar, "awards", _xlsx(SCORECARD_AWARD, goals=goals), fmt="xlsx", commit=True
    )
    found = {(e.sheet, e.row, e.column): e.message for e in report.errors}
    assert "is required for a goal on a financial reporting measure" in found["goals", 2, "points"]
    goals = goals.replace("FY2024,0.5,,", "FY2024,0.5,1:1,")
    report = _run(
        users, company_calendar, "awards", _xlsx(SCORECARD_AWARD, goals=goals), fmt="xlsx", commit=True
    )
    found = {(e.sheet, e.row, e.column): e.message for e in report.errors}
    assert "skips goal 2" in found["goals", 3, "goal"]


def test_award_goals_import_changes_and_adds_goals_and_keeps_the_rest(users, company_calendar):
    _run(users, company_calendar, "executives", EXECUTIVES_CSV, commit=True)
    _run(users, company_calendar, "measures", MEASURES_CSV, commit=True)
    _run(
        users,
        company_calendar,
        "awards",
        _xlsx(SCORECARD_AWARD, goals=SCORECARD_GOALS),
        fmt="xlsx",
        commit=True,
    )
    change = (
        "award,goal,basis,weight,factor\n"
        "ceo-fy2024-scorecard,3,operational_goal,0.1,1.0\n"
        "ceo-fy2024-scorecard,4,individual,0.1,0.8\n"
    )
    dry = _run(users, company_calendar, "award_goals", change, commit=False)
    assert dry.ok, dry.errors
    assert dry.created == ["ceo-fy2024-scorecard goal 4"] and dry.updated == ["ceo-fy2024-scorecard goal 3"]
    assert len(_goals()) == 3  # the dry run changed nothing
    assert _run(users, company_calendar, "award_goals", change, commit=True).committed
    goals = _goals()
    assert [g[:2] for g in goals] == [
        (0, "financial_reporting_measure"), (1, "financial_reporting_measure"), (2, "operational_goal"), (3, "individual"),
    ]  # fmt: skip
    assert goals[2][3:] == (Decimal("0.1"), None, Decimal("1"))
    assert goals[0][2] == "net_income" and goals[0][3] == Decimal("0.4")  # goals 1 and 2 as they were


def test_award_goals_for_a_formula_award_are_refused(users, company_calendar):
    _everything(users, company_calendar)
    report = _run(users, company_calendar, "award_goals",
                  "award,goal,basis,weight,factor\nceo-fy2024-bonus,1,operational_goal,1,1\nnope,1,operational_goal,1,1\n",
                  commit=True)  # fmt: skip
    found = {(e.row, e.column): e.message for e in report.errors}
    assert "pays on a formula, not a scorecard" in found[2, "award"]
    assert "no award has key 'nope'" in found[3, "award"]


# --- Amounts already recovered ----------------------------------------------------------------------

CREDITS_CSV = """award,amount,recovered_on,source,reference
ceo-fy2024-bonus,"$200,000",2025-09-01,prior_restatement,Restatement 2025-1
cfo-rsu,"1,000.5",2025-10-01,sox_304,SEC v. Ortiz settlement
"""


def test_credits_are_recorded_once_however_often_the_file_is_imported(users, company_calendar):
    _everything(users, company_calendar)
    dry = _run(users, company_calendar, "award_credits", CREDITS_CSV, commit=False)
    assert dry.ok and len(dry.created) == 2 and not AwardCredit.objects.exists(), dry.errors
    report = _run(users, company_calendar, "award_credits", CREDITS_CSV, commit=True)
    assert report.committed, report.errors
    assert sorted((c.award.key, c.amount, c.source, c.recorded_by) for c in AwardCredit.objects.all()) == [
        ("ceo-fy2024-bonus", Decimal("200000"), "prior_restatement", users["secretary"]),
        ("cfo-rsu", Decimal("1000.5"), "sox_304", users["secretary"]),
    ]
    again = _run(users, company_calendar, "award_credits", CREDITS_CSV, commit=True)
    assert again.committed and again.created == [] and len(again.unchanged) == 2
    assert AwardCredit.objects.count() == 2


def test_credit_problems_are_reported_by_row_and_column(users, company_calendar):
    _everything(users, company_calendar)
    bad = (
        "award,amount,recovered_on,source,reference\n"
        'ceo-fy2024-bonus,"(1,000)",2025-09-01,other,Board letter\n'
        "ceo-fy2024-bonus,0,2025-09-01,other,Board letter\n"
        "ceo-fy2024-bonus,5,2999-01-01,other,Board letter\n"
        "ceo-fy2024-bonus,5,2025-01-01,clawed,\n"
        "unknown,5,2025-01-01,other,x\n"
    )
    report = _run(users, company_calendar, "award_credits", bad, commit=True)
    assert not report.committed and not AwardCredit.objects.exists()
    found = {(e.row, e.column): e.message for e in report.errors}
    assert "cannot be negative" in found[2, "amount"] and "parentheses" in found[2, "amount"]
    assert "more than zero" in found[3, "amount"]
    assert "in the future" in found[4, "recovered_on"]
    assert "must be one of prior_restatement, sox_304, other" in found[5, "source"]
    assert found[5, "reference"] == "is required"
    assert "no award has key 'unknown'" in found[6, "award"]


# --- Numbers as finance people type them ------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "negative", "plain"),
    [
        ("950,000,000", False, "950000000"),
        ("$1,000,000", False, "1000000"),
        ("1,000,000.50", False, "1000000.50"),
        ("$ 1,200", False, "1200"),
        ("1200000.00", False, "1200000.00"),
        ("-5", True, "-5"),
        ("(5,000)", True, "-5000"),
        ("-$5,000.25", True, "-5000.25"),
        ("-0", False, "0"),
    ],
)
def test_numbers_are_read_as_typed(typed, negative, plain):
    assert parse_number(typed, negative=negative) == (plain, None)


@pytest.mark.parametrize(
    ("typed", "negative", "problem"),
    [
        (
            "(1,000)",
            False,
            "cannot be negative; got '(1,000)', which is written as a negative amount (in parentheses)",
        ),
        ("-5", False, "cannot be negative; got '-5'"),
        ("1,00,000", True, "must be a number"),
        ("1.000,50", True, "must be a number"),
        ("12%", True, "must be a number"),
        ("1e6", True, "must be a number"),
        ("(-5)", True, "must be a number"),
    ],
)
def test_numbers_that_cannot_be_read_are_refused_in_plain_words(typed, negative, problem):
    plain, message = parse_number(typed, negative=negative)
    assert plain is None and message.startswith(problem)


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        (1200000.5, "1200000.5"),
        (0.1, "0.1"),
        (0.1 + 0.2, "0.3"),
        (950000000.0, "950000000"),
        (1e-7, "0.0000001"),
    ],
)
def test_an_xlsx_float_cell_is_the_number_a_spreadsheet_shows(cell, text):
    assert float_text(cell) == text


def test_amounts_with_separators_and_dollar_signs_import_exactly(users, company_calendar):
    _run(users, company_calendar, "executives", EXECUTIVES_CSV, commit=True)
    measures = (
        "key,name,category,period,original\n"
        'ni,Net income,net_income,FY2024,"950,000,000"\n'
        'ni,Net income,net_income,FY2025,"(5,000)"\n'
        "ni,Net income,net_income,FY2023,-5\n"
    )
    assert _run(users, company_calendar, "measures", measures, commit=True).committed
    assert {v.period_label: v.original for v in MeasureValue.objects.all()} == {
        "FY2023": Decimal("-5"), "FY2024": Decimal("950000000"), "FY2025": Decimal("-5000"),
    }  # fmt: skip
    awards = (
        "executive,key,award_type,basis,performance_start,performance_end,received\n"
        'ceo,salary-2024,cash_bonus,salary,2024-01-01,2024-12-31,"$1,000,000"\n'
        'ceo,salary-2025,cash_bonus,salary,2025-01-01,2025-12-31,"1,000,000.50"\n'
    )
    assert _run(users, company_calendar, "awards", awards, commit=True).committed
    assert sorted(Award.objects.values_list("received", flat=True)) == [
        Decimal("1000000"),
        Decimal("1000000.50"),
    ]


def test_a_negative_amount_in_parentheses_is_refused_with_its_row_and_column(users, company_calendar):
    _run(users, company_calendar, "executives", EXECUTIVES_CSV, commit=True)
    awards = (
        "executive,key,award_type,basis,performance_start,performance_end,received\n"
        'ceo,salary-2024,cash_bonus,salary,2024-01-01,2024-12-31,"(1,000)"\n'
    )
    report = _run(users, company_calendar, "awards", awards, commit=True)
    [error] = report.errors
    assert (error.row, error.column, error.where) == (2, "received", "row 2")
    assert "cannot be negative" in error.message and "(in parentheses)" in error.message
    assert not Award.objects.exists()


def test_xlsx_number_cells_stay_exact(users, company_calendar):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["key", "name", "category", "period", "original"])
    sheet.append(["ni", "Net income", "net_income", "FY2023", 1200000.5])  # a float cell
    sheet.append(["ni", None, None, "FY2024", 950000000])  # an int cell
    sheet.append(["ni", None, None, "FY2025", 0.1 + 0.2])  # a formula's binary noise
    sheet.append(["ni", None, None, "FY2026", "$1,000,000.10"])  # a text cell, as typed
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = _run(users, company_calendar, "measures", buffer.getvalue(), fmt="xlsx", commit=True)
    assert report.committed, report.errors
    assert {v.period_label: format(v.original.normalize(), "f") for v in MeasureValue.objects.all()} == {
        "FY2023": "1200000.5", "FY2024": "950000000", "FY2025": "0.3", "FY2026": "1000000.1",
    }  # fmt: skip


# --- Dry runs ---------------------------------------------------------------------------------------


def test_a_dry_run_of_any_kind_changes_nothing(users, company_calendar):
    _everything(users, company_calendar)
    case = _case(company_calendar)
    counts = (Measure, MeasureValue, RestatedValue, Award, AwardCredit, AuditEvent)
    before = [model.objects.count() for model in counts]
    runs = [
        ("measures", "key,name,category,period,original\nni2,Other,net_income,FY2024,1\n", {}),
        ("restated_values", RESTATED_CSV, {"restatement": case}),
        ("awards", _xlsx(SCORECARD_AWARD, goals=SCORECARD_GOALS), {"fmt": "xlsx"}),
        ("award_credits", CREDITS_CSV, {}),
    ]
    for kind, text, more in runs:
        report = _run(users, company_calendar, kind, text, commit=False, **more)
        assert report.ok and not report.committed and report.created, (kind, report.errors)
    assert [model.objects.count() for model in counts] == before


# --- Templates and exports --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(COLUMNS))
def test_templates_name_every_column(kind):
    header = next(csv.reader(io.StringIO(template_file(kind, fmt="csv").decode("utf-8-sig"))))
    assert header == [c.name for c in COLUMNS[kind]]
    workbook = load_workbook(io.BytesIO(template_file(kind, fmt="xlsx")))
    assert [c.value for c in workbook.worksheets[0][1]] == header
    assert workbook.worksheets[-1].title == "columns"
    if kind == "awards":  # the scorecard goals go on their own sheet of the same workbook
        assert [c.value for c in workbook["goals"][1]] == [c.name for c in COLUMNS["award_goals"]]


# --- Pages ------------------------------------------------------------------------------------------


@pytest.fixture
def secretary(users):
    client = Client()
    client.force_login(users["secretary"])
    return client


def test_import_page_dry_run_then_import_the_checked_file(secretary, company_calendar, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("clawback:import-records", args=["executives"])
    upload = SimpleUploadedFile("executives.csv", EXECUTIVES_CSV.encode(), content_type="text/csv")
    response = secretary.post(url, {"file": upload, "action": "check"})
    assert response.status_code == 200
    assert "Dry run: no problems" in response.content.decode()
    assert not Executive.objects.exists()
    token = response.context["token"]
    response = secretary.post(url, {"token": token, "action": "import"})
    assert response.status_code == 302 and response["Location"] == reverse("clawback:executive-list")
    assert Executive.objects.count() == 2
    assert not list((tmp_path / "clawback-imports").glob("*.upload"))
    # The staged file is gone: importing it twice is refused.
    assert secretary.post(url, {"token": token, "action": "import"}).status_code == 400


def test_import_page_lists_row_errors(secretary, company_calendar, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    bad = "key,name,officer_start\nceo,,2015-02-30\n"
    upload = SimpleUploadedFile("bad.csv", bad.encode(), content_type="text/csv")
    response = secretary.post(
        reverse("clawback:import-records", args=["executives"]), {"file": upload, "action": "check"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="import-errors"' in html and "officer_start" in html and "is required" in html


def test_another_users_staged_file_cannot_be_imported(secretary, users, company_calendar, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("clawback:import-records", args=["executives"])
    upload = SimpleUploadedFile("executives.csv", EXECUTIVES_CSV.encode(), content_type="text/csv")
    token = secretary.post(url, {"file": upload, "action": "check"}).context["token"]
    other = Client()
    other.force_login(users["committee"])
    assert other.post(url, {"token": token, "action": "import"}).status_code == 400
    assert not Executive.objects.exists()


def test_restated_values_page_is_reached_from_a_case_and_imports_for_it(
    secretary, users, company_calendar, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _run(users, company_calendar, "measures", MEASURES_CSV, commit=True)
    case, other = _case(company_calendar), _case(company_calendar, "Other restatement")
    url = reverse("clawback:import-records", args=["restated_values"])
    response = secretary.get(url, {"case": case.pk})
    assert response.status_code == 200
    assert response.context["form"]["case"].value() == case.pk
    upload = SimpleUploadedFile("restated.csv", RESTATED_CSV.encode(), content_type="text/csv")
    response = secretary.post(url, {"file": upload, "case": case.pk, "action": "check"})
    assert response.status_code == 200 and "Dry run: no problems" in response.content.decode()
    token = response.context["token"]
    assert f'name="case" value="{case.pk}"' in response.content.decode()
    # The checked file is for its case only.
    assert secretary.post(url, {"token": token, "case": other.pk, "action": "import"}).status_code == 400
    response = secretary.post(url, {"token": token, "case": case.pk, "action": "import"})
    assert response.status_code == 302
    assert response["Location"] == reverse("clawback:restatement-detail", args=[case.pk])
    assert RestatedValue.objects.filter(restatement=case).count() == 2
    assert not RestatedValue.objects.filter(restatement=other).exists()
    # Without a case, the form says so.
    upload = SimpleUploadedFile("restated.csv", RESTATED_CSV.encode(), content_type="text/csv")
    assert secretary.post(url, {"file": upload, "action": "check"}).status_code == 400


def test_a_signed_off_case_needs_a_reason_on_the_restated_values_page(secretary, users, company_calendar):
    case = _case(company_calendar)
    Restatement.objects.filter(pk=case.pk).update(status=Restatement.Status.APPROVED)
    upload = SimpleUploadedFile("restated.csv", RESTATED_CSV.encode(), content_type="text/csv")
    response = secretary.post(
        reverse("clawback:import-records", args=["restated_values"]),
        {"file": upload, "case": case.pk, "action": "check"},
    )
    assert response.status_code == 400
    assert "say why its restated figures change" in response.content.decode()


def test_awards_page_takes_a_csv_with_its_goals_file(secretary, users, company_calendar, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _run(users, company_calendar, "executives", EXECUTIVES_CSV, commit=True)
    _run(users, company_calendar, "measures", MEASURES_CSV, commit=True)
    url = reverse("clawback:import-records", args=["awards"])
    files = {
        "file": SimpleUploadedFile("awards.csv", SCORECARD_AWARD.encode(), content_type="text/csv"),
        "goals_file": SimpleUploadedFile("goals.csv", SCORECARD_GOALS.encode(), content_type="text/csv"),
    }
    response = secretary.post(url, {**files, "action": "check"})
    assert response.status_code == 200, response.context["report"].errors
    assert "goals: goals.csv, 3 rows" in response.content.decode()
    response = secretary.post(url, {"token": response.context["token"], "action": "import"})
    assert response.status_code == 302
    assert Award.objects.get(key="ceo-fy2024-scorecard").components.count() == 3
    assert not list((tmp_path / "clawback-imports").glob("*.upload"))


def test_goal_errors_name_their_sheet_on_the_page(secretary, users, company_calendar):
    _run(users, company_calendar, "executives", EXECUTIVES_CSV, commit=True)
    _run(users, company_calendar, "measures", MEASURES_CSV, commit=True)
    goals = SCORECARD_GOALS.replace(",0.2,,1.2", ",0.2,,(1.2)")
    upload = SimpleUploadedFile("awards.xlsx", _xlsx(SCORECARD_AWARD, goals=goals))
    response = secretary.post(
        reverse("clawback:import-records", args=["awards"]), {"file": upload, "action": "check"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "<td>goals 4</td>" in html and "cannot be negative" in html


def test_template_and_export_downloads(secretary, users, company_calendar):
    response = secretary.get(reverse("clawback:import-template", args=["awards", "csv"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="clawback-awards-template.csv"'
    auditor = Client()
    auditor.force_login(users["auditor"])
    response = auditor.get(reverse("clawback:list-export", args=["restatements", "xlsx"]))
    assert response.status_code == 200 and response.content.startswith(b"PK")
    assert auditor.get(reverse("clawback:list-export", args=["secrets", "csv"])).status_code == 404
    assert auditor.get(reverse("clawback:import-records", args=["executives"])).status_code == 403


def test_exports_never_include_the_viewers_own_records(users, clawback_case):
    # The officer persona is the covered executive "ceo"; a secretary who is an executive is the real case.
    from tests.factories import ExecutiveFactory, UserFactory

    secretary = UserFactory(username="secretary-exec", roles=["secretary"])
    ExecutiveFactory(company=clawback_case.company, key="gc", name="Gale Counsel", user=secretary)
    client = Client()
    client.force_login(secretary)
    text = client.get(reverse("clawback:list-export", args=["executives", "csv"])).content.decode("utf-8-sig")
    assert "Avery Chen" in text and "Gale Counsel" not in text


def _differences_from_example(result: dict, n: int) -> list[str]:
    """A case held in the database is a `/2` case: its result matches a `/1` example's without what `/2` adds."""
    expected = load_example(n, "expected")
    return result_differences(as_result_1(result) if expected["format"].endswith("/1") else result, expected)


# --- Scenario files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("n", ALL_EXAMPLE_NUMBERS)
def test_scenario_import_page_checks_then_imports_a_draft_case_with_the_examples_figures(secretary, n):
    Company.objects.create(name="Example Corp")
    url = reverse("clawback:import-scenario")
    text = example_path(n).read_text()
    response = secretary.post(url, {"text": text, "title": f"Example {n}", "action": "check"})
    assert response.status_code == 200
    assert 'data-testid="scenario-preview"' in response.content.decode()
    assert not Restatement.objects.exists()
    response = secretary.post(url, {"text": text, "title": f"Example {n}", "action": "import"})
    assert response.status_code == 302
    case = Restatement.objects.get()
    assert case.status == Restatement.Status.DRAFT
    result = result_to_json(evaluate(scenario_for_restatement(case)))
    assert _differences_from_example(result, n) == []


def test_scenario_import_reports_errors_by_json_path(secretary):
    Company.objects.create(name="Example Corp")
    data = load_example(1)
    data["awards"][0]["received"] = 100000
    response = secretary.post(
        reverse("clawback:import-scenario"), {"text": json.dumps(data), "title": "X", "action": "import"}
    )
    assert response.status_code == 400
    assert "$.awards[0].received" in response.content.decode()
    assert not Restatement.objects.exists()


def test_scenario_whose_calendar_contradicts_the_companys_is_refused(users, company):
    FiscalPeriod.objects.create(
        company=company, label="FY2024", start=date(2024, 2, 1), end=date(2025, 1, 31)
    )
    with pytest.raises(Exception) as caught:
        import_scenario_file(
            actor=users["secretary"], company=company, text=example_path(1).read_text(), title="X"
        )
    assert "FY2024" in str(caught.value)
    assert not Restatement.objects.exists()


@pytest.mark.parametrize("n", ALL_EXAMPLE_NUMBERS)
def test_case_exported_as_a_scenario_file_re_evaluates_to_the_same_result(users, secretary, n):
    company = Company.objects.create(name="Example Corp")
    case = import_scenario_file(
        actor=users["secretary"], company=company, text=example_path(n).read_text(), title="X"
    )
    response = secretary.get(reverse("clawback:restatement-scenario", args=[case.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    exported = result_to_json(evaluate(load_scenario(response.content)))
    assert result_differences(exported, result_to_json(evaluate(scenario_for_restatement(case)))) == []
    assert exported["format"] == "clawback-result/2"  # the case is written as a /2 scenario file
    assert _differences_from_example(exported, n) == []
    assert AuditEvent.objects.filter(verb="scenario-exported", object_id=str(case.pk)).exists()


def test_case_that_cannot_be_exported_yet_sends_the_user_to_the_worksheet(secretary, clawback_case):
    response = secretary.get(reverse("clawback:restatement-scenario", args=[clawback_case.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("clawback:restatement-worksheet", args=[clawback_case.pk])
