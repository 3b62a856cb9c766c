"""Imports and exports: CSV and XLSX records with a dry run that changes nothing and a commit that is
all or nothing; re-imports that never remove anything; a case's own restated values; scorecard awards with
their goals; amounts already recovered; numbers as finance people type them; templates; exports that
re-import; scenario files as draft cases; a case exported as a scenario file re-evaluates to the same
result."""

from datetime import date
from decimal import Decimal

import pytest

from clawback.models import Award, AwardCredit, Executive, Measure, MeasureValue, RestatedValue, Restatement
from compliance_site.audit.models import AuditEvent
from tests.clawback.import_setup import (
    CREDITS_CSV,
    EXECUTIVES_CSV,
    MEASURES_CSV,
    RESTATED_CSV,
    SCORECARD_AWARD,
    SCORECARD_GOALS,
    _case,
    _everything,
    _run,
    _xlsx,
)

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
