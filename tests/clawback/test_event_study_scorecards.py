"""An event study carried to a scorecard award whose one goal on the share price or TSR waits for an
estimate: the study estimates that goal, the committee adopts it, and the case's estimate records the goal's
value (`restated_values`), so the determination recomputes the whole award, every other goal as for any
scorecard.

The case is the one of test_event_study_services, with the CEO's PSU as a scorecard of 30,000 target units:
relative TSR (weight 0.5, 60th percentile actual, 55th but for the misstatement), FY2024 net income (weight
0.3, restated from $240m to $228m) and an operational goal (weight 0.2, scored 1.0).
"""

import copy
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clawback.models import Award, ReasonableEstimate, Recusal
from clawback.scenario import load_scenario
from clawback.services import determinations as workflow
from clawback.services import event_studies as services
from clawback.services import import_scenario
from compliance_site.company.models import Company
from tests.clawback.test_event_study_services import (
    CURVE,
    NOW,
    PEERS,
    SCENARIO,
    import_demo,
    run_study,
)
from tests.clients import api_error, api_for, client_for

pytestmark = pytest.mark.django_db

NET_INCOME_CURVE = [["180000000", "0.5"], ["220000000", "1.0"], ["260000000", "2.0"]]
GOALS = [
    {"measure": "tsr_percentile", "measure_period": "FY2023-FY2025", "weight": "0.5", "points": CURVE},
    {"measure": "net_income", "measure_period": "FY2024", "weight": "0.3", "points": NET_INCOME_CURVE},
    {"basis": "operational_goal", "weight": "0.2", "factor": "1.0"},
]


def scorecard_scenario(goals=GOALS) -> dict:
    scenario = copy.deepcopy(SCENARIO)
    scenario["format"] = "clawback-scenario/2"
    psu = scenario["awards"][1]
    for field in ("measure", "measure_period", "formula"):
        del psu[field]
    psu["scorecard"] = {"target": "30000", "components": goals}
    # Paid 0.5 x 1.4 (60th percentile) + 0.3 x 1.5 ($240m) + 0.2 x 1.0 = 1.35 of target.
    psu["received"] = "40500"
    return scenario


def build(users, scenario: dict, *, ticker: str = "EXC"):
    company = Company.objects.create(name=f"{ticker} Corp", ticker=ticker)
    loaded = load_scenario(json.dumps(scenario))
    for period in loaded.fiscal_periods:
        company.fiscal_periods.create(label=period.label, start=period.start, end=period.end)
    case = import_scenario(
        actor=users["secretary"], company=company, scenario=loaded, title="FY2024 restatement"
    )
    Recusal.objects.create(restatement=case, user=users["committee2"], reason="Audit committee in FY2024")
    workflow.submit_for_review(actor=users["secretary"], case=case, now=NOW)
    case.refresh_from_db()
    return case, Award.objects.get(executive__company=company, key="ceo-tsr-psu")


def apply(users, case, award, study=None):
    study = study or run_study(users["secretary"], case, import_demo(users["secretary"], case.company))
    return services.apply_to_award(
        actor=users["secretary"],
        study=study,
        award=award,
        measure_kind="tsr_percentile",
        peer_tsrs=PEERS,
        now=NOW,
    )


def test_the_study_estimates_the_scorecards_tsr_goal_and_adopting_it_recomputes_the_whole_award(users):
    case, award = build(users, scorecard_scenario())
    assert services.default_measure_kind(award) == "tsr_percentile"
    before = workflow.live_determination(case)
    assert before.result["totals"]["pending_estimates"] == 1

    result = apply(users, case, award)
    figures = result.figures
    assert (figures["goal"], figures["goal_weight"]) == ("tsr_percentile", "0.5")
    assert (figures["goal_factor_actual"], figures["goal_factor_but_for"]) == ("1.4", "1.2")
    assert "payout_actual" not in figures  # the whole award is the determination's to recompute
    assert result.proposed_value == Decimal("55")

    services.answer_result(actor=users["committee"], result=result, outcome="adopted", now=NOW)

    estimate = ReasonableEstimate.objects.get(restatement=case, award=award)
    assert estimate.restated_values == {"tsr_percentile": "55.00"} and estimate.restated_value is None
    assert "(weight 0.5): factor 1.4 actual, 1.2 but for the misstatement" in estimate.method
    after = workflow.live_determination(case)
    assert after.number == before.number + 1 and after.result["totals"]["pending_estimates"] == 0
    row = next(a for a in after.result["awards"] if a["id"] == "ceo-tsr-psu")
    # 30,000 x (0.5 x 1.2 + 0.3 x 1.2 ($228m restated) + 0.2 x 1.0) = 34,800 units; 40,500 were received.
    assert row["status"] == "estimated"
    assert Decimal(row["recomputed"]) == Decimal("34800") and Decimal(row["excess"]) == Decimal("5700")


def two_price_goals() -> dict:
    """The scorecard with a share-price goal in place of the operational one: two goals wait for an estimate."""
    goals = [*GOALS[:2], {"measure": "share_price", "measure_period": "FY2025", "weight": "0.2",
                          "points": [["50", "0.5"], ["70", "1.5"]]}]  # fmt: skip
    scenario = scorecard_scenario(goals)
    scenario["measures"]["share_price"] = {
        "category": "stock_price",
        "values": {"FY2025": {"original": "68"}},
    }
    return scenario


def test_a_scorecard_with_two_goals_to_estimate_is_refused_in_words(users):
    case, award = build(users, two_price_goals())
    with pytest.raises(ValidationError) as refused:
        apply(users, case, award)
    text = " ".join(refused.value.messages)
    assert "needs an estimate for" in text and "record the scorecard's estimate" in text
    with pytest.raises(ValidationError):
        services.default_measure_kind(award)


def test_the_study_page_offers_the_scorecards_goal_and_shows_its_factors(users):
    case, award = build(users, scorecard_scenario())
    study = run_study(users["secretary"], case, import_demo(users["secretary"], case.company))
    page = client_for(users["committee"]).get(reverse("clawback:event-study-detail", args=[study.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and f'id="award-{award.pk}"' in text
    assert "Scorecard goal: " in text and 'data-testid="apply-form"' in text

    result = apply(users, case, award, study)
    text = client_for(users["committee"]).get(reverse("clawback:event-study-detail", args=[study.pk])).content
    assert b"Factor of the goal on its curve" in text and b"1.4" in text and result.figures["goal"]


def test_the_study_page_says_why_it_cannot_estimate_a_scorecard_with_two_price_goals(users):
    case, award = build(users, two_price_goals())
    study = run_study(users["secretary"], case, import_demo(users["secretary"], case.company))
    text = client_for(users["committee"]).get(reverse("clawback:event-study-detail", args=[study.pk])).content
    assert b'data-testid="study-refusal"' in text and b"record the scorecard" in text


def test_the_api_carries_the_study_to_the_goal_and_refuses_two_goals_with_a_400(users):
    case, award = build(users, scorecard_scenario())
    study = run_study(users["secretary"], case, import_demo(users["secretary"], case.company))
    body = {"award": award.pk, "measure_kind": "tsr_percentile", "peer_tsrs": PEERS}
    url = f"/api/clawback/event-studies/{study.pk}/awards/"
    created = api_for(users["secretary"]).post(url, body, format="json")
    assert created.status_code == 201 and created.json()["figures"]["goal_factor_but_for"] == "1.2"

    case, award = build(users, two_price_goals(), ticker="TWO")
    study = run_study(users["secretary"], case, import_demo(users["secretary"], case.company))
    refused = api_for(users["secretary"]).post(
        f"/api/clawback/event-studies/{study.pk}/awards/", body | {"award": award.pk}, format="json"
    )
    assert "record the scorecard's estimate" in " ".join(api_error(refused, 400)["fields"]["award"])
