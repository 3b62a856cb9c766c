"""The recovery worksheet: the engine run on the database gives the worked examples' figures, explains
every number, says why nothing is recoverable when nothing is (Item 402(w)(2)), shows awards the policy
itself does not reach, the policy acknowledgements, and costs the same queries for 2 or 20 awards."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from clawback.models import Award, Measure, MeasureValue, RestatedValue, Restatement, RestatementEvent
from clawback.recovery import evaluate
from clawback.scenario import result_to_json
from clawback.selectors import restatement_worksheet
from clawback.services import import_scenario_file, scenario_for_restatement
from clawback.services import records as services
from clawback.wording import plain_explanation
from compliance_site.company.models import Company, FiscalPeriod, PolicyAcknowledgement, PolicyVersion
from compliance_site.company.services import add_policy_version
from tests.clawback.compare import (
    ALL_EXAMPLE_NUMBERS,
    EXAMPLE_NUMBERS,
    differences_from_example,
    example_path,
    load_example,
)
from tests.factories import UserFactory

TODAY = date(2026, 11, 30)


def _import(n, actor, company=None, title=None):
    """The worked example imported as a draft case, as the "Import a scenario file" page does."""
    company = company or Company.objects.create(name=f"Example {n}")
    return import_scenario_file(
        actor=actor, company=company, text=example_path(n).read_text(), title=title or f"Example {n}"
    )


@pytest.fixture
def committee(users):
    client = Client()
    client.force_login(users["committee"])
    return client


@pytest.mark.parametrize("n", ALL_EXAMPLE_NUMBERS)
def test_imported_example_evaluates_from_the_database_to_the_expected_result(users, n):
    case = _import(n, users["secretary"])
    result = result_to_json(evaluate(scenario_for_restatement(case)))
    assert differences_from_example(result, n) == []


@pytest.mark.parametrize("n", EXAMPLE_NUMBERS)
def test_worksheet_page_shows_the_examples_figures_and_every_explanation_step(users, committee, n):
    case = _import(n, users["secretary"])
    response = committee.get(reverse("clawback:restatement-worksheet", args=[case.pk]))
    assert response.status_code == 200
    worksheet = response.context["worksheet"]
    assert differences_from_example(worksheet.result_json, n) == []
    html = response.content.decode()
    expected = load_example(n, "expected")
    assert f"{expected['required_on']}" in html
    names = dict(Measure.objects.filter(company=case.company).values_list("key", "name"))
    for line in worksheet.awards:
        assert f'data-award="{line.result.id}"' in html
        for step in line.result.explanation:
            # Each step as people read it: amounts in dollars, measures by name (clawback.wording).
            assert escape(plain_explanation(step, names)) in html


def test_example_1_conclusion_is_the_total_to_recover(users):
    case = _import(1, users["secretary"])
    worksheet = restatement_worksheet(case, today=TODAY)
    assert worksheet.outcome == "recovery"
    assert "$1,320,000.00" in worksheet.outcome_text
    assert worksheet.no_recovery_reason is None


def test_reasons_are_shown_with_readable_labels(users, committee):
    case = _import(1, users["secretary"])
    html = committee.get(reverse("clawback:restatement-worksheet", args=[case.pk])).content.decode()
    assert "Received before 2023-10-02 (listing standard effective date)" in html  # ceo-h1-2023-bonus
    assert "Not incentive-based" in html  # ceo-2024-rsu


# --- Item 402(w)(2): "no recovery required, because ..." -------------------------------------------


def test_not_a_triggering_restatement_says_so(users, committee):
    case = _import(1, users["secretary"])
    Restatement.objects.filter(pk=case.pk).update(kind=Restatement.Kind.OUT_OF_PERIOD)
    case.refresh_from_db()
    worksheet = restatement_worksheet(case, today=TODAY)
    assert (worksheet.outcome, worksheet.no_recovery_reason) == ("no_recovery", "not_triggering")
    assert worksheet.outcome_text.startswith(
        "No recovery is required, because this is not a triggering restatement"
    )
    html = committee.get(reverse("clawback:restatement-worksheet", args=[case.pk])).content.decode()
    assert "Item 402(w)(2) explanation" in html and 'data-reason="not_triggering"' in html


def test_no_award_in_scope_says_so(users):
    case = _import(1, users["secretary"])
    # Only awards outside the scope test remain: the pre-effective-date H1 bonus and the time-vested RSU.
    Award.objects.exclude(key__in=["ceo-h1-2023-bonus", "ceo-2024-rsu"]).update(
        voided_at=datetime(2026, 11, 30, tzinfo=UTC), void_reason="test"
    )
    worksheet = restatement_worksheet(case, today=TODAY)
    assert (worksheet.outcome, worksheet.no_recovery_reason) == ("no_recovery", "no_awards_in_scope")
    assert "no awards in scope" in worksheet.outcome_text


def test_recomputed_equal_to_received_says_so(users):
    case = _import(1, users["secretary"])
    # The restated values equal the originals: every in-scope award recomputes to what was paid.
    for row in case.restated_values.select_related("value"):
        row.restated = row.value.original
        row.save()
    worksheet = restatement_worksheet(case, today=TODAY)
    assert (worksheet.outcome, worksheet.no_recovery_reason) == ("no_recovery", "no_excess")
    assert "all recomputed amounts equal" in worksheet.outcome_text


def test_pending_estimate_and_missing_trigger_date_are_not_conclusions(users):
    case = _import(2, users["secretary"])
    assert restatement_worksheet(case, today=TODAY).outcome == "pending_estimates"  # the TSR PSU
    RestatementEvent.objects.filter(restatement=case).update(
        voided_at=datetime(2026, 11, 30, tzinfo=UTC), void_reason="test"
    )
    worksheet = restatement_worksheet(case, today=TODAY)
    assert worksheet.outcome == "no_required_date"
    assert worksheet.result.warnings


def test_a_case_that_cannot_be_evaluated_lists_its_problems(users, committee, clawback_case):
    response = committee.get(reverse("clawback:restatement-worksheet", args=[clawback_case.pk]))
    assert response.status_code == 200
    worksheet = response.context["worksheet"]
    assert worksheet.outcome == "incomplete"
    assert ("$.company.fiscal_periods", "must not be empty") in worksheet.problems
    assert 'data-testid="worksheet-problems"' in response.content.decode()


# --- The policy's own Effective Date ----------------------------------------------------------------


def test_award_granted_before_the_policy_but_in_scope_shows_both_sources(users, committee):
    case = _import(1, users["secretary"])
    # The seeded clawback policy v1.0 is effective 2023-12-01 (compliance_site/company/migrations/0002).
    policy = PolicyVersion.objects.get(kind="clawback", version="1.0")
    case.policy_version = policy
    case.save()
    Award.objects.filter(key="ceo-fy2023-bonus").update(grant_date=date(2023, 2, 15))
    Award.objects.filter(key="ceo-fy2024-bonus").update(grant_date=date(2024, 2, 15))
    worksheet = restatement_worksheet(case, today=TODAY)
    lines = {line.result.id: line for line in worksheet.awards}
    assert lines["ceo-fy2023-bonus"].predates_policy is True
    assert lines["ceo-fy2023-bonus"].result.in_scope is True
    assert lines["ceo-fy2024-bonus"].predates_policy is False
    assert lines["ceo-fy2024-bonus"].policy_applies is True
    assert lines["ceo-fy2025-bonus"].policy_applies is None  # no approval or grant date recorded
    assert lines["ceo-h1-2023-bonus"].predates_policy is False  # out of scope: not shown as an obligation
    html = committee.get(reverse("clawback:restatement-worksheet", args=[case.pk])).content.decode()
    assert html.count('data-testid="predates-policy"') == 1
    assert "Obligation from the listing standard; award predates the policy (effective 2023-12-01)" in html


# --- Acknowledgements -----------------------------------------------------------------------------


def test_acknowledgements_show_who_has_and_has_not_and_can_be_recorded(users, committee):
    case = _import(1, users["secretary"])
    policy = PolicyVersion.objects.get(kind="clawback", version="1.0")
    ceo = case.covered_executives.get(key="ceo")
    cfo = case.covered_executives.get(key="cfo")  # no sign-in: recorded from the paper form
    ceo.user = UserFactory(username="avery")
    ceo.save()
    PolicyAcknowledgement.objects.create(
        policy=policy, user=ceo.user, acknowledged_at=datetime(2024, 1, 2, tzinfo=UTC)
    )

    worksheet = restatement_worksheet(case, today=TODAY)
    assert worksheet.policy == policy
    status = {a.executive.key: (a.acknowledged_at, a.missing) for a in worksheet.acknowledgements}
    assert status["ceo"] == (datetime(2024, 1, 2, tzinfo=UTC), False)
    assert status["cfo"] == (None, True)
    html = committee.get(reverse("clawback:restatement-worksheet", args=[case.pk])).content.decode()
    assert html.count('data-testid="acknowledgement-missing"') == 1

    url = reverse("clawback:restatement-acknowledge", args=[case.pk])
    response = committee.post(
        url,
        {"executive": cfo.pk, "acknowledged_at": "2026-11-02T10:30", "evidence": "Signed form in HR file"},
    )
    assert response.status_code == 302, response.content.decode()
    assert (
        PolicyAcknowledgement.objects.get(policy=policy, executive=cfo).evidence == "Signed form in HR file"
    )
    # An executive who has acknowledged is no longer offered.
    response = committee.post(
        url, {"executive": ceo.pk, "acknowledged_at": "2026-11-02T10:30", "evidence": "x"}
    )
    assert response.status_code == 400


def test_roles_without_manage_cannot_record_an_acknowledgement(users, clawback_case):
    client = Client()
    client.force_login(users["auditor"])
    response = client.post(reverse("clawback:restatement-acknowledge", args=[clawback_case.pk]), {})
    assert response.status_code == 403


# --- Query counts -----------------------------------------------------------------------------------


def _case_with_awards(actor, n_awards: int) -> Restatement:
    company = Company.objects.create(name=f"Co {n_awards}")
    for year in (2023, 2024, 2025, 2026):
        FiscalPeriod.objects.create(
            company=company, label=f"FY{year}", start=date(year, 1, 1), end=date(year, 12, 31)
        )
    measure = Measure.objects.create(company=company, key="ni", name="Net income", category="net_income")
    value = MeasureValue.objects.create(measure=measure, period_label="FY2024", original=240)
    executives = [
        services.create_executive(
            actor=actor,
            company=company,
            key=f"x{i}",
            name=f"Executive {i}",
            officer_periods=[{"start": date(2015, 1, 1)}],
        )
        for i in range(2)
    ]
    for i in range(n_awards):
        services.create_award(
            actor=actor, executive=executives[i % 2], key=f"a{i}", award_type="cash_bonus",
            basis="financial_reporting_measure", performance_start=date(2024, 1, 1),
            performance_end=date(2024, 12, 31), received=Decimal("1000"), measure=measure,
            measure_period="FY2024", formula={"kind": "linear", "rate": "5"}, grant_date=date(2024, 1, 1),
        )  # fmt: skip
    case = services.record_restatement(
        actor=actor,
        company=company,
        title=f"Case {n_awards}",
        kind="big_r",
        today=TODAY,
        covered_executives=executives,
    )
    services.add_restatement_event(
        actor=actor, restatement=case, kind="board_concluded", date=date(2026, 3, 1)
    )
    RestatedValue.objects.create(restatement=case, value=value, restated=228)
    return case


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_worksheet_page_costs_the_same_queries_for_2_and_20_awards(users, committee):
    few = _case_with_awards(users["secretary"], 2)
    many = _case_with_awards(users["secretary"], 20)
    assert len(restatement_worksheet(many, today=TODAY).awards) == 20
    few_count = _queries(committee, reverse("clawback:restatement-worksheet", args=[few.pk]))
    many_count = _queries(committee, reverse("clawback:restatement-worksheet", args=[many.pk]))
    assert few_count == many_count


def test_worksheet_api_costs_the_same_queries_for_2_and_20_awards(users, committee):
    few = _case_with_awards(users["secretary"], 2)
    many = _case_with_awards(users["secretary"], 20)
    few_count = _queries(committee, reverse("clawback-api:restatement-worksheet", args=[few.pk]))
    many_count = _queries(committee, reverse("clawback-api:restatement-worksheet", args=[many.pk]))
    assert few_count == many_count


def test_policy_in_force_is_used_when_the_case_records_none(users):
    case = _case_with_awards(users["secretary"], 2)
    Restatement.objects.filter(pk=case.pk).update(policy_version=None)
    case.refresh_from_db()
    newer = add_policy_version(
        actor=users["secretary"], kind="clawback", version="9", title="Clawback policy", text="...",
        effective_date=date(2026, 1, 1), approved_on=date(2025, 12, 1),
    )  # fmt: skip
    assert restatement_worksheet(case, today=TODAY).policy == newer
    assert restatement_worksheet(case, today=date(2025, 6, 1)).policy.version == "1.0"
