"""Keyboard-only journeys of the roles test_accessibility.py does not walk: the administrator seats a
director, a Board member (not on the committee) reads the clawback case and asks the Corporate Secretary a
question, and the CEO records a review of an analyst's note. Each at a desktop width and a phone's, every
page visited checked (tests/browser/a11y.py), the outcome asserted on the page and in the database.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clawback.models import Restatement
from compliance_site.accounts.models import User
from compliance_site.company.models import BodyMembership
from compliance_site.lib.timefmt import EXCHANGE_TZ
from regfd.models import PolicyRecord
from tests.browser.a11y import check_page, kb_activate, kb_datetime, kb_fill, kb_select, skip_to_main
from tests.browser.conftest import needs_chromium
from tests.browser.test_accessibility import (  # noqa: F401 (fixtures: the en-US locale, the two widths)
    at,
    browser_context_args,
    code,
    kb_nav,
    kb_sign_in,
    kb_submit,
    width,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]


def test_admin_adds_a_seat_with_the_keyboard(page, live_server, demo, width):  # noqa: F811
    director = User.objects.get(username="board")
    committee = BodyMembership.Body.COMPENSATION_COMMITTEE
    assert not BodyMembership.objects.filter(member=director, body=committee).exists()
    kb_sign_in(page, live_server, "admin")
    kb_nav(page, "company:seat-list")
    expect(page).to_have_url(at(live_server, "/company/seats/"))
    check_page(page, "seat-list")
    skip_to_main(page)
    with page.expect_navigation():
        kb_activate(page, page.get_by_test_id("seat-add"))
    expect(page).to_have_url(at(live_server, "/company/seats/add/"))
    check_page(page, "seat-form")
    form = page.locator("main form")
    kb_select(page, form.locator("[name=body]"), str(committee.label))
    kb_select(page, form.locator("[name=member]"), str(director))
    independent = form.locator("input[name=independent]")
    expect(independent).to_be_checked()  # the initial answer, kept
    kb_submit(page, form.locator("button[type=submit]"))

    seat = BodyMembership.objects.get(member=director, body=committee)
    assert seat.ends_on is None and seat.independent and not seat.chair
    assert seat.recorded_by == demo["admin"]
    expect(page).to_have_url(at(live_server, "/company/seats/"))
    expect(page.get_by_role("alert").filter(has_text="Seat recorded")).to_be_visible()
    expect(
        page.get_by_test_id(f"body-{committee.value}").get_by_test_id("seat").filter(has_text=str(director))
    ).to_have_count(1)
    check_page(page, "seat-added")


@pytest.mark.mfa
def test_board_member_reads_the_case_and_asks_the_secretary_with_the_keyboard(
    page,
    live_server,
    demo,
    width,  # noqa: F811
):
    case = Restatement.objects.get(title__startswith="FY2023")
    kb_sign_in(page, live_server, "board", second_factor=code())
    kb_nav(page, "clawback:restatement-list")
    expect(page).to_have_url(at(live_server, "/clawback/restatements/"))
    check_page(page, "board-case-list")
    skip_to_main(page)
    with page.expect_navigation():
        kb_activate(page, page.locator("main").get_by_role("link", name=case.title))
    expect(page).to_have_url(at(live_server, f"/clawback/restatements/{case.pk}/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.title)
    page.get_by_test_id("workflow-panel").wait_for(state="attached")  # loaded after the page
    check_page(page, "board-case")
    with page.expect_navigation():
        kb_activate(page, page.locator("main").get_by_role("link", name="Recovery worksheet"))
    expect(page).to_have_url(at(live_server, f"/clawback/restatements/{case.pk}/worksheet/"))
    check_page(page, "board-worksheet")

    # A director in doubt asks the Corporate Secretary (policy II.I), from the Reg FD records.
    kb_nav(page, "regfd:records-home")
    check_page(page, "board-records-home")
    skip_to_main(page)
    with page.expect_navigation():
        kb_activate(page, page.locator("main").get_by_role("link", name="Ask a question"))
    check_page(page, "board-question-form")
    form = page.locator("main form")
    question = "May I mention the restatement's timing to a fund manager I know?"
    kb_fill(page, form.locator("[name=summary]"), question)
    kb_fill(page, form.locator("[name=details]"), "He asked at a charity dinner; I said nothing yet.")
    kb_submit(page, form.locator("button[type=submit]"))

    record = PolicyRecord.objects.get(summary=question)
    assert record.kind == PolicyRecord.Kind.QUESTION and record.recorded_by == demo["board"]
    assert record.answered_at is None
    expect(page).to_have_url(at(live_server, f"/regfd/records/log/{record.pk}/"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text(question)
    check_page(page, "board-question-asked")


def test_ceo_records_an_analyst_report_review_with_the_keyboard(page, live_server, demo, width):  # noqa: F811
    reviewed_at = timezone.now().astimezone(EXCHANGE_TZ).replace(second=0, microsecond=0) - timedelta(hours=2)
    kb_sign_in(page, live_server, "ceo")
    kb_nav(page, "regfd:records-home")
    check_page(page, "ceo-records-home")
    skip_to_main(page)
    with page.expect_navigation():
        kb_activate(page, page.locator("main").get_by_role("link", name="Records log").first)
    expect(page).to_have_url(at(live_server, "/regfd/records/log/"))
    check_page(page, "ceo-records-log")
    label = str(PolicyRecord.Kind.ANALYST_REVIEW.label)
    with page.expect_navigation():
        kb_activate(page, page.locator("main").get_by_role("link", name=f"New: {label}"))
    expect(page).to_have_url(at(live_server, "/regfd/records/log/analyst-review/"))
    check_page(page, "ceo-analyst-review-form")
    form = page.locator("main form")
    kb_datetime(page, form.locator("[name=occurred_at]"), reviewed_at)
    expect(form.locator("[name=time_zone]")).to_have_value("America/New_York")
    summary = "Reviewed Sakura Securities' model for last year's reported revenue"
    kb_fill(page, form.locator("[name=summary]"), summary)
    kb_fill(
        page, form.locator("[name=details]"), "Pointed only to the 10-K figures; no comment on estimates."
    )
    box = form.locator("input[name=historical_facts_only]")
    kb_activate(page, box)
    expect(box).to_be_checked()
    kb_submit(page, form.locator("button[type=submit]"))

    record = PolicyRecord.objects.get(summary=summary)
    assert record.kind == PolicyRecord.Kind.ANALYST_REVIEW and record.historical_facts_only is True
    assert record.recorded_by == demo["ceo"] and record.occurred_at == reviewed_at
    expect(page).to_have_url(at(live_server, f"/regfd/records/log/{record.pk}/"))
    expect(page.get_by_role("alert").filter(has_text="recorded")).to_be_visible()
    expect(page.locator("main")).to_contain_text(summary)
    check_page(page, "ceo-analyst-review-recorded")
