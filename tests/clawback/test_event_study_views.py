"""The event study's pages on the demo (docs/clawback-rules §1.7a): the price import's dry run and import,
a study run on the draft case, carried to the CEO's relative-TSR award and adopted; the walls; the query
counts of the lists."""

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from clawback.demo import PEER_TSRS, PRICES, ensure_restatement
from clawback.models import EventStudy, EventStudyAward, PriceSet, ReasonableEstimate
from compliance_site.company.models import Company
from compliance_site.demo import load_demo
from tests.clients import client_for

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)


@pytest.fixture
def demo():
    users = load_demo(now=NOW)
    company = Company.objects.order_by("id").first()
    return company, users, ensure_restatement(company, users)


def _study_post(price_set, **extra):
    return {
        "price_set": price_set.pk,
        "event_dates": ["2026-04-20"],
        "other_dates": "",
        "estimation_days": 250,
        "gap_days": 10,
        "window_start": 0,
        "window_end": 1,
        "model": "market",
        "significance": "0.05",
        "inflation_method": "constant_dollar",
        "counted": "significant",
        "inflation_start": "2025-02-20",
        **extra,
    }


def test_the_demo_has_its_prices_and_the_ceos_tsr_award(demo):
    company, users, case = demo
    price_set = PriceSet.objects.get(company=company)
    assert (price_set.first_day.isoformat(), price_set.last_day.isoformat()) == ("2022-12-01", "2026-06-30")
    assert price_set.points.count() == price_set.row_count == 896 and price_set.warnings == []
    assert case.covered_executives.get(key="ceo").awards.filter(key="ceo-tsr-psu").exists()


def test_the_price_import_checks_first_and_saves_only_on_import(demo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    company, users, case = demo
    client = client_for(users["secretary"])
    url = reverse("clawback:price-import")
    assert client.get(url).status_code == 200
    before = PriceSet.objects.count()
    with PRICES.open("rb") as handle:
        page = client.post(url, {"file": handle, "source": "Vendor extract", "action": "check"})
    text = page.content.decode()
    assert page.status_code == 200 and "No problems found." in text and "896 trading days" in text
    assert PriceSet.objects.count() == before
    token = re.search(r'name="token" value="([^"]+)"', text).group(1)
    page = client.post(url, {"token": token, "source": "Vendor extract", "action": "import"})
    assert page.status_code == 302
    assert PriceSet.objects.count() == before + 1


def test_a_file_with_a_holiday_is_refused_in_words(demo):
    company, users, case = demo
    client = client_for(users["secretary"])
    body = b"Date,Company close,Market index\n2025-07-03,10,100\n2025-07-04,10.1,101\n2025-07-07,10.2,102\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("p.csv", body, content_type="text/csv")
    page = client.post(reverse("clawback:price-import"), {"file": upload, "source": "x", "action": "import"})
    assert page.status_code == 400
    assert "2025-07-04 is not an NYSE trading day" in page.content.decode()


def test_a_study_run_carried_to_the_tsr_award_and_adopted(demo):
    company, users, case = demo
    price_set = PriceSet.objects.get(company=company)
    chair = client_for(users["committee"])
    page = chair.get(reverse("clawback:case-event-studies", args=[case.pk]))
    assert page.status_code == 200 and "Form 8-K Item 4.02" in page.content.decode()
    response = chair.post(reverse("clawback:case-event-studies", args=[case.pk]), _study_post(price_set))
    study = EventStudy.objects.get(restatement=case)
    assert response.status_code == 302 and response["Location"].endswith(f"/event-studies/{study.pk}/")
    page = chair.get(response["Location"]).content.decode()
    assert "Cumulative abnormal return" in page and "<svg" in page and "ceo-tsr-psu" in page

    award = case.covered_executives.get(key="ceo").awards.get(key="ceo-tsr-psu")
    prefix = f"a{award.pk}"
    response = chair.post(
        reverse("clawback:event-study-apply", args=[study.pk, award.pk]),
        {
            f"{prefix}-measure_kind": "tsr_percentile",
            f"{prefix}-averaging_days": 1,
            f"{prefix}-peer_tsrs": PEER_TSRS.read_text(),
        },
    )
    assert response.status_code == 302
    result = EventStudyAward.objects.get(study=study, award=award)
    assert result.figures["actual_value"] == "60.00" and result.proposed_value == Decimal("55.00")
    assert Decimal(result.figures["payout_actual"]) == Decimal("42000")
    assert Decimal(result.figures["payout_but_for"]) == Decimal("36000")

    response = chair.post(
        reverse("clawback:event-study-answer", args=[result.pk]), {f"r{result.pk}-outcome": "adopted"}
    )
    assert response.status_code == 302
    estimate = ReasonableEstimate.objects.get(restatement=case, award=award)
    assert estimate.restated_value == Decimal("55.00")
    assert f"Event study no. {study.pk}" in estimate.method and price_set.file_sha256 in estimate.documents
    result.refresh_from_db()
    assert result.outcome == "adopted" and result.estimate == estimate
    # Answered once: a second answer is refused in words, and nothing changes.
    again = chair.post(
        reverse("clawback:event-study-answer", args=[result.pk]),
        {f"r{result.pk}-outcome": "rejected", f"r{result.pk}-reason": "x"},
    )
    assert again.status_code == 400 and "already answered" in again.content.decode()


def test_rejecting_needs_a_reason(demo):
    company, users, case = demo
    price_set = PriceSet.objects.get(company=company)
    chair = client_for(users["committee"])
    chair.post(reverse("clawback:case-event-studies", args=[case.pk]), _study_post(price_set))
    study = EventStudy.objects.get(restatement=case)
    award = case.covered_executives.get(key="ceo").awards.get(key="ceo-tsr-psu")
    chair.post(
        reverse("clawback:event-study-apply", args=[study.pk, award.pk]),
        {f"a{award.pk}-measure_kind": "tsr", f"a{award.pk}-averaging_days": 1},
    )
    result = EventStudyAward.objects.get(study=study)
    page = chair.post(
        reverse("clawback:event-study-answer", args=[result.pk]), {f"r{result.pk}-outcome": "rejected"}
    )
    assert (
        page.status_code == 400 and "Say why the committee departs from the study." in page.content.decode()
    )
    assert not ReasonableEstimate.objects.filter(restatement=case, award=award).exists()


def test_a_bad_study_choice_is_refused_in_words(demo):
    company, users, case = demo
    price_set = PriceSet.objects.get(company=company)
    chair = client_for(users["committee"])
    page = chair.post(
        reverse("clawback:case-event-studies", args=[case.pk]),
        _study_post(price_set, estimation_days=900),
    )
    assert page.status_code == 400 and "estimation window" in page.content.decode().lower()
    assert not EventStudy.objects.exists()


def test_walls_the_covered_ceo_and_the_recused_member(demo):
    company, users, case = demo
    price_set = PriceSet.objects.get(company=company)
    client_for(users["committee"]).post(
        reverse("clawback:case-event-studies", args=[case.pk]), _study_post(price_set)
    )
    study = EventStudy.objects.get(restatement=case)
    ceo = client_for(users["ceo"])
    for url in (
        reverse("clawback:case-event-studies", args=[case.pk]),
        reverse("clawback:event-study-detail", args=[study.pk]),
        reverse("clawback:event-study-data", args=[study.pk]),
    ):
        assert ceo.get(url).status_code in (403, 404), url
    recused = client_for(users["committee2"])
    assert recused.get(reverse("clawback:event-study-detail", args=[study.pk])).status_code == 200
    refused = recused.post(reverse("clawback:case-event-studies", args=[case.pk]), _study_post(price_set))
    assert refused.status_code == 403
    assert EventStudy.objects.count() == 1


def test_the_pages_query_counts_do_not_grow_with_the_data(demo, django_assert_max_num_queries):
    company, users, case = demo
    price_set = PriceSet.objects.get(company=company)
    chair = client_for(users["committee"])
    chair.post(reverse("clawback:case-event-studies", args=[case.pk]), _study_post(price_set))
    counts = []
    for _ in range(2):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as one:
            assert chair.get(reverse("clawback:case-event-studies", args=[case.pk])).status_code == 200
        with CaptureQueriesContext(connection) as two:
            assert chair.get(reverse("clawback:price-set-list")).status_code == 200
        counts.append((len(one), len(two)))
        chair.post(reverse("clawback:case-event-studies", args=[case.pk]), _study_post(price_set, gap_days=5))
        with PRICES.open("rb") as handle:
            from clawback.services.event_studies import import_prices

            import_prices(
                actor=users["secretary"], company=company, file_name="p.csv", data=handle.read(), name="",
                source="again", accept_warnings=False, now=NOW,
            )  # fmt: skip
    assert counts[0] == counts[1], counts


def test_a_second_studys_adoption_waits_for_the_first_estimate_to_be_withdrawn(demo):
    """One study stands behind an award's estimate at a time: adopting another would rewrite the estimate the
    first is recorded as having made."""
    company, users, case = demo
    price_set = PriceSet.objects.get(company=company)
    chair = client_for(users["committee"])
    award = case.covered_executives.get(key="ceo").awards.get(key="ceo-tsr-psu")
    results = []
    for gap in (10, 5):
        chair.post(
            reverse("clawback:case-event-studies", args=[case.pk]), _study_post(price_set, gap_days=gap)
        )
        study = EventStudy.objects.latest("id")
        chair.post(
            reverse("clawback:event-study-apply", args=[study.pk, award.pk]),
            {f"a{award.pk}-measure_kind": "tsr", f"a{award.pk}-averaging_days": 1},
        )
        results.append(EventStudyAward.objects.get(study=study))
    first, second = results
    assert (
        chair.post(
            reverse("clawback:event-study-answer", args=[first.pk]), {f"r{first.pk}-outcome": "adopted"}
        ).status_code
        == 302
    )
    refused = chair.post(
        reverse("clawback:event-study-answer", args=[second.pk]), {f"r{second.pk}-outcome": "adopted"}
    )
    assert refused.status_code == 400
    assert f"adopted from event study {first.study_id}" in refused.content.decode()
    estimate = ReasonableEstimate.objects.get(restatement=case, award=award)
    assert estimate.restated_value == first.proposed_value and f"no. {first.study_id}" in estimate.method


def test_a_study_is_voided_with_a_reason_once_no_estimate_stands_on_it(demo):
    company, users, case = demo
    price_set = PriceSet.objects.get(company=company)
    chair = client_for(users["committee"])
    chair.post(reverse("clawback:case-event-studies", args=[case.pk]), _study_post(price_set))
    study = EventStudy.objects.get(restatement=case)
    award = case.covered_executives.get(key="ceo").awards.get(key="ceo-tsr-psu")
    chair.post(
        reverse("clawback:event-study-apply", args=[study.pk, award.pk]),
        {f"a{award.pk}-measure_kind": "tsr", f"a{award.pk}-averaging_days": 1},
    )
    result = EventStudyAward.objects.get(study=study)
    chair.post(reverse("clawback:event-study-answer", args=[result.pk]), {f"r{result.pk}-outcome": "adopted"})
    url = reverse("clawback:void", args=["event-study", study.pk])
    assert (
        "Void this study"
        in chair.get(reverse("clawback:event-study-detail", args=[study.pk])).content.decode()
    )
    assert chair.get(url).status_code == 200
    refused = chair.post(url, {"reason": "Wrong prices."})
    assert refused.status_code == 400 and "withdraw that estimate first" in refused.content.decode()
    estimate = ReasonableEstimate.objects.get(restatement=case, award=award)
    assert (
        chair.post(reverse("clawback:void", args=["estimate", estimate.pk]), {"reason": "Redo."}).status_code
        == 302
    )
    assert chair.post(url, {"reason": "Wrong prices."}).status_code == 302
    study = EventStudy.all_objects.get(pk=study.pk)
    assert study.is_voided and study.void_reason == "Wrong prices."
    assert client_for(users["ceo"]).get(url).status_code in (403, 404)


def test_prices_are_voided_from_their_page_once_no_live_study_reads_them(demo):
    company, users, case = demo
    price_set = PriceSet.objects.get(company=company)
    chair = client_for(users["committee"])
    page = reverse("clawback:price-set-detail", args=[price_set.pk])
    url = reverse("clawback:void", args=["price-set", price_set.pk])
    assert "Void these prices" in chair.get(page).content.decode()
    assert "Void these prices" not in client_for(users["auditor"]).get(page).content.decode()
    assert client_for(users["auditor"]).get(url).status_code == 403
    chair.post(reverse("clawback:case-event-studies", args=[case.pk]), _study_post(price_set))
    study = EventStudy.objects.get(restatement=case)
    refused = chair.post(url, {"reason": "Unadjusted for the split."})
    assert refused.status_code == 400 and f"study {study.pk}" in refused.content.decode()
    chair.post(
        reverse("clawback:void", args=["event-study", study.pk]), {"reason": "Unadjusted for the split."}
    )
    confirm = chair.get(url).content.decode()
    assert "the prices “" in confirm and "Any approval that rests on it" not in confirm  # no approval does
    answer = chair.post(url, {"reason": "Unadjusted for the split."})
    assert answer.status_code == 302 and answer["Location"] == reverse("clawback:price-set-list")
    listed = chair.get(reverse("clawback:price-set-list")).content.decode()
    assert page not in listed and "No live prices" in listed
    assert 'data-testid="voided-rows"' in listed and "Unadjusted for the split." in listed
    shown = chair.get(page).content.decode()
    assert 'data-testid="voided-banner"' in shown and "Unadjusted for the split. It no longer" in shown
    assert "split.." not in shown  # the reason's own full stop ends the sentence
    assert "Void these prices" not in shown
    assert chair.get(url).status_code == 404  # a voided set is no longer offered for voiding


def test_a_price_set_that_is_not_a_number_is_a_form_error_not_a_crash(demo):
    company, users, case = demo
    chair = client_for(users["committee"])
    url = reverse("clawback:case-event-studies", args=[case.pk])
    assert chair.get(url, {"price_set": "abc"}).status_code == 200
    assert chair.get(url, {"price_set": "9" * 30}).status_code == 200
    answer = chair.post(url, _study_post(PriceSet.objects.get(company=company)) | {"price_set": "abc"})
    assert answer.status_code == 400 and not EventStudy.objects.exists()
