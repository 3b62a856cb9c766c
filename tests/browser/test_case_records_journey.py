"""Case records through the pages: adding FY2025 to a measure that has FY2024 keeps both; two cases restating
the same period with different figures each total only their own figure; a mistaken award is voided with a
reason and leaves the list."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from clawback.models import Award, Measure
from clawback.services import records
from compliance_site.accounts.models import User
from compliance_site.company.models import Company
from tests.browser.conftest import needs_chromium, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]

CURVE = "180000000, 0.5\n220000000, 1.0\n260000000, 2.0"


def _add_value_row(page, period: str, amount: str) -> None:
    """Fill the grid's blank row (the last one)."""
    rows = page.get_by_label("Period, row", exact=False)
    last = rows.count()
    page.get_by_label(f"Period, row {last}", exact=True).fill(period)
    page.get_by_label(f"As first reported, row {last}", exact=True).fill(amount)


def test_measure_periods_add_up_and_two_cases_keep_their_own_figures(page, live_server, demo):
    secretary = User.objects.get(username="secretary")
    company = Company.objects.order_by("id").first()
    executive = records.create_executive(
        actor=secretary,
        company=company,
        key="jdoe",
        name="Jordan Doe",
        title="Chief Executive Officer",
        officer_periods=[{"start": date(2015, 1, 1)}],
    )
    sign_in(page, live_server, "secretary")

    # A measure with FY2024, typed as finance people type numbers.
    page.goto(f"{live_server.url}/clawback/measures/new/")
    page.get_by_label("Key").fill("segment_ebit")
    page.get_by_label("Name").fill("Segment EBIT")
    page.get_by_label("Category").select_option("operating_income")
    _add_value_row(page, "FY2024", "240,000,000")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Segment EBIT")

    # Add FY2025 as the page tells you to: both remain.
    page.get_by_role("link", name="Edit").click()
    expect(page.get_by_label("As first reported, row 1", exact=True)).to_have_value("240,000,000")
    _add_value_row(page, "FY2025", "$250,000,000")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    values = page.locator("main table").first
    expect(values).to_contain_text("FY2024")
    expect(values).to_contain_text("240,000,000")
    expect(values).to_contain_text("FY2025")
    expect(values).to_contain_text("250,000,000")
    shot(page, "measure-two-periods")

    # An award on FY2024, through the award form (measure and period chosen together).
    page.goto(f"{live_server.url}/clawback/awards/new/?executive={executive.pk}")
    page.get_by_label("Key").fill("jdoe-fy2024-bonus")
    page.get_by_label("Basis").select_option("financial_reporting_measure")
    page.get_by_label("Performance start").fill("2024-01-01")
    page.get_by_label("Performance end").fill("2024-12-31")
    page.get_by_label("Measure and period", exact=True).select_option(label="Segment EBIT — FY2024")
    page.get_by_label("How it pays").select_option("curve")
    page.get_by_label("Target").fill("800,000")
    page.get_by_label("Points").fill(CURVE)
    page.get_by_label("Received").fill("$1,200,000")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("jdoe-fy2024-bonus")

    # Two cases restate FY2024, each with its own figure.
    for title, figure, expected in (
        ("First EBIT restatement", "228,000,000", "$240,000.00"),
        ("Second EBIT restatement", "200,000,000", "$600,000.00"),
    ):
        page.goto(f"{live_server.url}/clawback/restatements/new/")
        page.get_by_label("Title").fill(title)
        page.get_by_label("Kind").select_option("big_r")
        checkbox = page.get_by_label("Jordan Doe, Chief Executive Officer", exact=False)
        expect(checkbox).not_to_be_checked()  # proposed, never ticked for the user
        checkbox.check()
        with page.expect_navigation():
            page.get_by_role("button", name="Save").click()
        page.get_by_test_id("next-step").get_by_role(
            "link", name="Record an event"
        ).click()  # the guide's next step
        page.locator("#id_kind").select_option("board_concluded")
        page.locator("#id_date").fill("2026-04-15")
        with page.expect_navigation():
            page.get_by_role("button", name="Save").click()
        page.get_by_test_id("next-step").get_by_role("link", name="Record restated values").click()
        page.get_by_label("Measure and period, row 1").select_option(label="Segment EBIT — FY2024")
        page.get_by_label("As restated, row 1").fill(figure)
        page.get_by_label("Source, row 1").fill("Form 10-K/A")
        with page.expect_navigation():
            page.get_by_role("button", name="Save restated values").click()
        expect(page.get_by_test_id("restated-values")).to_contain_text(figure)
        page.get_by_role("link", name="Recovery worksheet").click()
        expect(page.get_by_test_id("total-usd")).to_contain_text(expected.removeprefix("$").split(".")[0])
        shot(page, f"worksheet-{title.split()[0].lower()}")

    measure = Measure.objects.get(key="segment_ebit")
    assert sorted(measure.values.values_list("period_label", flat=True)) == ["FY2024", "FY2025"]
    assert measure.values.get(period_label="FY2024").original == Decimal("240000000")

    # A mistaken award is voided with a reason and leaves the list.
    mistake = records.create_award(
        actor=secretary,
        executive=executive,
        key="jdoe-typo",
        award_type="cash_bonus",
        basis="time_vested",
        performance_start=date(2024, 1, 1),
        performance_end=date(2024, 12, 31),
        received=Decimal("1"),
    )
    page.goto(f"{live_server.url}/clawback/awards/{mistake.pk}/")
    page.get_by_role("link", name="Void…").click()
    page.get_by_label("Reason").fill("Entered by mistake")
    with page.expect_navigation():
        page.get_by_role("button", name="Void award").click()
    page.goto(f"{live_server.url}/clawback/awards/?q=jdoe")
    expect(page.locator("main")).not_to_contain_text("jdoe-typo")
    page.get_by_label("Show voided").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    expect(page.locator("main")).to_contain_text("jdoe-typo")
    assert Award.all_objects.get(pk=mistake.pk).void_reason == "Entered by mistake"
