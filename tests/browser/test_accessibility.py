"""Accessibility, at a desktop width (1280 px) and a phone's (390 px): every persona's pages are axe-core
clean (no serious or critical violation), fit the window without sideways scrolling (a wide table scrolls
inside its own box), tie each field's help text to it and use each id once (tests/browser/a11y.py); and
each role's journey is walked with the keyboard alone, the focus showing on everything Tab reaches.

The screenshots (BROWSER_SHOTS=/tmp/shots) are named after the page and the width: case-recovery-390.png,
award-form-390.png, incident-list-390.png...
"""

import csv
import importlib
import io
import re
import time
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from clawback.models import Award, Decision, Restatement, Vote
from compliance_site.company.models import PolicyVersion
from compliance_site.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, PERSONAS
from compliance_site.lib.timefmt import EXCHANGE_TZ
from regfd.forms.incidents import ZONE_CHOICES
from regfd.models import Incident, PublicStatement
from tests.browser.a11y import (
    check_page,
    kb_activate,
    kb_datetime,
    kb_fill,
    kb_select,
    page_problems,
    skip_to_main,
    tab_to,
)
from tests.browser.conftest import needs_chromium, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]

VIEWPORTS = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}
USERNAMES = [username for username, *_ in PERSONAS]


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """The keyboard helpers type dates as Chromium's en-US date fields take them (month, day, year)."""
    return {**browser_context_args, "locale": "en-US", "accept_downloads": True}


@pytest.fixture
def policies(transactional_db):
    """The policies a new installation seeds in a migration (a transactional test before this one emptied
    the tables): the policy page shows the clawback policy."""
    seed = importlib.import_module("compliance_site.company.migrations.0002_seed_policies").seed
    seed(django_apps, None)


@pytest.fixture(params=list(VIEWPORTS), ids=lambda w: f"{w}px")
def width(request, page):
    page.set_viewport_size(VIEWPORTS[request.param])
    return request.param


def main_pages(demo) -> list[tuple[str, str]]:
    """(name, path) of the detail pages beside the navigation's: each persona visits those it may see."""
    recovery = Restatement.objects.get(title__startswith="FY2023")
    draft = Restatement.objects.get(title="FY2024–FY2025 net income restatement")
    award = Award.objects.order_by("pk").first()
    incident = Incident.objects.filter(status=Incident.Status.OPEN).order_by("pk").first()
    statement = PublicStatement.objects.order_by("pk").first()
    vote = Decision.objects.get(status=Decision.Status.OPEN)
    policy = PolicyVersion.objects.get(kind="clawback", version="1.0")
    return [
        ("case-recovery", reverse("clawback:restatement-detail", args=[recovery.pk])),
        ("case-draft", reverse("clawback:restatement-detail", args=[draft.pk])),
        ("award-detail", reverse("clawback:award-detail", args=[award.pk])),
        ("award-form", reverse("clawback:award-create")),
        ("incident-detail", reverse("regfd:incident-detail", args=[incident.pk])),
        # The library of public statements searched from the incident, and a statement's page.
        ("incident-statements", reverse("regfd:incident-statements", args=[incident.pk]) + "?q=guidance"),
        ("statement-detail", reverse("regfd:statement-detail", args=[statement.pk])),
        ("decision-open-vote", reverse("clawback:decision-detail", args=[vote.pk])),
        ("policy", reverse("company:policy-detail", args=[policy.pk])),
        ("glossary", reverse("glossary")),
        ("notifications", reverse("notifications:list")),
        ("preferences", reverse("accounts:preferences")),
        ("not-found", "/no-such-page/"),
    ]


def nav_pages(page) -> list[tuple[str, str]]:
    links = page.get_by_test_id("nav").locator("a[data-nav]")
    return [
        (name.replace(":", "-").replace("regfd-", "").replace("clawback-", ""), link.get_attribute("href"))
        for link in links.all()
        if (name := link.get_attribute("data-nav"))
    ]


def test_every_page_of_every_persona_is_accessible_and_fits_the_window(
    page, live_server, policies, demo, width
):
    """One sign-in per persona; every page of its navigation and the detail pages it may see. A page
    refused to the persona (403) is skipped; the 403 page itself is checked for the CEO, who may not see the
    clawback case covering their own pay."""
    extras = main_pages(demo)
    problems: dict[str, list[str]] = {}
    named: set[str] = set()
    seen: set = set()
    for username in USERNAMES:
        sign_in(page, live_server, username)
        expect(page.locator("main")).to_be_visible()
        first = True
        for name, path in [*nav_pages(page), *extras]:
            response = page.goto(f"{live_server.url}{path}")
            allowed = {404} if name == "not-found" else {200, 403}
            if response.status not in allowed:
                problems[f"{username} {name} ({path})"] = [f"answered {response.status}, not {allowed}"]
                continue
            if response.status == 403:
                if not (username == "ceo" and name == "case-draft"):
                    continue
                name = "forbidden"
            if page.get_by_test_id("case-workflow").count():
                page.get_by_test_id("workflow-panel").wait_for(state="attached")  # loaded after the page
            # What a click would show is checked too: every collapsed section opened.
            page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
            # The first screenshot of a page is named after it alone, the others after the persona too.
            shot_name = name if name not in named else f"{name}-{username}"
            named.add(name)
            # The persona's first page is analysed in full, its navigation bar with it.
            found = page_problems(page, shot_name, seen=None if first else seen)
            first = False
            if found:
                problems[f"{username} {name} ({path})"] = found
        page.context.clear_cookies()  # signed out (the sign-out button is tested elsewhere)
    report = "\n".join(f"{where}:\n  " + "\n  ".join(lines) for where, lines in problems.items())
    assert not problems, f"{len(problems)} pages with problems at {width} px:\n{report}"


# ---- Each role's journey with the keyboard alone: Tab to reach, type, Space for a box, Enter to go ----


def code(step: int = 0) -> str:
    """The demo authenticator app's code now (`step` periods of 30 s later: each code is used once)."""
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30 + step))


def kb_sign_in(page, live_server, username: str, *, second_factor: str = "") -> None:
    """The login form filled and sent with the keyboard; then the authenticator code when asked for."""
    page.goto(f"{live_server.url}/accounts/login/")
    form = page.locator("main form").first
    kb_fill(page, form.locator("input[name=username]"), username)
    kb_fill(page, form.locator("input[name=password]"), DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if second_factor:
        assert "/accounts/2fa/authenticate/" in page.url, page.url
        check_page(page, "second-factor-sign-in")
        kb_fill(page, page.locator("input[name=code]"), second_factor)
        with page.expect_navigation():
            page.keyboard.press("Enter")
    expect(page.get_by_test_id("user-menu")).to_be_attached()


def kb_nav(page, data_nav: str) -> None:
    """Follow a navigation entry with the keyboard; on a phone the bar is collapsed, so open it first."""
    link = page.locator(f'[data-nav="{data_nav}"]')
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        kb_activate(page, toggler)
        expect(link).to_be_visible()
    with page.expect_navigation():
        kb_activate(page, link)


def at(live_server, path: str) -> re.Pattern:
    """The page's address: the path, with the "#main" the skip link added to the page the form was on (a
    redirect keeps the fragment)."""
    return re.compile(rf"^{re.escape(live_server.url + path)}(#main)?$")


def kb_submit(page, button) -> None:
    with page.expect_navigation():
        kb_activate(page, button)


def kb_confirm(page, name: str) -> None:
    """The confirmation page of a step: its Confirm button has the focus, so Enter confirms."""
    button = page.get_by_test_id("confirm-button")
    expect(button).to_be_focused()
    check_page(page, name)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_employee_reports_a_disclosure_with_the_keyboard(page, live_server, demo, width):
    disclosed_at = timezone.now().astimezone(EXCHANGE_TZ).replace(second=0, microsecond=0) - timedelta(
        hours=3
    )
    learned_at = disclosed_at + timedelta(hours=1)
    kb_sign_in(page, live_server, "employee")
    kb_nav(page, "regfd:incident-report")
    check_page(page, "report-form")
    form = page.locator("main form")
    skip_to_main(page)
    kb_fill(page, form.locator("[name=title]"), "Capex plan mentioned to an analyst")
    kb_fill(page, form.locator("[name=disclosed_by]"), "Plant manager, Nagoya")
    kb_fill(page, form.locator("[name=recipient_name]"), "Ken Ito")
    kb_fill(page, form.locator("[name=recipient_firm]"), "Sakura Securities")
    kb_select(page, form.locator("[name=recipient_category]"), str(Incident.RecipientCategory.ANALYST.label))
    kb_fill(page, form.locator("[name=information]"), "Said next year's capital budget doubles.")
    kb_select(page, form.locator("[name=time_zone]"), dict(ZONE_CHOICES)["America/New_York"])
    kb_datetime(page, form.locator("[name=disclosed_at]"), disclosed_at)
    kb_datetime(page, form.locator("[name=learned_at]"), learned_at)
    kb_fill(page, form.locator("[name=learned_by]"), "Jamie Employee")
    expect(page.get_by_test_id("deadline-preview")).to_be_visible()
    tab_to(page, form.locator("button[type=submit]"))
    shot(page, f"report-form-focus-on-report-{width}")  # the focus ring on the button
    with page.expect_navigation():
        page.keyboard.press("Enter")

    incident = Incident.objects.get(title="Capex plan mentioned to an analyst")
    assert incident.disclosed_at == disclosed_at and incident.learned_at == learned_at
    assert incident.recipient_category == Incident.RecipientCategory.ANALYST
    expect(page).to_have_url(at(live_server, f"/regfd/incidents/{incident.pk}/"))
    expect(page.get_by_role("alert").filter(has_text=incident.reference)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text(incident.reference)
    check_page(page, "incident-reported")


def test_secretary_finds_an_incident_and_records_the_assessment_with_the_keyboard(
    page, live_server, demo, width
):
    incident = Incident.objects.get(title="Margin comment at investor dinner")
    kb_sign_in(page, live_server, "secretary")
    kb_nav(page, "regfd:incident-list")
    skip_to_main(page)
    kb_fill(page, page.locator("main form[role=search] [name=q]"), "hudson")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Enter in the search box sends the search
    expect(page).to_have_url(re.compile(r"[?&]q=hudson"))
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    check_page(page, "incident-list-searched")
    with page.expect_navigation():
        kb_activate(page, rows.first.get_by_role("link", name=incident.reference))
    expect(page).to_have_url(at(live_server, f"/regfd/incidents/{incident.pk}/"))

    form = page.locator("form[action$='/materiality/']")
    for category in ("earnings", "expectations"):
        box = form.locator(f"input[name=material_categories][value={category}]")
        kb_activate(page, box)
        expect(box).to_be_checked()
    kb_activate(page, form.locator("input[name=in_doubt]"))
    expect(form.locator("input[name=in_doubt]")).to_be_checked()
    kb_fill(page, form.locator("[name=materiality_assessment]"), "Margin guidance is earnings information.")
    kb_submit(page, form.locator("button[type=submit]"))

    incident.refresh_from_db()
    assert incident.material_categories == ["earnings", "expectations"] and incident.in_doubt
    expect(page.get_by_test_id("presumed-material")).to_be_visible()
    expect(page.get_by_test_id("materiality-assessment")).to_have_text(
        "Margin guidance is earnings information."
    )
    check_page(page, "incident-assessed")


def test_counsel_records_the_materiality_conclusion_with_the_keyboard(page, live_server, demo, width):
    incident = Incident.objects.get(title="Guidance hint in conference breakout")
    kb_sign_in(page, live_server, "counsel")
    kb_nav(page, "regfd:incident-list")
    skip_to_main(page)
    with page.expect_navigation():
        kb_activate(page, page.locator("main table").get_by_role("link", name=incident.reference))
    form = page.locator("form[action$='/conclude/']")
    material = Incident.CounselConclusion.MATERIAL
    kb_select(page, form.locator("[name=conclusion]"), str(material.label))
    kb_fill(page, form.locator("[name=rationale]"), "Lowered guidance is earnings information (policy II.B).")
    kb_submit(page, form.locator("button[type=submit]"))
    kb_confirm(page, "confirm-conclusion")

    incident.refresh_from_db()
    assert incident.counsel_conclusion == material and incident.counsel_concluded_by == demo["counsel"]
    expect(page).to_have_url(at(live_server, f"/regfd/incidents/{incident.pk}/"))
    expect(page.get_by_test_id("counsel-conclusion")).to_have_text(str(material.label))
    check_page(page, "incident-concluded")


@pytest.mark.mfa
def test_committee_member_votes_on_the_open_vote_with_the_keyboard(page, live_server, demo, width):
    decision = Decision.objects.get(status=Decision.Status.OPEN)
    kb_sign_in(page, live_server, "committee", second_factor=code())
    page.goto(f"{live_server.url}/clawback/decisions/{decision.pk}/")
    form = page.get_by_test_id("cast-vote-form")
    expect(form).to_be_visible()
    skip_to_main(page)
    choice = form.locator("input[name=choice][value=for]")
    kb_activate(page, choice)
    expect(choice).to_be_checked()
    kb_fill(page, form.locator("[name=comment]"), "The enforcement quote exceeds the balance.")
    kb_submit(page, form.locator("button[type=submit]"))
    # The vote binds the member: the second factor is asked for again first.
    expect(page.locator("input[name=code]")).to_be_visible()
    check_page(page, "second-factor-fresh-check")
    kb_fill(page, page.locator("input[name=code]"), code(1))
    with page.expect_navigation():
        page.keyboard.press("Enter")

    vote = Vote.objects.get(decision=decision, member=demo["committee"])
    assert vote.choice == Vote.Choice.FOR
    expect(page).to_have_url(at(live_server, f"/clawback/decisions/{decision.pk}/"))
    expect(page.get_by_test_id("votes").locator('tr[data-member="committee"]')).to_contain_text(
        "The enforcement quote exceeds the balance."
    )
    expect(page.get_by_test_id("cast-vote-form")).to_have_count(0)
    check_page(page, "decision-voted")


def test_auditor_filters_the_audit_trail_and_exports_it_with_the_keyboard(page, live_server, demo, width):
    kb_sign_in(page, live_server, "auditor")
    kb_nav(page, "audit:event-list")
    skip_to_main(page)
    kb_fill(page, page.locator("main form[role=search] [name=object_type]"), "regfd.incident")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]object_type=regfd.incident"))
    records = page.locator("main table tbody tr td a[href*='/audit/record/']")
    expect(records.first).to_be_visible()
    hrefs = [a.get_attribute("href") for a in records.all()]
    assert hrefs and all("/audit/record/regfd.incident/" in href for href in hrefs), hrefs
    check_page(page, "audit-trail-filtered")
    export = page.locator("main a[href*='/audit/export.csv']")
    tab_to(page, export)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "audit-trail.csv"
    with open(download.value.path(), encoding="utf-8") as exported:
        rows = list(csv.DictReader(io.StringIO(exported.read())))
    assert len(rows) >= len(hrefs)  # the page shows the first 50, the export all of them
    assert {row["object_type"] for row in rows} == {"regfd.incident"}
