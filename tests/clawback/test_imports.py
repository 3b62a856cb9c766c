"""Imports and exports: CSV and XLSX records with a dry run that changes nothing and a commit that is
all or nothing; templates; exports that re-import; scenario files as draft cases; a case exported as a
scenario file re-evaluates to the same result."""

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

from clawback.models import Award, Executive, Measure, Restatement
from clawback.recovery import evaluate
from clawback.scenario import load_scenario, result_to_json
from clawback.services import scenario_for_restatement
from clawback.services.exports import export_list, to_csv
from clawback.services.imports import COLUMNS, import_records, import_scenario_file, template_file
from compliance_site.audit.models import AuditEvent
from compliance_site.company.models import Company, FiscalPeriod
from tests.clawback.compare import EXAMPLE_NUMBERS, example_path, load_example, result_differences

EXECUTIVES_CSV = """key,name,title,officer_start,officer_end,officer_title,neo_years
ceo,Avery Chen,Chief Executive Officer,2015-01-01,,CEO,FY2024;FY2025
cfo,Blake Ortiz,Chief Financial Officer,2019-01-01,2020-06-30,Controller,
cfo,,,2024-09-01,,CFO,FY2025
"""
MEASURES_CSV = """key,name,category,period,original,restated,source
net_income,Net income,net_income,FY2024,240000000,228000000,2025 10-K/A
net_income,Net income,net_income,FY2025,"260,000,000",236000000,2025 10-K/A
tsr,Relative TSR,tsr,,,,
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


def _run(users, company, kind, text, *, commit, fmt="csv"):
    content = text.encode() if isinstance(text, str) else text
    return import_records(
        actor=users["secretary"], company=company, kind=kind, content=content, fmt=fmt, file_name=f"f.{fmt}",
        commit=commit,
    )  # fmt: skip


def _xlsx(text: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in csv.reader(io.StringIO(text)):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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
    assert {v.period_label: (v.original, v.restated) for v in net_income.values.all()} == {
        "FY2024": (Decimal("240000000"), Decimal("228000000")),
        "FY2025": (Decimal("260000000"), Decimal("236000000")),
    }
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


# --- Templates and exports --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(COLUMNS))
def test_templates_name_every_column(kind):
    header = next(csv.reader(io.StringIO(template_file(kind, fmt="csv").decode("utf-8-sig"))))
    assert header == [c.name for c in COLUMNS[kind]]
    workbook = load_workbook(io.BytesIO(template_file(kind, fmt="xlsx")))
    assert [c.value for c in workbook.worksheets[0][1]] == header
    assert workbook.worksheets[1].title == "columns"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_back_unchanged(users, company_calendar, fmt):
    _everything(users, company_calendar)
    for kind, queryset in (
        ("executives", Executive.objects.all()),
        ("measures", Measure.objects.all()),
        ("awards", Award.objects.all()),
    ):
        content, _, _ = export_list(
            actor=users["auditor"], company=company_calendar, kind=kind, fmt=fmt, queryset=queryset
        )
        report = _run(users, company_calendar, kind, content, commit=False, fmt=fmt)
        assert report.ok, (kind, report.errors)
        assert report.created == [] and report.updated
    changes = AuditEvent.objects.filter(action="update", object_type__startswith="clawback.")
    assert not changes.exists()  # a dry run of an unchanged export changes nothing at all


def test_exports_quote_cells_a_spreadsheet_would_run_as_formulas():
    text = to_csv(["a", "b", "c"], [["=HYPERLINK(1)", "-1200.50", "@SUM(A1)"]]).decode("utf-8-sig")
    assert text.splitlines()[1] == "'=HYPERLINK(1),-1200.50,'@SUM(A1)"


def test_xlsx_export_keeps_amounts_exact_as_text(users, company_calendar):
    _everything(users, company_calendar)
    content, media_type, name = export_list(
        actor=users["auditor"],
        company=company_calendar,
        kind="measures",
        fmt="xlsx",
        queryset=Measure.objects.all(),
    )
    assert media_type.endswith("spreadsheetml.sheet") and name == "clawback-measures.xlsx"
    rows = list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))
    assert (
        "net_income",
        "Net income",
        "net_income",
        "FY2024",
        "240000000",
        "228000000",
        "2025 10-K/A",
    ) in rows
    assert AuditEvent.objects.filter(verb="clawback-export-measures", actor=users["auditor"]).exists()


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


# --- Scenario files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("n", EXAMPLE_NUMBERS)
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
    assert result_differences(result, load_example(n, "expected")) == []


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


@pytest.mark.parametrize("n", EXAMPLE_NUMBERS)
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
    assert result_differences(exported, load_example(n, "expected")) == []
    assert AuditEvent.objects.filter(verb="scenario-exported", object_id=str(case.pk)).exists()


def test_case_that_cannot_be_exported_yet_sends_the_user_to_the_worksheet(secretary, clawback_case):
    response = secretary.get(reverse("clawback:restatement-scenario", args=[clawback_case.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("clawback:restatement-worksheet", args=[clawback_case.pk])
