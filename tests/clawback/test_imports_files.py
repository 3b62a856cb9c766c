"""Record imports: numbers as finance people type them, dry runs, templates and exports, the import pages and
scenario files."""

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
from clawback.services.imports import COLUMNS, import_scenario_file
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
