"""Already public? (docs/regfd-rules §2.9) Counsel opens the demo's overdue incident, searches the library of
public statements for the information disclosed (the search box starts with it), finds the press release that
had said it the day before, attaches it as evidence with a note, and concludes "already public" citing it; the
incident page shows the statement with when it became public, and the database holds the evidence and the
citation."""

import re

import pytest
from playwright.sync_api import expect

from compliance_site.lib.timefmt import EXCHANGE_TZ, label
from regfd.models import Incident, PublicStatement, StatementEvidence
from tests.browser.conftest import confirm, needs_chromium, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]

INCIDENT = "Guidance hint in conference breakout"
RELEASE = "Allient updates its full-year outlook"


def test_counsel_finds_the_incidents_information_in_the_library_attaches_it_and_cites_it(
    page, live_server, demo
):
    incident = Incident.objects.get(title=INCIDENT)
    release = PublicStatement.objects.get(title=RELEASE)
    sign_in(page, live_server, "counsel")

    # --- From the incident list to the incident, and its "Already public?" section ---
    page.locator('[data-nav="regfd:incident-list"]').click()
    page.get_by_role("link", name=incident.reference).click()
    expect(page).to_have_url(f"{live_server.url}/regfd/incidents/{incident.pk}/")
    section = page.locator("section", has=page.get_by_role("heading", name="Already public?"))
    expect(section.get_by_test_id("attached-statements")).to_contain_text("No public statement attached.")
    search = section.get_by_label("Search the library for the information disclosed")
    expect(search).to_have_value(incident.information)
    with page.expect_navigation():
        section.get_by_role("button", name="Search the library").click()

    # --- The library, searched for the information disclosed: the release of the day before ---
    expect(page).to_have_url(re.compile(rf"/regfd/incidents/{incident.pk}/public-statements/\?q="))
    expect(page.get_by_role("heading", level=1)).to_contain_text(incident.reference)
    results = page.get_by_test_id("library-result")
    expect(results).to_have_count(1)
    match = results.first
    expect(match.get_by_role("heading", name=RELEASE)).to_be_visible()
    expect(match).to_contain_text("Before the disclosure")
    expect(match).to_contain_text(label(release.published_at, EXCHANGE_TZ))
    expect(match.get_by_test_id("snippet").locator("mark").first).to_be_visible()
    shot(page, "incident-library-search")
    match.get_by_label("Note").fill("The release said guidance would be lowered, the day before.")
    with page.expect_navigation():
        match.get_by_role("button", name="Attach as evidence").click()

    # --- Back on the incident: the statement is listed with when it became public ---
    expect(page).to_have_url(f"{live_server.url}/regfd/incidents/{incident.pk}/")
    expect(page.get_by_role("alert").filter(has_text=f"Attached as evidence: {RELEASE}.")).to_be_visible()
    row = page.get_by_test_id("attached-statement")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(RELEASE)
    expect(row).to_contain_text(label(release.published_at, EXCHANGE_TZ))
    expect(row).to_contain_text("Before the disclosure")
    expect(row).to_contain_text("the day before")

    # --- Counsel concludes "already public", citing it ---
    conclusion = page.locator("form", has=page.get_by_role("button", name="Record conclusion"))
    conclusion.get_by_label("Conclusion").select_option(label="Already public")
    conclusion.get_by_label("Rationale").fill("The guidance cut was in the press release the day before.")
    conclusion.get_by_label(re.compile(RELEASE)).check()
    with page.expect_navigation():
        conclusion.get_by_role("button", name="Record conclusion").click()
    confirm(page, "Record conclusion", says=f"It cites “{RELEASE}”")
    expect(page.get_by_test_id("counsel-conclusion")).to_have_text("Already public")
    expect(page.get_by_test_id("cited-statements")).to_contain_text(RELEASE)
    expect(page.get_by_test_id("presumed-material")).to_have_count(0)
    shot(page, "incident-already-public")

    # --- The database holds what the page says ---
    evidence = StatementEvidence.objects.get(incident=incident)
    assert evidence.statement == release and evidence.attached_by.username == "counsel"
    assert evidence.note == "The release said guidance would be lowered, the day before."
    incident.refresh_from_db()
    assert incident.counsel_conclusion == Incident.CounselConclusion.ALREADY_PUBLIC
    assert list(incident.counsel_cited_statements.all()) == [release]
    assert release.published_at < incident.disclosed_at
