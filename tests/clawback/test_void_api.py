"""Voiding over the API: a record made by mistake is voided with a reason, never deleted. It leaves the lists,
comes back with `?show_voided=1` (who, when, why), and the audit trail has a `void` entry; a void without a
reason, or one the service refuses, is a 400; DELETE is a 405 everywhere. Also: amounts typed as people
write them, and updates that merge rather than replace."""

import json
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIClient

from clawback.models import (
    Award,
    AwardComponent,
    AwardCredit,
    Executive,
    Measure,
    OfficerPeriod,
    ReasonableEstimate,
    RestatedValue,
    RestatementEvent,
)
from compliance_site.api.fields import AmountField
from compliance_site.audit.models import AuditEvent
from tests.clients import api_error, post_json
from tests.factories import AwardFactory, ExecutiveFactory, MeasureFactory, UserFactory

BASE = "/api/clawback"
REASON = "Entered twice by mistake; see ticket 42."


@pytest.fixture
def records(users, clawback_case):
    """One record of each voidable kind, none of which anything live rests on (except where noted)."""
    company = clawback_case.company
    cfo = clawback_case.covered_executives.get(key="cfo")
    former = Executive.objects.create(company=company, key="former", name="Former Officer")
    early = OfficerPeriod.objects.create(executive=former, start=date(2010, 1, 1), end=date(2012, 12, 31))
    OfficerPeriod.objects.create(executive=former, start=date(2015, 1, 1))
    revenue = MeasureFactory(company=company, key="revenue", name="Revenue", category="revenue")
    fy2024 = revenue.values.create(period_label="FY2024", original=Decimal("1000"))
    fy2025 = revenue.values.create(period_label="FY2025", original=Decimal("1100"))
    unused = MeasureFactory(company=company, key="unused", name="Unused")
    award = AwardFactory(executive=cfo, key="cfo-bonus", requires_estimate=True)
    scorecard = Award.objects.create(
        executive=cfo,
        key="cfo-scorecard",
        award_type="cash_bonus",
        basis="financial_reporting_measure",
        performance_start=date(2024, 1, 1),
        performance_end=date(2024, 12, 31),
        scorecard_target=Decimal("100000"),
        received=Decimal("90000"),
    )
    goal = AwardComponent.objects.create(
        award=scorecard, position=0, basis="operational_goal", weight=Decimal("0.5"), factor=Decimal("1")
    )
    AwardComponent.objects.create(
        award=scorecard, position=1, basis="discretionary", weight=Decimal("0.5"), factor=Decimal("1")
    )
    now = timezone.now()
    credit = AwardCredit.objects.create(
        award=award,
        amount=Decimal("500"),
        recovered_on=date(2025, 1, 1),
        source="sox_304",
        reference="Order 1",
        recorded_by=users["secretary"],
        recorded_at=now,
    )
    event = RestatementEvent.objects.create(
        restatement=clawback_case, kind="board_concluded", date=date(2026, 3, 2)
    )
    restated = RestatedValue.objects.create(restatement=clawback_case, value=fy2024, restated=Decimal("900"))
    estimate = ReasonableEstimate.objects.create(
        restatement=clawback_case,
        award=award,
        restated_value=Decimal("10"),
        method="Event study",
        documents="memo.pdf",
        adopted_on=date(2026, 3, 1),
        recorded_by=users["secretary"],
    )
    return SimpleNamespace(**locals())


def _rows(body, key=None) -> list[dict]:
    return body["results"] if key is None else body[key]


# kind: (the record, its void URL, the list that shows it: a list endpoint, or a record's detail with the list
# under a key)
CASES = {
    "executive": (
        lambda r: r.former,
        lambda r: f"{BASE}/executives/{r.former.pk}/void/",
        lambda r: f"{BASE}/executives/",
        None,
    ),
    "officer_period": (
        lambda r: r.early,
        lambda r: f"{BASE}/executives/{r.former.pk}/officer-periods/{r.early.pk}/void/",
        lambda r: f"{BASE}/executives/{r.former.pk}/",
        "officer_periods",
    ),
    "measure": (
        lambda r: r.unused,
        lambda r: f"{BASE}/measures/{r.unused.pk}/void/",
        lambda r: f"{BASE}/measures/",
        None,
    ),
    "measure_value": (
        lambda r: r.fy2025,
        lambda r: f"{BASE}/measures/{r.revenue.pk}/values/{r.fy2025.pk}/void/",
        lambda r: f"{BASE}/measures/{r.revenue.pk}/",
        "values",
    ),
    "award": (
        lambda r: r.scorecard,
        lambda r: f"{BASE}/awards/{r.scorecard.pk}/void/",
        lambda r: f"{BASE}/awards/",
        None,
    ),
    "award_goal": (
        lambda r: r.goal,
        lambda r: f"{BASE}/awards/{r.scorecard.pk}/components/{r.goal.pk}/void/",
        lambda r: f"{BASE}/awards/{r.scorecard.pk}/",
        "components",
    ),
    "credit": (
        lambda r: r.credit,
        lambda r: f"{BASE}/awards/{r.award.pk}/credits/{r.credit.pk}/void/",
        lambda r: f"{BASE}/awards/{r.award.pk}/",
        "credits",
    ),
    "event": (
        lambda r: r.event,
        lambda r: f"{BASE}/restatements/{r.clawback_case.pk}/events/{r.event.pk}/void/",
        lambda r: f"{BASE}/restatements/{r.clawback_case.pk}/",
        "events",
    ),
    "restated_value": (
        lambda r: r.restated,
        lambda r: f"{BASE}/restatements/{r.clawback_case.pk}/restated-values/{r.restated.pk}/void/",
        lambda r: f"{BASE}/restatements/{r.clawback_case.pk}/",
        "restated_values",
    ),
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_a_voided_record_leaves_the_list_and_stays_in_the_history(api, users, records, kind):
    record_of, void_url, list_url, key = CASES[kind]
    record = record_of(records)
    reader = api("auditor")

    def ids(**query):
        return [row["id"] for row in _rows(reader.get(list_url(records), query).json(), key)]

    assert record.pk in ids()

    response = post_json(api(), void_url(records), {"reason": f"  {REASON}  "})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["voided_by"], body["void_reason"]) == (record.pk, "secretary", REASON)
    assert body["voided_at"]

    assert record.pk not in ids()
    assert record.pk not in ids(show_voided="0")
    shown = reader.get(list_url(records), {"show_voided": "1"})
    assert shown.status_code == 200, shown.content
    voided = next(row for row in _rows(shown.json(), key) if row["id"] == record.pk)
    assert (voided["voided_by"], voided["void_reason"]) == ("secretary", REASON)
    assert voided["voided_at"] == body["voided_at"]

    audit = AuditEvent.objects.get(
        object_type=record._meta.label_lower, object_id=str(record.pk), verb="void"
    )
    assert (audit.actor, audit.reason) == (users["secretary"], REASON)
    assert type(record).all_objects.filter(pk=record.pk).exists()  # never deleted


def test_voiding_an_estimate(api, users, records):
    url = f"{BASE}/restatements/{records.clawback_case.pk}/estimates/{records.estimate.pk}/void/"
    # A recused member takes no part in the case's estimates.
    assert api_error(post_json(api("committee2"), url, {"reason": REASON}), 403)
    response = post_json(api(), url, {"reason": REASON})
    assert response.status_code == 200, response.content
    assert (response.json()["voided_by"], response.json()["award"]) == ("secretary", records.award.pk)
    assert not ReasonableEstimate.objects.filter(pk=records.estimate.pk).exists()
    assert AuditEvent.objects.filter(object_type="clawback.reasonableestimate", verb="void").exists()


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}])
def test_a_void_needs_a_reason(api, records, body):
    error = api_error(post_json(api(), f"{BASE}/executives/{records.former.pk}/void/", body), 400)
    assert "reason" in error["fields"]
    assert Executive.objects.filter(pk=records.former.pk).exists()
    assert not AuditEvent.objects.filter(verb="void").exists()


def test_voiding_twice_is_refused_by_the_service(api, records):
    url = f"{BASE}/measures/{records.unused.pk}/void/"
    assert post_json(api(), url, {"reason": REASON}).status_code == 200
    error = api_error(post_json(api(), url, {"reason": REASON}), 400)
    assert "already voided" in error["message"]


def test_voiding_a_measure_an_award_uses_is_refused_with_the_services_message(api, records):
    Award.objects.filter(pk=records.award.pk).update(measure=records.revenue, measure_period="FY2024")
    error = api_error(
        post_json(api(), f"{BASE}/measures/{records.revenue.pk}/void/", {"reason": REASON}), 400
    )
    assert "cfo-bonus" in error["message"] and "void or change them first" in error["message"]
    assert error["fields"]["non_field_errors"] == [error["message"]]
    assert Measure.objects.filter(pk=records.revenue.pk).exists()
    # So is its value for the period the award is measured on; another period may go.
    value_url = f"{BASE}/measures/{records.revenue.pk}/values/{records.fy2024.pk}/void/"
    assert "cfo-bonus" in api_error(post_json(api(), value_url, {"reason": REASON}), 400)["message"]


def test_the_last_goal_of_a_scorecard_and_the_only_period_of_service_stay(api, records):
    goals = list(records.scorecard.components.all())
    url = f"{BASE}/awards/{records.scorecard.pk}/components/"
    assert post_json(api(), f"{url}{goals[0].pk}/void/", {"reason": REASON}).status_code == 200
    error = api_error(post_json(api(), f"{url}{goals[1].pk}/void/", {"reason": REASON}), 400)
    assert "at least one goal" in error["message"]
    cfo = records.cfo
    only = cfo.officer_periods.get()
    url = f"{BASE}/executives/{cfo.pk}/officer-periods/{only.pk}/void/"
    assert "officer_periods" in api_error(post_json(api(), url, {"reason": REASON}), 400)["fields"]


def test_nothing_is_deletable(api, records):
    client = api("admin")
    urls = [make(records) for _, make, _, _ in CASES.values()]
    urls += [list_url(records) for _, _, list_url, _ in CASES.values()]
    urls += [
        f"{BASE}/executives/{records.former.pk}/update/",
        f"{BASE}/awards/{records.award.pk}/credits/",
        f"{BASE}/restatements/{records.clawback_case.pk}/restated-values/",
        f"{BASE}/restatements/{records.clawback_case.pk}/estimates/{records.estimate.pk}/void/",
    ]
    for url in urls:
        assert api_error(client.delete(url), 405)["code"] == "method_not_allowed", url
    assert Executive.objects.filter(pk=records.former.pk).exists()
    assert RestatedValue.objects.filter(pk=records.restated.pk).exists()


@pytest.mark.parametrize("role", ["auditor", "board", "counsel", "officer", "employee"])
def test_voiding_needs_clawback_manage(api, records, role):
    for _, make, _, _ in CASES.values():
        assert (
            api_error(post_json(api(role), make(records), {"reason": REASON}), 403)["code"]
            == "permission_denied"
        )
    assert not AuditEvent.objects.filter(verb="void").exists()


def test_records_the_caller_may_not_see_are_404(records):
    member = UserFactory(username="committee-exec", roles=["committee"])
    own = ExecutiveFactory(company=records.company, key="cao", user=member)
    client = APIClient()
    client.force_authenticate(member)
    assert api_error(post_json(client, f"{BASE}/executives/{own.pk}/void/", {"reason": REASON}), 404)
    period = own.officer_periods.get()
    url = f"{BASE}/executives/{own.pk}/officer-periods/{period.pk}/void/"
    assert api_error(post_json(client, url, {"reason": REASON}), 404)
    # A child of another parent is not found through this one.
    other = f"{BASE}/executives/{records.former.pk}/officer-periods/{period.pk}/void/"
    assert api_error(post_json(client, other, {"reason": REASON}), 404)
    assert api_error(post_json(client, f"{BASE}/awards/0/void/", {"reason": REASON}), 404)
    # A covered executive never reaches the case about their own pay.
    records.clawback_case.covered_executives.add(own)
    url = f"{BASE}/restatements/{records.clawback_case.pk}/events/{records.event.pk}/void/"
    assert api_error(post_json(client, url, {"reason": REASON}), 404)


def test_show_voided_is_a_boolean(api, records):
    assert (
        "show_voided"
        in api_error(api("auditor").get(f"{BASE}/measures/", {"show_voided": "maybe"}), 400)["fields"]
    )


# --- Merging updates and typed amounts -------------------------------------------------------------------


def test_a_measure_update_giving_only_fy2025_keeps_fy2024(api, company):
    measure = {"key": "net_income", "name": "Net income", "category": "net_income"}
    values = [
        {"period_label": "FY2024", "original": "240000000"},
        {"period_label": "FY2025", "original": "1"},
    ]
    created = post_json(api(), f"{BASE}/measures/create/", measure | {"values": values})
    assert created.status_code == 201, created.content
    url = f"{BASE}/measures/{created.json()['id']}/update/"
    response = post_json(
        api(), url, measure | {"values": [{"period_label": "FY2025", "original": "950,000,000"}]}
    )
    assert response.status_code == 200, response.content
    assert [(v["period_label"], v["original"]) for v in response.json()["values"]] == [
        ("FY2024", "240000000.000000"),
        ("FY2025", "950000000.000000"),
    ]


def test_an_awards_received_amount_may_be_typed_with_dollars_and_commas(api, calendar):
    executive = ExecutiveFactory(company=calendar, key="cfo")
    data = {
        "executive": executive.pk,
        "key": "cfo-fy2024-bonus",
        "award_type": "cash_bonus",
        "basis": "time_vested",
        "performance_start": "2024-01-01",
        "performance_end": "2024-12-31",
        "received": "$1,000,000",
    }
    response = post_json(api(), f"{BASE}/awards/create/", data)
    assert response.status_code == 201, response.content
    assert response.json()["received"] == "1000000.0000"
    assert Award.objects.get().received == Decimal("1000000")


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("$1,000,000", "1000000"),
        ("950,000,000", "950000000"),
        ("-$1,250.50", "-1250.50"),
        ("$-5", "-5"),
        ("1000000.25", "1000000.25"),
        (1000000, "1000000"),
        (12.5, "12.5"),
    ],
)
def test_amount_field_reads_what_people_type(typed, read):
    assert AmountField(max_digits=20, decimal_places=4).to_internal_value(typed) == Decimal(read)


@pytest.mark.parametrize("typed", ["1,00", "$$5", "1,000,00", "(1,000)", "$", "abc", "1,000.5.5"])
def test_amount_field_refuses_what_it_cannot_read(typed):
    with pytest.raises(serializers.ValidationError):
        AmountField(max_digits=20, decimal_places=4).to_internal_value(typed)


def test_amount_field_keeps_the_columns_limits():
    with pytest.raises(serializers.ValidationError):
        AmountField(max_digits=6, decimal_places=2).to_internal_value("$1,000,000")


def test_show_voided_lists_cost_the_same_queries_whatever_their_length(api, users, company):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api("auditor")

    def add_voided_measure():
        measure = MeasureFactory(company=company)
        value = measure.values.create(period_label="FY2024", original=1)
        for record in (value, measure):
            type(record).all_objects.filter(pk=record.pk).update(
                voided_at=timezone.now(), voided_by=users["secretary"], void_reason=REASON
            )

    def count():
        client.get(f"{BASE}/measures/", {"show_voided": "1"})
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{BASE}/measures/", {"show_voided": "1"})
        assert response.status_code == 200
        return len(captured.captured_queries), response.json()["count"]

    add_voided_measure()
    one, listed = count()
    assert listed == 1
    for _ in range(5):
        add_voided_measure()
    assert count() == (one, 6)


# --- The recovery ledger: a mistaken entry is reversed, never changed or deleted -------------------------


def test_a_recovery_entry_is_reversed_by_a_negated_entry(api, users, records):
    from clawback.models import RecoveryClaim, RecoveryEvent, Restatement

    case = records.clawback_case
    Restatement.objects.filter(pk=case.pk).update(status="recovery")
    claim = RecoveryClaim.objects.create(
        restatement=case,
        executive=records.cfo,
        amount_owed=Decimal("1000.00"),
        determined_on=date(2026, 3, 1),
    )
    entry = RecoveryEvent.objects.create(
        claim=claim,
        occurred_on=date(2026, 3, 5),
        method="cash",
        amount=Decimal("400.00"),
        evidence="Wire 1",
        recorded_by=users["secretary"],
    )
    url = f"{BASE}/claims/{claim.pk}/events/{entry.pk}/reverse/"
    assert "reason" in api_error(post_json(api(), url, {"reason": ""}), 400)["fields"]
    assert api_error(post_json(api("committee2"), url, {"reason": REASON}), 403)  # recused
    assert api_error(post_json(api("auditor"), url, {"reason": REASON}), 403)
    response = post_json(api(), url, {"reason": REASON})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["reverses"], body["amount"], body["reversal_reason"]) == (entry.pk, "-400.00", REASON)
    refused = api_error(post_json(api(), url, {"reason": REASON}), 400)
    assert "already been reversed" in json.dumps(refused["fields"])
    assert RecoveryEvent.objects.filter(claim=claim).count() == 2
    assert api_error(api().delete(url), 405)
    other = f"{BASE}/claims/{claim.pk}/events/999999/reverse/"
    assert api_error(post_json(api(), other, {"reason": REASON}), 404)
