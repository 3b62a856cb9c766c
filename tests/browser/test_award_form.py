"""The award form in chromium: choosing how the award pays shows only that formula's fields (static/js/
award-form.js), and the units-only fields only for an award in shares or units; without JavaScript every
group shows."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import needs_chromium, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]


def _groups(page):
    form = page.locator("form[data-award-form]")
    return {
        name: form.locator(f'fieldset[data-group="{name}"]')
        for name in ("target", "curve", "linear", "scorecard", "units")
    }


def test_choosing_how_it_pays_shows_only_that_formulas_fields(page, live_server, demo):
    sign_in(page, live_server, "secretary")
    page.goto(f"{live_server.url}{reverse('clawback:award-create')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add an award")
    groups = _groups(page)
    how = page.get_by_label("How it pays", exact=True)

    # "No formula" is chosen on a new form: no formula's fields, nor the units-only ones of a USD award.
    for group in groups.values():
        expect(group).to_be_hidden()

    how.select_option(label="Linear rate")
    expect(groups["linear"]).to_be_visible()
    for name in ("target", "curve", "scorecard"):
        expect(groups[name]).to_be_hidden()
    expect(page.get_by_label("Rate", exact=True)).to_be_visible()
    expect(page.get_by_label("Points", exact=True)).to_be_hidden()
    shot(page, "award-form-linear")

    how.select_option(label="Scorecard of weighted goals")
    expect(groups["scorecard"]).to_be_visible()
    expect(groups["target"]).to_be_visible()
    expect(page.get_by_test_id("goals-grid")).to_be_visible()
    expect(page.get_by_label("Goal 1 weight", exact=True)).to_be_visible()
    for name in ("curve", "linear"):
        expect(groups[name]).to_be_hidden()
    # Hidden groups are out of the accessibility tree too (the `hidden` attribute, not a CSS class).
    expect(groups["linear"]).to_have_attribute("hidden", "")

    how.select_option(label="Curve")
    expect(groups["curve"]).to_be_visible()
    expect(groups["scorecard"]).to_be_hidden()

    page.locator("select[name=unit]").select_option(label="Shares or units")
    expect(groups["units"]).to_be_visible()
    expect(page.get_by_label("Value per unit", exact=True)).to_be_visible()


def test_an_error_keeps_its_group_in_sight(page, live_server, demo):
    sign_in(page, live_server, "secretary")
    page.goto(f"{live_server.url}{reverse('clawback:award-create')}")
    page.get_by_label("How it pays", exact=True).select_option(label="Linear rate")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    groups = _groups(page)
    expect(groups["linear"]).to_be_visible()
    expect(groups["linear"]).to_contain_text("A linear formula needs a rate.")
    expect(groups["curve"]).to_be_hidden()


def test_without_javascript_every_group_shows(browser, live_server, demo):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        sign_in(page, live_server, "secretary")
        page.goto(f"{live_server.url}{reverse('clawback:award-create')}")
        page.get_by_label("How it pays", exact=True).select_option(label="Linear rate")
        with page.expect_navigation():
            page.get_by_role("button", name="Save").click()
        # The server starts the other formulas hidden, and the <noscript> stylesheet shows them again.
        for group in _groups(page).values():
            expect(group).to_be_visible()
        expect(page.locator('fieldset[data-group="curve"] legend')).to_contain_text(
            "only when “How it pays” is a curve"
        )
    finally:
        context.close()
