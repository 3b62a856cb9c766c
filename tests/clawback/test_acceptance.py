"""Issue 4's acceptance points that cut across modules:

- the worked examples of spec/examples/, imported as cases, give the same figures as the scenario command —
  on the worksheet page, over the API and in the frozen determination — and a case exported as a scenario
  file re-evaluates, through the same command, to the same result;
- the database keeps award keys unique per company (the key names the award in a case's scenario file);
- the worksheet, the workflow panel, the claims endpoint and the disclosure page cost the same number of
  queries as their rows grow.
"""

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from clawback.models import Award, Executive, Impracticability, OfficerPeriod, RecoveryEvent, Restatement
from clawback.services import determinations as workflow
from clawback.services import recovery
from clawback.services.imports import import_scenario_file, preview_scenario_import
from compliance_site.company.models import Company
from tests.clawback.compare import (
    EXAMPLE_NUMBERS,
    EXAMPLES_DIR,
    as_result_1,
    example_path,
    load_example,
    result_differences,
)
from tests.clawback.workflow_setup import NOW, award, impracticability_decision, in_recovery

pytestmark = pytest.mark.django_db

SHARED_EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "spec" / "examples"


def _command(path_or_text) -> dict:
    """The scenario command's result for a file (a path) or a document (text on stdin)."""
    out, err = io.StringIO(), io.StringIO()
    if isinstance(path_or_text, Path):
        call_command("clawback_scenario", str(path_or_text), stdout=out, stderr=err)
    else:
        import sys

        stdin, sys.stdin = sys.stdin, io.StringIO(path_or_text)
        try:
            call_command("clawback_scenario", "-", stdout=out, stderr=err)
        finally:
            sys.stdin = stdin
    assert err.getvalue() == ""
    return json.loads(out.getvalue())


@pytest.mark.skipif(
    not SHARED_EXAMPLES.is_dir(), reason="the shared spec is not checked out beside the project"
)
@pytest.mark.parametrize(
    "name", [f"example-{n}.{kind}.json" for n in EXAMPLE_NUMBERS for kind in ("scenario", "expected")]
)
def test_the_tests_examples_are_the_shared_specs(name):
    # The spec's own worked examples (1 and 2); example 3, the `/2` one, is the project's.
    assert (EXAMPLES_DIR / name).read_text() == (SHARED_EXAMPLES / name).read_text()


@pytest.mark.parametrize("n", EXAMPLE_NUMBERS)
def test_an_imported_example_gives_the_scenario_commands_figures_everywhere(users, n):
    """Command on the file = the worksheet page = the worksheet API = the frozen determination = the command
    on the case exported as a scenario file."""
    expected = _command(example_path(n))
    assert result_differences(expected, load_example(n, "expected")) == []
    company = Company.objects.create(name=f"Example {n} Inc.")
    case = import_scenario_file(
        actor=users["secretary"],
        company=company,
        text=example_path(n).read_text(),
        title=f"Example {n}",
        now=NOW,
    )

    # The case names the policy version in force and what the file restates, as one recorded on its page.
    assert case.policy_version.version == "1.0"
    assert case.restated_values.exists()

    client = Client()
    client.force_login(users["committee"])
    page = client.get(reverse("clawback:restatement-worksheet", args=[case.pk]))
    assert result_differences(as_result_1(page.context["worksheet"].result_json), expected) == []

    api = APIClient()
    api.force_authenticate(users["auditor"])
    assert (
        result_differences(
            as_result_1(api.get(f"/api/clawback/restatements/{case.pk}/worksheet/").json()["result"]),
            expected,
        )
        == []
    )

    determination = workflow.submit_for_review(actor=users["secretary"], case=case, now=NOW)
    assert result_differences(as_result_1(determination.result), expected) == []

    exported = client.get(reverse("clawback:restatement-scenario", args=[case.pk])).content.decode()
    assert result_differences(as_result_1(_command(exported)), expected) == []
    api_exported = api.get(f"/api/clawback/restatements/{case.pk}/scenario/").json()
    assert result_differences(as_result_1(_command(json.dumps(api_exported))), expected) == []


def test_the_worksheet_and_the_export_carry_the_committees_estimates(users):
    """After the TSR estimate, the worksheet shows what the determination froze (not "estimate required"),
    and the exported file re-evaluates through the command to the approved determination's result."""
    from tests.clawback.workflow_setup import approved_example_2

    case = approved_example_2(users)
    approved = workflow.approved_determination(case).result
    assert approved["totals"]["excess_usd"] == "445000.00"
    client = Client()
    client.force_login(users["committee"])
    worksheet = client.get(reverse("clawback:restatement-worksheet", args=[case.pk])).context["worksheet"]
    assert worksheet.outcome == "recovery"
    assert result_differences(worksheet.result_json, approved) == []
    page = client.get(reverse("clawback:restatement-worksheet", args=[case.pk])).content.decode()
    assert 'data-matches="yes"' in page and "approved at the meeting of 2026-12-10" in page
    exported = client.get(reverse("clawback:restatement-scenario", args=[case.pk])).content.decode()
    assert json.loads(exported)["awards"][2]["estimate"]["restated_value"] == "55"
    assert result_differences(_command(exported), approved) == []
    # A change behind the services' back (a data fix in a shell) shows as figures that are not the frozen ones.
    Award.objects.filter(pk=award(case, "evp-fy2025-bonus").pk).update(received=Decimal(380000))
    page = client.get(reverse("clawback:restatement-worksheet", args=[case.pk])).content.decode()
    assert 'data-matches="no"' in page


def test_an_award_granted_before_the_policy_says_where_the_obligation_comes_from(users):
    from tests.clawback.workflow_setup import import_example_2

    case = import_example_2(users["secretary"])
    psu = award(case, "ceo-tsr-psu")
    client = Client()
    client.force_login(users["auditor"])
    url = reverse("clawback:award-detail", args=[psu.pk])
    assert "cannot tell whether" in client.get(url).content.decode()  # no approval or grant date yet
    Award.objects.filter(pk=psu.pk).update(grant_date=date(2023, 3, 1))
    html = client.get(url).content.decode()
    assert "Approved or granted before Clawback policy v1.0 took effect (2023-12-01)" in html
    assert "The listing standard still does if it was received" in html
    Award.objects.filter(pk=psu.pk).update(grant_date=date(2024, 3, 1))
    assert "Clawback policy v1.0 (approved or granted on or after" in client.get(url).content.decode()


# --- Award keys --------------------------------------------------------------------------------------------------


def _executive(company, key):
    executive = Executive.objects.create(company=company, key=key, name=key.upper())
    OfficerPeriod.objects.create(executive=executive, start=date(2015, 1, 1))
    return executive


def _award(executive, key):
    return Award.objects.create(
        executive=executive, key=key, award_type="rsu", basis="time_vested", performance_start=date(2024, 1, 1),
        performance_end=date(2024, 12, 31), unit="units", value_per_unit=Decimal(10), received=Decimal(100),
    )  # fmt: skip


def test_the_database_keeps_award_keys_unique_in_a_company(company):
    ceo, cfo = _executive(company, "ceo"), _executive(company, "cfo")
    first = _award(ceo, "rsu-2024")
    assert first.company == company
    with pytest.raises(IntegrityError), transaction.atomic():
        _award(cfo, "rsu-2024")  # another executive of the same company
    other = Company.objects.create(name="Other Inc.")
    assert _award(_executive(other, "ceo"), "rsu-2024").company == other  # another company may


def test_an_award_moved_to_another_executive_keeps_its_companys_key(company):
    ceo, cfo = _executive(company, "ceo"), _executive(company, "cfo")
    item = _award(ceo, "rsu-2024")
    item.executive = cfo
    item.save()
    item.refresh_from_db()
    assert (item.executive, item.company) == (cfo, company)


def test_a_scenario_giving_a_known_award_key_to_another_executive_is_refused(users):
    company = Company.objects.create(name="Example Corp")
    import_scenario_file(
        actor=users["secretary"], company=company, text=example_path(1).read_text(), title="One"
    )
    data = load_example(1)
    for item in data["awards"]:
        if item["id"] == "cfo-fy2024-bonus":
            item["executive"] = "ceo"
    preview = preview_scenario_import(company=company, text=json.dumps(data))
    assert "Award cfo-fy2024-bonus belongs to executive cfo in the company, not to ceo." in preview.conflicts
    with pytest.raises(Exception, match="belongs to executive cfo"):
        import_scenario_file(actor=users["secretary"], company=company, text=json.dumps(data), title="Two")
    assert Restatement.objects.count() == 1


# --- Impracticability on the retirement-plan ground; recoveries from successors -----------------------------


def test_the_retirement_plan_ground_keeps_the_plan_in_its_own_field(users):
    case = in_recovery(users)
    claim = case.claims.get(executive__key="evp")
    record = recovery.determine_impracticable(
        actor=users["secretary"],
        claim=claim,
        decision=impracticability_decision(case, users),
        ground=Impracticability.Ground.RETIREMENT_PLAN,
        amount_forgone=Decimal("10000.00"),
        plan_description="Harbor Pension Plan (all US employees): an offset would breach 401(a)(13).",
        opinion="Benefits counsel memo of 2027-01-04",
        now=NOW,
    )
    record.refresh_from_db()
    assert record.plan_description.startswith("Harbor Pension Plan")
    assert record.opinion == "Benefits counsel memo of 2027-01-04"
    api = APIClient()
    api.force_authenticate(users["auditor"])
    (shown,) = api.get(f"/api/clawback/claims/{claim.pk}/").json()["impracticabilities"]
    assert shown["plan_description"].startswith("Harbor Pension Plan")


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"ground": "retirement_plan", "plan_description": ""}, "impracticability_plan_described"),
        ({"ground": "expense", "third_party_cost": Decimal("5000"), "attempts": "Letters"}, "expense"),
        ({"ground": "expense", "third_party_cost": Decimal("50000"), "attempts": ""}, "expense"),
        ({"ground": "home_country_law", "law_adopted_on": date(2023, 1, 1), "opinion": "Op."}, "home_law"),
        ({"ground": "home_country_law", "law_adopted_on": date(2020, 1, 1), "opinion": ""}, "home_law"),
    ],
)
def test_the_database_refuses_an_undocumented_impracticability(users, fields, constraint):
    case = in_recovery(users)
    values = {
        "claim": case.claims.get(executive__key="evp"),
        "decision": impracticability_decision(case, users),
        "amount_forgone": Decimal("10000.00"),
        "provided_to_exchange_on": date(2027, 1, 5),
    } | fields
    with pytest.raises(IntegrityError, match=constraint):
        with transaction.atomic():
            Impracticability.objects.create(**values)


def test_each_recovery_names_the_party_it_was_recovered_from(users):
    case = in_recovery(users)
    claim = case.claims.get(executive__key="evp")
    event = {"actor": users["secretary"], "method": "cash", "evidence": "Wire", "now": NOW}
    recovery.record_recovery_event(
        claim=claim, occurred_on=date(2026, 12, 20), amount=Decimal("20000"), **event
    )
    recovery.set_claim_party(
        actor=users["secretary"],
        claim=claim,
        sought_from="executor",
        party_name="J. Lindqvist, executor",
        now=NOW,
    )
    recovery.record_recovery_event(
        claim=claim, occurred_on=date(2027, 1, 10), amount=Decimal("30000"), **event
    )
    assert [(e.recovered_from, e.party_name) for e in RecoveryEvent.objects.order_by("occurred_on")] == [
        ("executive", ""),
        ("executor", "J. Lindqvist, executor"),
    ]
    client = Client()
    client.force_login(users["auditor"])
    html = client.get(reverse("clawback:case-workflow", args=[case.pk])).content.decode()
    assert "from Executor: J. Lindqvist, executor" in html


# --- Query counts --------------------------------------------------------------------------------------------


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def _more_activity(case, users, n):
    """n more recoveries on each claim and n more impracticability decisions."""
    for claim in case.claims.all():
        for _ in range(n):
            recovery.record_recovery_event(
                actor=users["secretary"], claim=claim, occurred_on=date(2027, 1, 2), method="cash",
                amount=Decimal("100"), evidence="Wire", now=NOW,
            )  # fmt: skip
    for _ in range(n):
        impracticability_decision(case, users)


def test_the_workflow_panel_and_claims_cost_the_same_queries_as_activity_grows(users):
    case = in_recovery(users)
    client = Client()
    client.force_login(users["committee"])
    api = APIClient()
    api.force_authenticate(users["auditor"])
    urls = [
        reverse("clawback:case-workflow", args=[case.pk]),
        reverse("clawback:restatement-detail", args=[case.pk]),
    ]
    _more_activity(case, users, 1)
    few = [_count(client, url) for url in urls] + [
        _count(api, f"/api/clawback/claims/?restatement={case.pk}")
    ]
    _more_activity(case, users, 6)
    many = [_count(client, url) for url in urls] + [
        _count(api, f"/api/clawback/claims/?restatement={case.pk}")
    ]
    assert few == many


def test_the_disclosure_page_costs_the_same_queries_for_one_or_three_cases(users):
    case = in_recovery(users)
    client = Client()
    client.force_login(users["auditor"])
    url = reverse("clawback:disclosure") + "?year=FY2027&prepared_on=2027-11-15"
    few = _count(client, url)
    for n in range(2):
        # Other executives and awards: the first case's inputs (and approval) stay as they are.
        data = load_example(2)
        for item in data["executives"]:
            item["id"] += f"{n}"
        for item in data["awards"]:
            item["id"] += f"-{n}"
            item["executive"] += f"{n}"
        more = import_scenario_file(
            actor=users["secretary"], company=case.company, text=json.dumps(data), title=f"Case {n}", now=NOW
        )
        workflow.submit_for_review(actor=users["secretary"], case=more, now=NOW)
    assert Restatement.objects.filter(company=case.company).count() == 3
    assert _count(client, url) == few


def test_the_worksheet_costs_the_same_queries_for_2_or_8_covered_executives(users):
    case = in_recovery(users)
    client = Client()
    client.force_login(users["committee"])
    url = reverse("clawback:restatement-worksheet", args=[case.pk])
    few = _count(client, url)
    for n in range(6):
        executive = _executive(case.company, f"vp{n}")
        case.covered_executives.add(executive)
        Award.objects.create(
            executive=executive, key=f"vp{n}-bonus", award_type="cash_bonus", basis="discretionary",
            performance_start=date(2024, 10, 1), performance_end=date(2025, 9, 30), received=Decimal(1000),
        )  # fmt: skip
    assert award(case, "vp5-bonus").company == case.company
    assert _count(client, url) == few
