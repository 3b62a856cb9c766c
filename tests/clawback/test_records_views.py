"""Records pages: the secretary and the committee keep executives, measures, awards and restatements;
others read; lists search, paginate and show an empty state; a page costs the same queries whatever its
length."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clawback.models import Award, Executive, Measure, Restatement, RestatementEvent
from compliance_site.company.models import PolicyVersion
from tests.factories import AwardFactory, ExecutiveFactory, MeasureFactory, RestatementFactory


@pytest.fixture
def secretary(users):
    client = Client()
    client.force_login(users["secretary"])
    return client


def _formset(prefix, rows, extra=0):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows) + extra), f"{prefix}-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


# --- Executives -------------------------------------------------------------------------------------


def test_secretary_adds_an_executive_with_officer_periods_and_neo_years(secretary, calendar):
    data = {"key": "cfo", "name": "Blake Ortiz", "title": "CFO", "neo_years": ["FY2024", "FY2025"]}
    data |= _formset(
        "periods", [{"start": "2019-01-01", "end": "2020-06-30"}, {"start": "2024-09-01"}], extra=1
    )
    response = secretary.post(reverse("clawback:executive-create"), data)
    assert response.status_code == 302, response.context["form"].errors
    executive = Executive.objects.get(key="cfo")
    assert response["Location"] == reverse("clawback:executive-detail", args=[executive.pk])
    assert executive.officer_periods.count() == 2
    page = secretary.get(response["Location"]).content.decode()
    assert "2024-09-01" in page and "FY2024, FY2025" in page


def test_overlapping_periods_are_shown_on_the_form(secretary, calendar):
    data = {"key": "cfo", "name": "Blake Ortiz"} | _formset(
        "periods", [{"start": "2019-01-01"}, {"start": "2024-09-01"}]
    )
    response = secretary.post(reverse("clawback:executive-create"), data)
    assert response.status_code == 200
    assert "overlaps" in response.content.decode()
    assert not Executive.objects.exists()


def test_editing_an_executive_changes_the_period_it_names(secretary, calendar):
    executive = ExecutiveFactory(company=calendar, key="ceo", name="Avery Chen")
    period = executive.officer_periods.get()
    url = reverse("clawback:executive-edit", args=[executive.pk])
    form = secretary.get(url)
    assert form.context["periods"].initial == [
        {"id": period.pk, "start": date(2015, 1, 1), "end": None, "title": ""}
    ]
    data = {"key": "ceo", "name": "Avery Chen"} | _formset(
        "periods", [{"id": period.pk, "start": "2015-01-01", "end": "2026-03-31"}]
    )
    assert secretary.post(url, data).status_code == 302
    assert executive.officer_periods.get().end == date(2026, 3, 31)


# --- Measures ---------------------------------------------------------------------------------------


def test_secretary_adds_a_measure_with_its_values_as_first_reported(secretary, company):
    data = {"key": "net_income", "name": "Net income", "category": "net_income"} | _formset(
        "values",
        [
            {"period_label": "FY2024", "original": "240,000,000", "source": "10-K"},
            {"period_label": "FY2025", "original": "$260,000,000"},
        ],
        extra=1,
    )
    response = secretary.post(reverse("clawback:measure-create"), data)
    assert response.status_code == 302
    measure = Measure.objects.get(key="net_income")
    assert measure.values.count() == 2
    page = secretary.get(response["Location"]).content.decode()
    assert "240,000,000" in page and "260,000,000" in page


# --- Awards -----------------------------------------------------------------------------------------


@pytest.fixture
def ceo_and_measure(company):
    ceo = ExecutiveFactory(company=company, key="ceo", name="Avery Chen")
    measure = MeasureFactory(company=company, key="net_income")
    measure.values.create(period_label="FY2024", original=240000000)
    return ceo, measure


def _award_data(ceo, measure, **overrides):
    data = {
        "executive": ceo.pk, "key": "ceo-fy2024-bonus", "award_type": "cash_bonus",
        "basis": "financial_reporting_measure", "performance_start": "2024-01-01",
        "performance_end": "2024-12-31",
        "measure_value": measure.values.get(period_label="FY2024").pk, "formula_kind": "curve", "target": "800,000",
        "points": "180000000, 0.5\n220000000, 1.0\n260000000, 2.0", "unit": "USD", "received": "1200000",
        "grant_date": "2024-02-01",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_award_with_a_curve_formula_is_saved_as_the_scenario_format(secretary, ceo_and_measure):
    ceo, measure = ceo_and_measure
    response = secretary.post(reverse("clawback:award-create"), _award_data(ceo, measure))
    assert response.status_code == 302, response.context["form"].errors
    award = Award.objects.get()
    assert award.formula == {
        "kind": "curve",
        "target": "800000",
        "points": [["180000000", "0.5"], ["220000000", "1.0"], ["260000000", "2.0"]],
    }
    page = secretary.get(response["Location"]).content.decode()
    assert "Documents" in page and "(180000000, 0.5)" in page
    # The edit form shows the formula as it was typed.
    form = secretary.get(reverse("clawback:award-edit", args=[award.pk])).context["form"]
    assert form.initial["points"] == "180000000, 0.5\n220000000, 1.0\n260000000, 2.0"


def test_award_with_a_linear_formula(secretary, ceo_and_measure):
    ceo, measure = ceo_and_measure
    data = _award_data(
        ceo, measure, formula_kind="linear", target="", points="", rate="0.005", offset="0", cap="2000000"
    )
    assert secretary.post(reverse("clawback:award-create"), data).status_code == 302
    assert Award.objects.get().formula == {"kind": "linear", "rate": "0.005", "offset": "0", "cap": "2000000"}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"points": "220000000, 1.0\n180000000, 0.5"}, "points", "strictly ascending"),
        ({"points": "lots, of, money"}, "points", "Line 1"),
        ({"target": ""}, "target", "A curve needs a target."),
        ({"measure_value": "999999"}, "measure_value", "Select a valid choice"),
        ({"received": "100.129"}, "received", "two decimal places"),
    ],
)
def test_award_errors_are_shown_on_the_field(secretary, ceo_and_measure, overrides, field, message):
    ceo, measure = ceo_and_measure
    response = secretary.post(reverse("clawback:award-create"), _award_data(ceo, measure, **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in e for e in errors.get(field, [])), errors
    assert not Award.objects.exists()


# --- Restatements -----------------------------------------------------------------------------------


def test_record_a_restatement_with_its_events(secretary, company, ceo_and_measure):
    ceo, measure = ceo_and_measure
    form = secretary.get(reverse("clawback:restatement-create")).context["form"]
    seeded = PolicyVersion.objects.get(kind="clawback", version="1.0")
    assert form.initial["policy_version"] == seeded.pk
    assert "covered_executives" not in form.initial  # proposed on the page, never ticked for the user
    response = secretary.post(
        reverse("clawback:restatement-create"),
        {"title": "FY2025 restatement", "kind": "big_r", "covered_executives": [ceo.pk],
         "administering_body": "committee"},
    )  # fmt: skip
    assert response.status_code == 302
    case = Restatement.objects.get()
    assert case.policy_version == seeded
    add_event = reverse("clawback:restatement-event-add", args=[case.pk])
    response = secretary.post(
        add_event, {"kind": "should_have_concluded", "date": "2026-03-01", "rationale": ""}
    )
    assert response.status_code == 200 and "rationale" in response.context["form"].errors
    response = secretary.post(
        add_event,
        {"kind": "should_have_concluded", "date": "2026-03-01", "rationale": "Auditor memo ignored."},
    )
    assert response.status_code == 302
    page = secretary.get(reverse("clawback:restatement-detail", args=[case.pk])).content.decode()
    assert "2026-03-01 (Reasonably should have concluded)" in page
    assert reverse("clawback:restatement-worksheet", args=[case.pk]) in page
    assert reverse("clawback:restatement-scenario", args=[case.pk]) in page
    assert reverse("attachments:record", args=["clawback.restatement", case.pk]) in page
    event = RestatementEvent.objects.get()
    assert reverse("attachments:record", args=["clawback.restatementevent", event.pk]) in page
    assert (
        secretary.get(reverse("attachments:record", args=["clawback.restatementevent", event.pk])).status_code
        == 200
    )


def test_editing_a_signed_off_case_asks_for_a_reason(secretary, company):
    case = RestatementFactory(company=company, status=Restatement.Status.APPROVED)
    url = reverse("clawback:restatement-edit", args=[case.pk])
    assert "reason" in secretary.get(url).context["form"].fields
    data = {"title": "Renamed", "kind": "big_r", "administering_body": "committee"}
    response = secretary.post(url, data)
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert secretary.post(url, data | {"reason": "Board minutes reference"}).status_code == 302
    case.refresh_from_db()
    assert case.title == "Renamed"


def test_detail_page_includes_the_workflow_section_and_the_facts(secretary, clawback_case):
    response = secretary.get(reverse("clawback:restatement-detail", args=[clawback_case.pk]))
    assert response.status_code == 200
    templates = [t.name for t in response.templates]
    assert "clawback/includes/case_workflow.html" in templates
    html = response.content.decode()
    assert "Required to prepare on" in html and "Not yet set" in html


# --- Permissions ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["auditor", "board", "counsel"])
def test_readers_cannot_change_records(users, clawback_case, role):
    client = Client()
    client.force_login(users[role])
    award = AwardFactory(executive=clawback_case.covered_executives.get(key="cfo"))
    assert client.get(reverse("clawback:award-detail", args=[award.pk])).status_code == 200
    for url in (
        reverse("clawback:executive-create"),
        reverse("clawback:award-edit", args=[award.pk]),
        reverse("clawback:restatement-edit", args=[clawback_case.pk]),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, {}).status_code == 403


def test_covered_executive_cannot_open_their_own_case_worksheet_or_scenario(users, clawback_case):
    from tests.factories import UserFactory

    member = UserFactory(username="committee-exec", roles=["committee"])
    executive = ExecutiveFactory(company=clawback_case.company, key="cao", user=member)
    clawback_case.covered_executives.add(executive)
    client = Client()
    client.force_login(member)
    for name in (
        "restatement-worksheet",
        "restatement-edit",
        "restatement-event-add",
        "restatement-scenario",
    ):
        assert client.get(reverse(f"clawback:{name}", args=[clawback_case.pk])).status_code == 404, name
    assert client.get(reverse("clawback:executive-detail", args=[executive.pk])).status_code == 404
    assert client.get(reverse("clawback:executive-edit", args=[executive.pk])).status_code == 404


# --- Lists ------------------------------------------------------------------------------------------


def test_lists_search_and_show_an_empty_state(secretary, company):
    MeasureFactory(company=company, key="revenue", name="Revenue", category="revenue")
    MeasureFactory(company=company, key="tsr", name="Relative TSR", category="tsr")
    page = secretary.get(reverse("clawback:measure-list"), {"q": "rev"})
    assert [m.key for m in page.context["page"]] == ["revenue"]
    page = secretary.get(reverse("clawback:measure-list"), {"category": "tsr"})
    assert [m.key for m in page.context["page"]] == ["tsr"]
    empty = secretary.get(reverse("clawback:measure-list"), {"q": "nothing"}).content.decode()
    assert "No measures match your search." in empty
    empty = secretary.get(reverse("clawback:award-list"), {"type": "rsu"}).content.decode()
    assert "No awards match your search." in empty
    assert "add one" in secretary.get(reverse("clawback:executive-list")).content.decode()


def test_award_list_filters_by_type_and_basis(secretary, company):
    executive = ExecutiveFactory(company=company)
    AwardFactory(executive=executive, key="bonus")
    AwardFactory(executive=executive, key="rsu", award_type="rsu", basis="time_vested")
    listed = secretary.get(reverse("clawback:award-list"), {"basis": "time_vested"}).context["page"]
    assert [a.key for a in listed] == ["rsu"]


def test_lists_paginate_keeping_the_search(secretary, company):
    for i in range(30):
        ExecutiveFactory(company=company, name=f"Vice President {i:02d}")
    page = secretary.get(reverse("clawback:executive-list"), {"q": "Vice", "page": 2})
    assert page.context["page"].number == 2 and len(page.context["page"].object_list) == 5
    assert "?q=Vice&amp;page=1" in page.content.decode()


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _add_rows(company, n, offset):
    measure = MeasureFactory(company=company, key=f"m{offset}")
    for i in range(n):
        measure.values.create(period_label=f"P{offset}-{i}", original=i)
        executive = ExecutiveFactory(company=company, title="EVP")
        executive.neo_years.create(fiscal_year=f"FY{offset}{i}")
        AwardFactory(executive=executive, measure=measure, measure_period=f"P{offset}-{i}")
        MeasureFactory(company=company, key=f"m{offset}-{i}").values.create(period_label="FY2024", original=1)
        case = RestatementFactory(company=company)
        case.covered_executives.add(executive)
        case.events.create(kind="board_concluded", date=date(2026, 1, 1))


@pytest.mark.parametrize(
    "url_name",
    ["clawback:executive-list", "clawback:measure-list", "clawback:award-list", "clawback:restatement-list"],
)
def test_list_pages_cost_the_same_queries_for_2_and_20_rows(secretary, company, url_name):
    _add_rows(company, 2, 0)
    few = _count(secretary, reverse(url_name))
    _add_rows(company, 18, 1)
    many = _count(secretary, reverse(url_name))
    assert few == many, f"{url_name}: {few} queries with 2 rows, {many} with 20"


def test_detail_pages_cost_the_same_queries_whatever_the_related_rows(secretary, company):
    executive = ExecutiveFactory(company=company)
    measure = MeasureFactory(company=company)
    AwardFactory(executive=executive, measure=measure, key="a0")
    urls = [
        reverse("clawback:executive-detail", args=[executive.pk]),
        reverse("clawback:measure-detail", args=[measure.pk]),
    ]
    few = [_count(secretary, url) for url in urls]
    for i in range(1, 20):
        AwardFactory(executive=executive, measure=measure, key=f"a{i}")
        measure.values.create(period_label=f"P{i}", original=i)
        executive.officer_periods.create(start=date(2000 + i, 1, 1), end=date(2000 + i, 6, 30))
    assert [_count(secretary, url) for url in urls] == few
