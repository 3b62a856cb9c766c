"""Each demo persona signs in through the real login form and sees exactly the navigation its roles allow."""

import re

import pytest
from playwright.sync_api import expect

from clawback.models import Restatement
from compliance_site.accounts.roles import capabilities_of
from compliance_site.demo import PERSONAS
from compliance_site.navigation import NAV
from tests.browser.conftest import needs_chromium, shot, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]

USERNAMES = [username for username, *_ in PERSONAS]


def expected_nav(user) -> set[str]:
    caps = capabilities_of(user.role_set)
    return {item.url_name for item in NAV if item.capability in caps}


def shown_nav(page) -> list[str]:
    return [a.get_attribute("data-nav") for a in page.get_by_test_id("nav").locator("a[data-nav]").all()]


def test_every_persona_sees_exactly_the_navigation_its_roles_allow(page, live_server, demo):
    assert sorted(USERNAMES) == sorted(
        "admin board committee committee2 secretary ceo counsel auditor employee".split()
    )
    for username in USERNAMES:
        user = demo[username]
        sign_in(page, live_server, username)
        expect(page).to_have_url(f"{live_server.url}/", timeout=5_000)
        expect(page.get_by_test_id("user-menu")).to_be_visible()
        expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
        shot(page, "dashboard-secretary" if username == "secretary" else f"nav-{username}")
        # The bar fits the window: no horizontal scrolling, however many entries the roles bring.
        fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert fits, f"{username}: the page scrolls sideways"
        expected = expected_nav(user)
        assert expected, f"{username} should at least see the dashboard"
        shown = shown_nav(page)
        assert set(shown) == expected, username
        # In NAV's order, each once, and each visible (the bar is expanded at this width).
        assert shown == [item.url_name for item in NAV if item.url_name in expected], username
        for name in expected:
            expect(page.locator(f'[data-nav="{name}"]')).to_be_visible()
        page.get_by_test_id("user-menu").click()
        expect(page.get_by_test_id("user-roles")).to_have_text(", ".join(user.role_labels))
        sign_out(page)
        expect(page).to_have_url(re.compile(r"/accounts/login/"))
        expect(page.get_by_test_id("user-menu")).to_have_count(0)
        # Signed out for real: a protected page sends us back to the login form.
        page.goto(f"{live_server.url}/regfd/incidents/")
        expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))


def test_wrong_password_shows_an_error_and_does_not_sign_in(page, live_server, demo):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    shot(page, "login")
    sign_in(page, live_server, "secretary", password="not-the-password")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    error = page.locator("main .alert-danger")
    expect(error).to_be_visible()
    expect(error).to_contain_text("correct username and password")
    expect(page.get_by_test_id("user-menu")).to_have_count(0)
    expect(page.locator("[data-nav]")).to_have_count(0)
    shot(page, "login-error")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    # The right password still works afterwards (one failure is far from the lock-out limit).
    sign_in(page, live_server, "secretary")
    expect(page.get_by_test_id("user-menu")).to_contain_text("Sam Secretary")


def test_officer_gets_403_on_the_restatement_and_a_committee_member_sees_it(page, live_server, demo):
    restatement = Restatement.objects.get(title="FY2024–FY2025 net income restatement")
    url = f"{live_server.url}/clawback/restatements/{restatement.pk}/"

    sign_in(page, live_server, "ceo")
    assert "clawback.view" not in capabilities_of(demo["ceo"].role_set)
    response = page.goto(url)
    assert response.status == 403
    expect(page.get_by_role("heading", name="You don't have access to this page")).to_be_visible()
    expect(page.get_by_text(restatement.title)).to_have_count(0)
    expect(page.locator('[data-nav="clawback:restatement-list"]')).to_have_count(0)
    shot(page, "restatement-403-ceo")
    sign_out(page)

    sign_in(page, live_server, "committee")
    response = page.goto(url)
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_contain_text(restatement.title)
    expect(page.get_by_text("Avery Chen, Chief Executive Officer")).to_be_visible()
    # The committee member also reaches it from the navigation.
    page.locator('[data-nav="clawback:restatement-list"]').click()
    page.get_by_role("link", name=restatement.title).click()
    expect(page).to_have_url(url)
    shot(page, "restatement-committee")
