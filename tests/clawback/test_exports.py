"""Exports: every list in CSV and XLSX with the import's columns, so an export imports back unchanged; a
case's own restated values; scorecard goals and amounts already recovered; voided records left out; amounts
exact as text; cells a spreadsheet would run as formulas quoted; a case as a `clawback-scenario/2` file."""

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from clawback.models import (
    Award,
    AwardComponent,
    AwardCredit,
    Executive,
    Measure,
    MeasureValue,
    RestatedValue,
)
from clawback.services import records
from clawback.services.exports import RESTATEMENT_COLUMNS, export_list, to_csv, to_xlsx
from clawback.services.imports import COLUMNS
from clawback.services.voiding import void_award_credit, void_measure_value
from compliance_site.audit.models import AuditEvent
from compliance_site.company.models import FiscalPeriod
from tests.clawback.test_imports import (
    CREDITS_CSV,
    RESTATED_CSV,
    SCORECARD_AWARD,
    SCORECARD_GOALS,
    _case,
    _everything,
    _run,
    _xlsx,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=ZoneInfo("America/New_York"))


@pytest.fixture
def company_calendar(company):
    for year in (2023, 2024, 2025, 2026):
        FiscalPeriod.objects.create(
            company=company, label=f"FY{year}", start=date(year, 1, 1), end=date(year, 12, 31)
        )
    return company


def _rows(content: bytes, fmt: str, sheet: int | str = 0) -> list[list[str]]:
    if fmt == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    workbook = load_workbook(io.BytesIO(content))
    ws = workbook.worksheets[sheet] if isinstance(sheet, int) else workbook[sheet]
    return [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]


def _export(users, company, kind, fmt, queryset, **more):
    content, _, _ = export_list(
        actor=users["auditor"], company=company, kind=kind, fmt=fmt, queryset=queryset, **more
    )
    return content


@pytest.fixture
def records_(users, company_calendar):
    """Every kind of record: executives, measures, formula and scorecard awards, a case's restated values and
    an amount already recovered."""
    _everything(users, company_calendar)
    report = _run(
        users,
        company_calendar,
        "awards",
        _xlsx(SCORECARD_AWARD, goals=SCORECARD_GOALS),
        fmt="xlsx",
        commit=True,
    )
    assert report.committed, report.errors
    case = _case(company_calendar)
    assert _run(
        users, company_calendar, "restated_values", RESTATED_CSV, commit=True, restatement=case
    ).committed
    assert _run(users, company_calendar, "award_credits", CREDITS_CSV, commit=True).committed
    return case


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_back_unchanged(users, company_calendar, records_, fmt):
    case = records_
    exports = [
        ("executives", Executive.objects.all(), {}),
        ("measures", Measure.objects.all(), {}),
        ("awards", Award.objects.all(), {}),
        ("award_goals", Award.objects.all(), {}),
        ("award_credits", Award.objects.all(), {}),
        ("restated_values", RestatedValue.objects.filter(restatement=case), {"restatement": case}),
    ]
    for kind, queryset, more in exports:
        content = _export(users, company_calendar, kind, fmt, queryset, **more)
        assert _rows(content, fmt)[0] == [c.name for c in COLUMNS[kind]], kind
        report = _run(users, company_calendar, kind, content, commit=False, fmt=fmt, **more)
        assert report.ok, (kind, report.errors)
        assert report.created == [], (kind, report.created)
        assert report.updated or report.unchanged, kind
    changes = AuditEvent.objects.filter(action__in=["create", "update"], object_type__startswith="clawback.")
    before = changes.count()
    for kind, queryset, more in exports:  # importing an unchanged export for real changes nothing at all
        content = _export(users, company_calendar, kind, fmt, queryset, **more)
        assert _run(users, company_calendar, kind, content, commit=True, fmt=fmt, **more).committed, kind
    assert [(e.object_type, e.changes) for e in changes.order_by("pk")[before:]] == []


def test_the_awards_workbook_carries_the_scorecard_goals_on_its_goals_sheet(
    users, company_calendar, records_
):
    content = _export(users, company_calendar, "awards", "xlsx", Award.objects.all())
    awards = _rows(content, "xlsx")
    header = awards[0]
    scorecard = dict(zip(header, next(r for r in awards if r[1] == "ceo-fy2024-scorecard"), strict=True))
    assert (scorecard["scorecard_target"], scorecard["scorecard_cap_factor"], scorecard["formula_kind"]) == (
        "500000", "1.5", "",
    )  # fmt: skip
    goals = _rows(content, "xlsx", "goals")
    assert goals == [
        [c.name for c in COLUMNS["award_goals"]],
        ["ceo-fy2024-scorecard", "1", "financial_reporting_measure", "net_income", "FY2024", "0.4",
         "180000000:0.5; 220000000:1; 260000000:2", ""],
        ["ceo-fy2024-scorecard", "2", "financial_reporting_measure", "revenue", "FY2024", "0.4",
         "900000000:0.5; 1100000000:1", ""],
        ["ceo-fy2024-scorecard", "3", "operational_goal", "", "", "0.2", "", "1.2"],
    ]  # fmt: skip
    # The whole workbook imports back as one upload: the awards with their goals.
    report = _run(users, company_calendar, "awards", content, fmt="xlsx", commit=False)
    assert report.ok and report.goal_rows == 3, report.errors


def test_measures_export_values_as_first_reported_and_the_case_its_own_restated_values(
    users, company_calendar, records_
):
    measures = _rows(_export(users, company_calendar, "measures", "csv", Measure.objects.all()), "csv")
    assert measures[0] == ["key", "name", "category", "period", "original", "source"]
    assert ["net_income", "Net income", "net_income", "FY2024", "240000000", "2024 10-K"] in measures
    other = _case(company_calendar, "Another restatement")
    records.set_restated_values(
        actor=users["secretary"],
        restatement=other,
        values=[
            {
                "measure": Measure.objects.get(key="net_income"),
                "period_label": "FY2024",
                "restated": Decimal("1"),
            }
        ],
    )
    content = _export(
        users, company_calendar, "restated_values", "csv",
        RestatedValue.objects.filter(restatement=records_), restatement=records_,
    )  # fmt: skip
    assert _rows(content, "csv") == [
        ["measure", "period", "restated", "source"],
        ["net_income", "FY2024", "228000000", "2025 10-K/A"],
        ["net_income", "FY2025", "236000000", "2025 10-K/A"],
    ]
    assert AuditEvent.objects.filter(
        verb="clawback-export-restated_values", object_id=str(records_.pk)
    ).exists()


def test_restatements_export_names_the_restated_values_not_the_old_columns(users, company_calendar, records_):
    from clawback.models import Restatement

    rows = _rows(_export(users, company_calendar, "restatements", "csv", Restatement.objects.all()), "csv")
    assert rows[0] == RESTATEMENT_COLUMNS
    assert "periods_restated" not in rows[0] and "measures_restated" not in rows[0]
    row = dict(zip(rows[0], next(r for r in rows[1:] if r[0] == str(records_.pk)), strict=True))
    assert row["restated_values"] == "net_income FY2024; net_income FY2025"


def test_voided_records_are_left_out_of_exports(users, company_calendar, records_):
    value = MeasureValue.objects.get(measure__key="net_income", period_label="FY2025")
    RestatedValue.objects.filter(value=value).update(voided_at=NOW)  # the case's figure goes with it
    void_measure_value(actor=users["secretary"], value=value, reason="Entered twice", now=NOW)
    credit = AwardCredit.objects.get(award__key="cfo-rsu")
    void_award_credit(actor=users["secretary"], credit=credit, reason="Entered in error", now=NOW)
    goal = AwardComponent.objects.get(award__key="ceo-fy2024-scorecard", position=2)
    AwardComponent.all_objects.filter(pk=goal.pk).update(voided_at=NOW)

    measures = _rows(_export(users, company_calendar, "measures", "csv", Measure.objects.all()), "csv")
    assert [r[3] for r in measures if r[0] == "net_income"] == ["FY2024"]
    restated = _rows(
        _export(
            users,
            company_calendar,
            "restated_values",
            "csv",
            RestatedValue.all_objects.all(),
            restatement=records_,
        ),
        "csv",
    )
    assert [r[1] for r in restated[1:]] == ["FY2024"]
    credits = _rows(_export(users, company_calendar, "award_credits", "csv", Award.objects.all()), "csv")
    assert [r[0] for r in credits[1:]] == ["ceo-fy2024-bonus"]
    goals = _rows(_export(users, company_calendar, "award_goals", "csv", Award.objects.all()), "csv")
    assert [r[1] for r in goals[1:]] == ["1", "2"]


def test_exports_quote_cells_a_spreadsheet_would_run_as_formulas():
    text = to_csv(["a", "b", "c", "d", "e"], [["=HYPERLINK(1)", "-1200.50", "@SUM(A1)", "\tx", "+1+1"]])
    assert text.decode("utf-8-sig").splitlines()[1] == "'=HYPERLINK(1),-1200.50,'@SUM(A1),'\tx,'+1+1"
    workbook = load_workbook(io.BytesIO(to_xlsx([("s", ["a", "b"], [["=1+1", "-5"]])])))
    assert [c.value for c in workbook.worksheets[0][2]] == ["'=1+1", "-5"]


def test_a_notes_cell_starting_with_a_formula_imports_back_as_typed(users, company_calendar, records_):
    Award.objects.filter(key="cfo-rsu").update(notes='=HYPERLINK("http://x")')
    content = _export(users, company_calendar, "awards", "csv", Award.objects.all())
    assert "'=HYPERLINK" in content.decode("utf-8-sig")
    report = _run(users, company_calendar, "awards", content, commit=True)
    assert report.committed, report.errors
    assert Award.objects.get(key="cfo-rsu").notes == '=HYPERLINK("http://x")'


def test_xlsx_export_keeps_amounts_exact_as_text(users, company_calendar, records_):
    content, media_type, name = export_list(
        actor=users["auditor"],
        company=company_calendar,
        kind="measures",
        fmt="xlsx",
        queryset=Measure.objects.all(),
    )
    assert media_type.endswith("spreadsheetml.sheet") and name == "clawback-measures.xlsx"
    rows = list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))
    assert ("revenue", "Revenue", "revenue", "FY2024", "1000000000.5", "2024 10-K") in rows
    assert AuditEvent.objects.filter(verb="clawback-export-measures", actor=users["auditor"]).exists()


def test_export_pages(users, company_calendar, records_):
    auditor = Client()
    auditor.force_login(users["auditor"])
    url = reverse("clawback:list-export", args=["restated_values", "csv"])
    response = auditor.get(url, {"case": records_.pk})
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="clawback-case-{records_.pk}-restated-values.csv"'
    )
    assert auditor.get(url).status_code == 404  # a case's restated values need the case
    for kind in ("award_goals", "award_credits"):
        response = auditor.get(reverse("clawback:list-export", args=[kind, "xlsx"]))
        assert response.status_code == 200 and response.content.startswith(b"PK")


def test_a_case_is_exported_as_a_scenario_2_document_with_its_goals_and_credits(
    users, company_calendar, records_
):
    from clawback.services.exports import export_case_scenario

    case = records_
    case.covered_executives.set(Executive.objects.all())
    case.events.create(kind="board_concluded", date="2026-03-01")
    document = json.loads(export_case_scenario(actor=users["secretary"], restatement=case))
    assert document["format"] == "clawback-scenario/2"
    assert document["measures"]["net_income"]["values"]["FY2024"] == {
        "original": "240000000",
        "restated": "228000000",
    }
    awards = {a["id"]: a for a in document["awards"]}
    assert [g["weight"] for g in awards["ceo-fy2024-scorecard"]["scorecard"]["components"]] == [
        "0.4",
        "0.4",
        "0.2",
    ]
    assert awards["ceo-fy2024-bonus"]["already_recovered"][0]["amount"] == "200000"
