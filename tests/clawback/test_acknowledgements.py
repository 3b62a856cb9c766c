"""Covered executives' acknowledgements of each clawback policy version (policy "Other Recovery Rights": a
condition of award agreements), recorded from their evidence — a former executive without a sign-in
included — and reported when missing, on a page and over the API."""

import json
from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from clawback.models import Executive, OfficerPeriod
from clawback.selectors import acknowledgement_report, acknowledgement_statuses
from clawback.services import records as services
from compliance_site.company.models import PolicyAcknowledgement, PolicyVersion
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
SIGNED = datetime(2026, 2, 3, 14, 0, tzinfo=UTC)


def _executive(company, key, name, *, start, end=None, user=None) -> Executive:
    executive = Executive.objects.create(company=company, key=key, name=name, user=user)
    OfficerPeriod.objects.create(executive=executive, start=start, end=end)
    return executive


@pytest.fixture
def policy(db):
    """The seeded clawback policy 1.0: effective 2023-12-01, approved 2023-11-15."""
    return PolicyVersion.objects.get(kind="clawback", version="1.0")


@pytest.fixture
def people(company):
    """A CEO who acknowledged signed in, a CFO who has not, a former EVP (left 2025, no sign-in) who has not,
    and a former controller who left before the policy took effect."""
    return {
        "ceo": _executive(
            company, "ceo", "Avery Chen", start=date(2015, 1, 1), user=UserFactory(username="avery")
        ),
        "cfo": _executive(company, "cfo", "Blake Ortiz", start=date(2024, 9, 1)),
        "evp": _executive(company, "evp", "Casey Lindqvist", start=date(2018, 1, 1), end=date(2025, 3, 31)),
        "old": _executive(company, "old", "Dana Old", start=date(2010, 1, 1), end=date(2020, 12, 31)),
    }


@pytest.fixture
def ceo_signed_in(policy, people):
    return PolicyAcknowledgement.objects.create(
        policy=policy, user=people["ceo"].user, acknowledged_at=datetime(2024, 1, 2, tzinfo=UTC)
    )


# --- The service ---------------------------------------------------------------------------------------------


def test_a_former_executive_without_a_sign_in_is_recorded_from_the_paper_form(users, policy, people):
    acknowledgement = services.record_policy_acknowledgement(
        actor=users["secretary"],
        policy=policy,
        executive=people["evp"],
        acknowledged_at=SIGNED,
        evidence="Signed acknowledgement form of 2026-02-03, HR personnel file",
        now=NOW,
    )
    acknowledgement.refresh_from_db()
    assert acknowledgement.executive == people["evp"] and acknowledgement.user is None
    assert acknowledgement.recorded_by == users["secretary"]
    assert acknowledgement.evidence.startswith("Signed acknowledgement form")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"evidence": "  "}, "evidence", "Say what shows the acknowledgement"),
        ({"acknowledged_at": datetime(2026, 12, 1, tzinfo=UTC)}, "acknowledged_at", "in the future"),
        ({"acknowledged_at": datetime(2023, 11, 1, tzinfo=UTC)}, "acknowledged_at", "approved on 2023-11-15"),
        ({"executive": "ceo"}, "executive", "already acknowledged"),  # signed in: counts as theirs
    ],
)
def test_an_acknowledgement_is_refused_without_what_it_needs(
    users, policy, people, ceo_signed_in, changes, field, message
):
    data = {"executive": people["evp"], "acknowledged_at": SIGNED, "evidence": "Signed form"}
    data |= {k: people[v] if k == "executive" else v for k, v in changes.items()}
    with pytest.raises(ValidationError) as caught:
        services.record_policy_acknowledgement(actor=users["secretary"], policy=policy, now=NOW, **data)
    assert message in " ".join(caught.value.message_dict[field])
    assert not PolicyAcknowledgement.objects.filter(executive__isnull=False).exists()


def test_only_an_approved_clawback_policy_is_acknowledged_here(users, people):
    regfd = PolicyVersion.objects.get(kind="regfd", version="1.0")
    with pytest.raises(ValidationError) as caught:
        services.record_policy_acknowledgement(
            actor=users["secretary"], policy=regfd, executive=people["cfo"], acknowledged_at=SIGNED,
            evidence="x", now=NOW,
        )  # fmt: skip
    assert "clawback policy" in caught.value.message_dict["policy"][0]


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"user": "avery", "executive": "ceo", "evidence": "x"}, "policyack_user_or_executive"),
        ({"evidence": "x"}, "policyack_user_or_executive"),
        ({"executive": "evp"}, "policyack_executive_evidence"),
    ],
)
def test_the_database_keeps_one_of_user_or_executive_and_the_evidence(policy, people, fields, constraint):
    values = {"policy": policy, "acknowledged_at": SIGNED, "evidence": fields.get("evidence", "")}
    if "user" in fields:
        values["user"] = people["ceo"].user
    if "executive" in fields:
        values["executive"] = people[fields["executive"]]
    with pytest.raises(IntegrityError, match=constraint):
        with transaction.atomic():
            PolicyAcknowledgement.objects.create(**values)


def test_the_database_records_an_executive_once_per_version(policy, people):
    PolicyAcknowledgement.objects.create(
        policy=policy, executive=people["evp"], acknowledged_at=SIGNED, evidence="Form"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyAcknowledgement.objects.create(
            policy=policy, executive=people["evp"], acknowledged_at=SIGNED, evidence="Form again"
        )


# --- Who must acknowledge, who has not ------------------------------------------------------------------------


def test_the_report_says_who_must_acknowledge_and_who_has(users, policy, people, ceo_signed_in):
    statuses = {s.executive.key: s for s in acknowledgement_report(users["auditor"], policy)}
    assert {k: (s.required, s.acknowledged_at is not None, s.missing) for k, s in statuses.items()} == {
        "ceo": (True, True, False),  # acknowledged signed in
        "cfo": (True, False, True),
        "evp": (True, False, True),  # left in 2025, after the effective date: still must
        "old": (False, False, False),  # left in 2020, before it: never had to
    }
    order = [s.executive.key for s in acknowledgement_report(users["auditor"], policy)]
    assert order[:2] == ["cfo", "evp"]  # missing first


def test_the_report_never_shows_the_viewer_their_own_row(users, policy, people):
    people["cfo"].user = users["auditor"]
    people["cfo"].save()
    keys = [s.executive.key for s in acknowledgement_report(users["auditor"], policy)]
    assert "cfo" not in keys


def test_the_report_page_lists_the_missing_and_a_manager_records_one(users, policy, people, ceo_signed_in):
    url = reverse("clawback:acknowledgement-list")
    auditor = Client()
    auditor.force_login(users["auditor"])
    response = auditor.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-missing="2"' in html and "2 of 3" in html
    assert html.count('data-testid="acknowledgement-missing"') == 2
    assert 'data-testid="acknowledgement-form"' not in html
    assert auditor.post(url, {"executive": people["evp"].pk}).status_code == 403

    secretary = Client()
    secretary.force_login(users["secretary"])
    form = secretary.get(url).context["form"]
    assert {x.key for x in form.fields["executive"].queryset} == {"cfo", "evp", "old"}
    response = secretary.post(
        url,
        {
            "policy": policy.pk,
            "executive": people["evp"].pk,
            "acknowledged_at": "2026-02-03T09:00",
            "evidence": "Signed form, HR file",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert PolicyAcknowledgement.objects.filter(executive=people["evp"], policy=policy).exists()
    response = auditor.get(url + "?missing=1")
    assert [s.executive.key for s in response.context["statuses"]] == ["cfo"]


def test_a_bad_acknowledgement_is_shown_on_the_form(users, policy, people):
    client = Client()
    client.force_login(users["secretary"])
    response = client.post(
        reverse("clawback:acknowledgement-list"),
        {
            "policy": policy.pk,
            "executive": people["evp"].pk,
            "acknowledged_at": "2026-02-03T09:00",
            "evidence": "",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["evidence"]


def test_an_unknown_policy_version_is_404(users, people):
    client = Client()
    client.force_login(users["auditor"])
    assert client.get(reverse("clawback:acknowledgement-list") + "?policy=999999").status_code == 404
    regfd = PolicyVersion.objects.get(kind="regfd")
    assert client.get(reverse("clawback:acknowledgement-list") + f"?policy={regfd.pk}").status_code == 404


def test_the_report_page_costs_the_same_queries_for_4_and_24_executives(users, policy, people, company):
    client = Client()
    client.force_login(users["auditor"])
    url = reverse("clawback:acknowledgement-list")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for n in range(20):
        executive = _executive(company, f"vp-{n}", f"Vice President {n}", start=date(2020, 1, 1))
        if n % 2:
            PolicyAcknowledgement.objects.create(
                policy=policy, executive=executive, acknowledged_at=SIGNED, evidence="Form"
            )
    assert count() == few


def test_statuses_take_two_queries_whatever_the_number(policy, people):
    executives = Executive.objects.prefetch_related("officer_periods")
    with CaptureQueriesContext(connection) as queries:
        acknowledgement_statuses(policy, executives)
    assert len(queries) == 3  # executives, their officer periods, the acknowledgements


# --- The API -------------------------------------------------------------------------------------------------


def test_the_api_reports_and_records_acknowledgements(users, policy, people, ceo_signed_in):
    client = APIClient()
    client.force_authenticate(users["secretary"])
    report = client.get("/api/clawback/acknowledgements/").json()
    assert (report["policy"], report["required"], report["missing"]) == (policy.pk, 3, 2)
    rows = {row["key"]: row for row in report["executives"]}
    assert rows["evp"]["missing"] is True and rows["old"]["required"] is False
    body = {
        "policy": policy.pk,
        "executive": people["evp"].pk,
        "acknowledged_at": "2026-02-03T09:00:00-05:00",
        "evidence": "Signed form, HR file",
    }
    response = client.post(
        "/api/clawback/acknowledgements/create/", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["executive"] == people["evp"].pk and response.json()["user"] is None
    assert client.get(f"/api/clawback/acknowledgements/?policy={policy.pk}").json()["missing"] == 1

    again = client.post(
        "/api/clawback/acknowledgements/create/", json.dumps(body), content_type="application/json"
    )
    assert again.status_code == 400 and "already acknowledged" in json.dumps(again.json())


def test_the_api_refuses_readers_writing(users, policy, people):
    client = APIClient()
    client.force_authenticate(users["auditor"])
    assert client.get("/api/clawback/acknowledgements/").status_code == 200
    body = {
        "policy": policy.pk,
        "executive": people["evp"].pk,
        "acknowledged_at": "2026-02-03T09:00:00Z",
        "evidence": "x",
    }
    assert client.post("/api/clawback/acknowledgements/create/", body, format="json").status_code == 403
