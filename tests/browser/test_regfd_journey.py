"""Reg FD end to end: an employee reports a selective disclosure (the form shows the deadline live as T0 is
typed); the Corporate Secretary finds it with its countdown and records the materiality assessment; counsel
records the conclusion; the Secretary records the press release, and the incident closes as disclosed on
time."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from compliance_site.lib.timefmt import EXCHANGE_TZ, label
from regfd.models import Communication, Incident
from regfd.selectors import preview_deadline
from tests.browser.conftest import confirm, needs_chromium, shot, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]

LOCAL = "%Y-%m-%dT%H:%M"  # what an <input type="datetime-local"> takes
TITLE = "Order book figure shared on a call-back"
REPORTER_ZONE = "Asia/Tokyo"  # the employee persona's zone, far from ET so a zone mix-up would show


def dd_after(page, term: str):
    """The <dd> that follows the <dt> with this text, in a definition list."""
    return page.locator(f'dt:text-is("{term}") + dd')


def test_employee_reports_secretary_assesses_counsel_concludes_and_press_release_closes_it(
    page, live_server, demo
):
    zone = ZoneInfo(REPORTER_ZONE)
    now = timezone.now().replace(second=0, microsecond=0)
    disclosed_at, learned_at = now - timedelta(hours=3), now - timedelta(hours=2)

    # --- The employee reports it through the form, typing Tokyo wall-clock times ---
    sign_in(page, live_server, "employee")
    page.locator('[data-nav="regfd:incident-report"]').click()
    expect(page).to_have_url(f"{live_server.url}/regfd/incidents/report/")
    form = page.locator("main form")
    # The form asks in plain questions (no "T0", no "senior official").
    form.get_by_label("Short title").fill(TITLE)
    form.get_by_label("Who shared the information?").fill("Regional sales director")
    form.get_by_label("Who was told?").fill("Nora Kim")
    form.get_by_label("Their firm").fill("Eastgate Research")
    form.get_by_label("Who are they?").select_option(label="Securities analyst")
    form.get_by_label("What was shared?").fill("Gave the unannounced Q4 order book of $96 million.")
    form.locator("input[name=disclosed_at]").fill(disclosed_at.astimezone(zone).strftime(LOCAL))
    form.locator("input[name=learned_at]").fill(learned_at.astimezone(zone).strftime(LOCAL))
    form.get_by_label("Who realised it?").fill("Sam Secretary (Corporate Secretary)")
    # The reporter's own zone is preselected, before the times it applies to.
    expect(form.get_by_label("Times below are in")).to_have_value(REPORTER_ZONE)
    # The deadline appears under T0 as it is typed: in ET and in the employee's own zone, with a countdown.
    expected = preview_deadline(learned_at=learned_at, disclosed_at=disclosed_at).working_deadline_utc
    preview = page.get_by_test_id("deadline-preview")
    expect(preview).to_be_visible()
    expect(preview).to_contain_text(label(expected, EXCHANGE_TZ))
    expect(preview).to_contain_text(f"{label(expected, zone)}, your zone")
    expect(preview.locator("[data-countdown]")).to_have_text(re.compile(r" left$"))
    # A T0 typed before the disclosure is flagged at once, and the preview recovers when it is fixed.
    form.locator("input[name=learned_at]").fill(
        (disclosed_at - timedelta(hours=1)).astimezone(zone).strftime(LOCAL)
    )
    expect(page.get_by_test_id("preview-error")).to_contain_text("before it was made")
    form.locator("input[name=learned_at]").fill(learned_at.astimezone(zone).strftime(LOCAL))
    expect(preview).to_contain_text(label(expected, EXCHANGE_TZ))
    shot(page, "incident-report-form")
    with page.expect_navigation():
        form.get_by_role("button", name="Report").click()

    incident = Incident.objects.get(title=TITLE)
    # The typed wall-clock times were read in the chosen zone, not assumed to be UTC or ET.
    assert incident.disclosed_at == disclosed_at and incident.learned_at == learned_at
    assert incident.due_at > timezone.now()
    expect(page).to_have_url(f"{live_server.url}/regfd/incidents/{incident.pk}/")
    # The confirmation says who has the report and what happens next.
    confirmation = page.get_by_role("alert").filter(has_text=f"{incident.reference} is reported")
    expect(confirmation).to_be_visible()
    expect(confirmation).to_contain_text("The Corporate Secretary, Sam Secretary, has been notified")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(incident.reference)
    expect(heading).to_contain_text("Open")
    countdown = page.locator("[data-countdown]")
    expect(countdown).to_have_count(1)
    expect(countdown).to_have_text(re.compile(r"^(\d+ d \d+ h|\d+ h \d+ min|\d+ min) left$"))
    deadline = dd_after(page, "Working deadline")
    due_et = label(incident.due_at, EXCHANGE_TZ)
    assert re.search(r" E[SD]T$", due_et)
    expect(deadline).to_contain_text(due_et)
    expect(deadline).to_contain_text(f"{label(incident.due_at, zone)}, your zone")
    expect(dd_after(page, "Disclosed at")).to_contain_text(label(disclosed_at, EXCHANGE_TZ))
    # The employee who reported it sees it read-only.
    expect(page.get_by_role("button", name="Record public disclosure")).to_have_count(0)
    expect(page.get_by_role("button", name="Record assessment")).to_have_count(0)
    expect(page.get_by_role("heading", name="Deadline history")).to_be_visible()
    shot(page, "incident-detail-open")
    sign_out(page)

    # --- The Corporate Secretary finds it by searching the list ---
    sign_in(page, live_server, "secretary")
    page.locator('[data-nav="regfd:incident-list"]').click()
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(Incident.objects.count())
    shot(page, "incident-list")
    page.get_by_role("searchbox", name="Search").fill("eastgate")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"[?&]q=eastgate"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(TITLE)
    expect(rows.first.locator("[data-countdown]")).to_be_visible()
    rows.first.get_by_role("link", name=incident.reference).click()
    expect(page).to_have_url(f"{live_server.url}/regfd/incidents/{incident.pk}/")
    expect(page.locator("[data-countdown]")).to_have_text(re.compile(r" left$"))

    # --- ...records the materiality assessment against the policy's list (II.B) ---
    assessment = page.locator("form", has=page.get_by_role("button", name="Record assessment"))
    assessment.get_by_label("Earnings information and quarterly results").check()
    assessment.get_by_label("Award or loss of a significant contract").check()
    assessment.get_by_label("In doubt about materiality").check()
    assessment.get_by_label("Assessment").fill("The order book points to Q4 revenue before its release.")
    with page.expect_navigation():
        assessment.get_by_role("button", name="Record assessment").click()
    expect(page.get_by_role("alert").filter(has_text="Materiality assessment recorded.")).to_be_visible()
    expect(page.get_by_test_id("presumed-material")).to_be_visible()
    expect(page.get_by_test_id("material-categories")).to_contain_text(
        "Earnings information and quarterly results"
    )
    expect(page.get_by_role("button", name="Record conclusion")).to_have_count(0)  # counsel's alone
    shot(page, "incident-detail-assessed")
    sign_out(page)

    # --- Counsel records the conclusion ---
    sign_in(page, live_server, "counsel")
    page.goto(f"{live_server.url}/regfd/incidents/{incident.pk}/")
    conclusion = page.locator("form", has=page.get_by_role("button", name="Record conclusion"))
    conclusion.get_by_label("Conclusion").select_option(label="Material nonpublic information")
    conclusion.get_by_label("Rationale").fill(
        "Unannounced order book: earnings information under policy II.B."
    )
    with page.expect_navigation():
        conclusion.get_by_role("button", name="Record conclusion").click()
    confirm(page, "Record conclusion", says="“Material nonpublic information”")
    expect(page.get_by_role("alert").filter(has_text="Counsel's conclusion recorded.")).to_be_visible()
    expect(page.get_by_test_id("counsel-conclusion")).to_have_text("Material nonpublic information")
    expect(page.get_by_role("button", name="Record public disclosure")).to_have_count(0)
    sign_out(page)

    # --- The Corporate Secretary records the press release, typed in New York time ---
    sign_in(page, live_server, "secretary")
    page.goto(f"{live_server.url}/regfd/incidents/{incident.pk}/")
    made_public = timezone.now().astimezone(EXCHANGE_TZ).replace(second=0, microsecond=0)
    disclosure = page.locator("form", has=page.get_by_role("button", name="Record public disclosure"))
    disclosure.get_by_label("Made public at").fill(made_public.strftime(LOCAL))
    disclosure.get_by_label("Time is in").select_option("America/New_York")
    disclosure.get_by_label("Method").select_option("Press release via wire service")
    disclosure.get_by_label("Reference").fill("Business Wire 20261122-0042")
    with page.expect_navigation():
        disclosure.get_by_role("button", name="Record public disclosure").click()
    confirm(page, "Record public disclosure", says="as disclosed on time", keyboard=True)

    expect(page).to_have_url(f"{live_server.url}/regfd/incidents/{incident.pk}/")
    expect(page.get_by_role("alert").filter(has_text="Public disclosure recorded.")).to_be_visible()
    expect(heading).to_contain_text("Publicly disclosed")
    expect(page.get_by_role("heading", name="Outcome: Disclosed on time")).to_be_visible()
    expect(page.get_by_text(f"Made public {label(made_public, EXCHANGE_TZ)}")).to_be_visible()
    expect(page.locator("[data-countdown]")).to_have_count(0)
    expect(page.get_by_role("button", name="Record public disclosure")).to_have_count(0)
    expect(page.get_by_text("Business Wire 20261122-0042")).to_be_visible()
    shot(page, "incident-detail-disclosed")

    incident.refresh_from_db()
    assert incident.status == Incident.Status.DISCLOSED
    assert incident.outcome == Incident.Outcome.ON_TIME
    assert incident.public_disclosure_at == made_public
    assert incident.public_disclosure_method == Incident.DisclosureMethod.PRESS_RELEASE
    assert incident.public_disclosure_reference == "Business Wire 20261122-0042"
    assert incident.material_categories == ["earnings", "contracts"] and incident.in_doubt
    assert incident.counsel_conclusion == Incident.CounselConclusion.MATERIAL
    assert incident.counsel_concluded_by.username == "counsel"


def test_secretary_debriefs_a_meeting_that_flagged_mnpi_and_an_incident_starts_its_clock(
    page, live_server, demo
):
    """Policy II.F and I.B: a debrief that flags possible MNPI opens an incident at once, T0 = the debrief,
    linked both ways with the communication. The meeting is the demo's one awaiting its debrief."""
    held = Communication.objects.get(status=Communication.Status.HELD)
    sign_in(page, live_server, "secretary")
    page.locator('[data-nav="regfd:records-home"]').click()
    expect(page.get_by_test_id("registers")).to_contain_text("1 awaiting debrief.")
    page.get_by_role("link", name=re.compile("^Communications with Specified Persons")).click()
    page.get_by_role("link", name=held.title).click()
    expect(page).to_have_url(f"{live_server.url}/regfd/records/communications/{held.pk}/")

    debriefed_at = timezone.now().astimezone(EXCHANGE_TZ).replace(second=0, microsecond=0)
    form = page.locator("form", has=page.get_by_role("button", name="Record the debrief"))
    form.get_by_label("Debriefed at").fill(debriefed_at.strftime(LOCAL))
    form.get_by_label("Time is in").select_option("America/New_York")
    form.get_by_label("Was possible material nonpublic information disclosed?").select_option("Yes")
    form.get_by_label("Debrief notes").fill("Owen Hale pressed on Q4 volumes; the CEO confirmed a figure.")
    form.get_by_label("Information", exact=True).fill("Confirmed Q4 shipment volumes ahead of the release.")
    form.get_by_label("Recipient name").fill("Owen Hale")
    form.get_by_label("Recipient firm").fill("Hudson Capital")
    form.get_by_label("Recipient category").select_option(label="Institutional investor")
    with page.expect_navigation():
        form.get_by_role("button", name="Record the debrief").click()

    incident = Incident.objects.get(source_communication=held)
    assert incident.learned_at == debriefed_at and incident.disclosed_at == held.scheduled_at
    expect(page).to_have_url(f"{live_server.url}/regfd/incidents/{incident.pk}/")
    expect(page.get_by_role("alert").filter(has_text=f"incident {incident.reference} opened")).to_be_visible()
    expect(page.locator("[data-countdown]")).to_have_text(re.compile(r" left$"))
    expect(dd_after(page, "Working deadline")).to_contain_text(label(incident.due_at, EXCHANGE_TZ))
    source = page.get_by_test_id("source-communication")
    expect(source).to_contain_text(held.title)
    shot(page, "incident-from-debrief")
    source.get_by_role("link", name=held.title).click()
    expect(page.get_by_role("alert").filter(has_text="flagged possible material nonpublic")).to_contain_text(
        incident.reference
    )
