"""The reasonable estimate for a TSR award, made in the app (docs/clawback-rules §1.7a): the chair imports
the company's prices (checked first, then imported), runs an event study on the draft case from the event
the case proposes (the Form 8-K Item 4.02), carries it to the CEO's relative-TSR award with the peer group's
TSRs and adopts it. The case's worksheet then recomputes the award on the but-for percentile, and the
documentation for the exchange (PDF) shows the study behind the estimate."""

import re
import subprocess
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clawback.demo import PEER_TSRS, PRICES, ensure_restatement
from clawback.models import EventStudy, EventStudyAward, PriceSet, ReasonableEstimate
from compliance_site.company.selectors import current_company
from compliance_site.documents.models import GeneratedDocument
from compliance_site.documents.services import request_document
from tests.browser.conftest import needs_chromium, shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]


def _pdf_text(document: GeneratedDocument) -> str:
    return subprocess.run(
        ["pdftotext", "-raw", document.file.path, "-"], capture_output=True, check=True, text=True
    ).stdout


def test_the_chair_imports_prices_runs_a_study_and_adopts_the_tsr_estimate(
    page, live_server, demo, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    case = ensure_restatement(current_company(), demo)
    sets_before = PriceSet.objects.count()
    sign_in(page, live_server, "committee")

    # --- Prices: the file checked first (nothing saved), then imported with its source ---
    page.goto(f"{live_server.url}/clawback/prices/")
    page.get_by_role("link", name="Import prices").click()
    page.get_by_label("File").set_input_files(str(PRICES))
    page.get_by_label("Source").fill("Closing prices from the market data vendor, extract of 2026-07-01.")
    with page.expect_navigation():
        page.get_by_role("button", name="Check the file").click()
    report = page.get_by_test_id("price-report")
    expect(report).to_contain_text("No problems found.")
    expect(report).to_contain_text("2022-12-01 to 2026-06-30")
    assert PriceSet.objects.count() == sets_before
    with page.expect_navigation():
        page.get_by_test_id("price-import").click()
    expect(page.get_by_role("alert").filter(has_text="Imported")).to_be_visible()
    price_set = PriceSet.objects.latest("imported_at")
    assert price_set.source.startswith("Closing prices") and price_set.imported_by.username == "committee"
    shot(page, "event-study-prices")

    # --- The study, on the draft case, from the event it proposes ---
    page.goto(f"{live_server.url}/clawback/restatements/{case.pk}/")
    page.get_by_role("link", name="Event studies").click()
    form = page.get_by_test_id("study-form")
    form.get_by_label("Price set").select_option(str(price_set.pk))
    expect(form.get_by_label(re.compile("Form 8-K Item 4.02"))).to_be_checked()
    form.get_by_label("Inflation start").fill("2025-02-20")
    with page.expect_navigation():
        form.get_by_role("button", name="Run the study").click()
    study = EventStudy.objects.get(restatement=case, price_set=price_set)
    expect(page).to_have_url(f"{live_server.url}/clawback/event-studies/{study.pk}/")
    event = study.result["events"][0]
    assert event["date"] == "2026-04-20" and event["significant"] and event["car"] < 0
    expect(page.get_by_test_id("abnormal-returns").first).to_contain_text("Cumulative abnormal return")
    expect(page.get_by_test_id("coefficients")).to_contain_text("Market")
    expect(page.locator("figure svg")).to_be_visible()

    # --- Carried to the CEO's relative-TSR award with the peer group's TSRs, and adopted ---
    card = page.get_by_test_id("study-award").filter(has_text="ceo-tsr-psu")
    card.get_by_label("The award's measure").select_option("tsr_percentile")
    card.get_by_label("Peer group TSRs").fill(PEER_TSRS.read_text())
    with page.expect_navigation():
        card.get_by_role("button", name="Compute the estimate for this award").click()
    card = page.get_by_test_id("study-award").filter(has_text="ceo-tsr-psu")
    expect(card.get_by_test_id("actual-value")).to_have_text("60.00")
    result = EventStudyAward.objects.get(study=study, award__key="ceo-tsr-psu")
    assert result.proposed_value < Decimal("60")
    expect(card.get_by_test_id("but-for-value")).to_have_text(result.figures["but_for_value"])
    shot(page, "event-study-award")
    card.get_by_label("Adopted", exact=True).check()
    with page.expect_navigation():
        card.get_by_role("button", name="Record the committee's answer").click()
    card = page.get_by_test_id("study-award").filter(has_text="ceo-tsr-psu")
    expect(card.get_by_test_id("study-outcome")).to_contain_text("Adopted")

    # --- The case's estimate and its worksheet rest on it ---
    estimate = ReasonableEstimate.objects.get(restatement=case, award__key="ceo-tsr-psu")
    assert estimate.restated_value == result.proposed_value
    assert f"Event study no. {study.pk}" in estimate.method and price_set.file_sha256 in estimate.documents
    page.goto(f"{live_server.url}/clawback/restatements/{case.pk}/worksheet/")
    row = page.locator("tr", has_text="ceo-tsr-psu").first
    expect(row).to_contain_text(re.compile(r"estimate", re.I))

    # --- The documentation for the exchange shows the study ---
    from compliance_site.celery import app

    app.conf.task_always_eager = True
    try:
        documents = [
            request_document(actor=demo["committee"], kind=kind, record=case, now=timezone.now())
            for kind in ("clawback_estimates", "clawback_determination")
        ]
    finally:
        app.conf.task_always_eager = False
    for document in documents:
        document.refresh_from_db()
        assert document.state == GeneratedDocument.State.DONE, document.error
    exchange, determination = (" ".join(_pdf_text(d).split()) for d in documents)
    assert f"Event study no. {study.pk}" in exchange and result.figures["but_for_value"] in exchange
    assert f"Event study no. {study.pk}" in determination and "ceo-tsr-psu" in determination
