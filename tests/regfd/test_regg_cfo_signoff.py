"""Regulation G sign-off by the CFO (policy I.F: non-GAAP measures "reviewed in advance ... by our CFO";
docs/regfd-rules §2.6).

The two authorized officers are told apart by the title on their role (CEO, CFO; one of each at most). Only
the CFO signs off a review, or a delegate the CFO has named in the application, and only while that
delegation is live: from its first New York date to its last, not after its revocation, and while its
delegator is still the CFO. The review records the capacity it was signed in. Only the CFO names and revokes
delegates. Signing and naming a delegate are binding steps: a fresh second factor, on the pages and over the
API.
"""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from compliance_site.accounts.models import RoleAssignment
from compliance_site.accounts.roles import Role
from compliance_site.audit.models import AuditEvent
from compliance_site.lib.timefmt import EXCHANGE_TZ
from regfd.documents.snapshots import quarter_tables, quarterly_log_data
from regfd.models import NonGaapDelegation, NonGaapReview
from regfd.services import delegations as delegation_services
from regfd.services import records as services
from tests.accounts_mfa.conftest import enroll, totp_code
from tests.clients import api_error, api_for, client_for
from tests.factories import UserFactory
from tests.regfd.records_setup import ET, NOW, make_cfo, nongaap, titled

pytestmark = pytest.mark.django_db

API = "/api/regfd/"
CEO, CFO = RoleAssignment.Title.CEO, RoleAssignment.Title.CFO
TODAY = NOW.astimezone(ET).date()  # Tue 10 Mar 2026 in New York


@pytest.fixture
def ceo(users):
    return titled(users["officer"], CEO)


@pytest.fixture
def cfo(db):
    return make_cfo()


def delegate(cfo, person, *, now=NOW, valid_from=TODAY, valid_until=TODAY + timedelta(days=3), **kw):
    return delegation_services.delegate_nongaap_sign_off(
        actor=cfo,
        now=now,
        delegate=person,
        valid_from=valid_from,
        valid_until=valid_until,
        reason=kw.pop("reason", "On leave over the Q1 release."),
    )


def sign(actor, review, *, now=NOW):
    return services.sign_off_nongaap_review(actor=actor, review=review, now=now)


def at_et(day: date, hour: int = 11) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ET)


TODAY_RELEASE = at_et(TODAY + timedelta(days=10), 16)


# ---------------------------------------------------------------------------------------------------------
# The officers' titles
# ---------------------------------------------------------------------------------------------------------


def test_a_title_goes_only_with_the_authorized_officer_role(users):
    assignment = RoleAssignment.objects.get(user=users["secretary"], role=Role.SECRETARY)
    assignment.title = CFO
    with pytest.raises(ValidationError, match="Only the Authorized Officer role carries a title"):
        assignment.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        assignment.save()


def test_there_is_at_most_one_cfo_and_one_ceo(users, cfo, ceo):
    second = UserFactory(username="cfo2", roles=[Role.OFFICER])
    assignment = RoleAssignment.objects.get(user=second, role=Role.OFFICER)
    assignment.title = CFO
    with pytest.raises(ValidationError, match="Another user already holds this title"):
        assignment.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        assignment.save()
    assignment.title = CEO
    with pytest.raises(ValidationError, match="Another user already holds this title"):
        assignment.full_clean()


def test_officers_are_named_with_their_title(users, cfo, ceo):
    assert cfo.name_with_title == "Blake Ortiz, CFO"
    assert ceo.name_with_title == f"{ceo}, CEO"
    assert users["secretary"].name_with_title == str(users["secretary"])


def test_officers_are_listed_with_their_title_on_the_spokespersons_page(users, cfo, ceo):
    page = client_for(users["secretary"]).get(reverse("regfd:spokesperson-list")).content.decode()
    assert "Blake Ortiz, CFO" in page and f"{ceo}, CEO" in page


def test_the_request_form_names_the_officers_with_their_title(users, cfo, ceo):
    page = client_for(users["employee"]).get(reverse("regfd:request-log")).content.decode()
    assert "Blake Ortiz, CFO" in page and f"{ceo}, CEO" in page


# ---------------------------------------------------------------------------------------------------------
# Who signs
# ---------------------------------------------------------------------------------------------------------


def test_the_ceo_is_refused(users, cfo, ceo):
    review = nongaap(users["secretary"])
    with pytest.raises(ValidationError, match="Only the CFO.*You are recorded as the CEO"):
        sign(ceo, review)
    review.refresh_from_db()
    assert review.signed_off_at is None and review.signed_off_by is None


def test_an_officer_without_a_title_is_not_taken_for_the_cfo(users):
    review = nongaap(users["secretary"])
    with pytest.raises(ValidationError, match="no CEO or CFO title"):
        sign(users["officer"], review)


@pytest.mark.parametrize("who", ["secretary", "admin", "counsel", "auditor", "board"])
def test_nobody_else_signs_without_a_delegation(users, cfo, who):
    with pytest.raises(ValidationError, match="Only the CFO"):
        sign(users[who], nongaap(users["secretary"]))


def test_the_cfo_signs_and_the_capacity_is_recorded(users, cfo):
    signed = sign(cfo, nongaap(users["secretary"]))
    assert signed.signed_off_by == cfo and signed.signed_off_at == NOW
    assert signed.signed_off_as == NonGaapReview.Capacity.CFO and signed.signed_under is None
    assert signed.sign_off_capacity() == "CFO"
    action = AuditEvent.objects.get(
        object_type="regfd.nongaapreview", object_id=str(signed.pk), verb="sign_off_nongaap_review"
    )
    assert action.actor == cfo and action.changes == {"capacity": "CFO"}


def test_a_cfo_who_left_no_longer_signs(users, cfo):
    cfo.is_active = False
    cfo.save()
    with pytest.raises(ValidationError, match="Only the CFO"):
        sign(cfo, nongaap(users["secretary"]))


# ---------------------------------------------------------------------------------------------------------
# Delegates
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "signs", "message"),
    [
        (at_et(TODAY - timedelta(days=1)), False, "starts on 2026-03-10"),
        (at_et(TODAY, 0), True, ""),
        (at_et(TODAY + timedelta(days=3), 23), True, ""),
        (at_et(TODAY + timedelta(days=4), 0), False, "ended on 2026-03-13"),
    ],
    ids=["before-valid-from", "first-day", "last-day", "after-valid-until"],
)
def test_a_delegate_signs_only_while_the_delegation_is_live(users, cfo, when, signs, message):
    delegation = delegate(cfo, users["secretary"], now=at_et(TODAY - timedelta(days=1)))
    review = nongaap(users["secretary"], release_at=TODAY_RELEASE)
    if not signs:
        with pytest.raises(ValidationError, match=message):
            sign(users["secretary"], review, now=when)
        return
    signed = sign(users["secretary"], review, now=when)
    assert signed.signed_off_by == users["secretary"]
    assert signed.signed_off_as == NonGaapReview.Capacity.DELEGATE and signed.signed_under == delegation
    assert signed.sign_off_capacity() == f"delegate of Blake Ortiz (CFO) under delegation #{delegation.pk}"


def test_a_revoked_delegation_signs_nothing(users, cfo):
    delegation = delegate(cfo, users["secretary"])
    delegation_services.revoke_nongaap_delegation(
        actor=cfo, delegation=delegation, reason="Back early.", now=NOW + timedelta(hours=1)
    )
    review = nongaap(users["secretary"])
    with pytest.raises(ValidationError, match=f"delegation #{delegation.pk} .* was revoked on 2026-03-10"):
        sign(users["secretary"], review, now=NOW + timedelta(hours=2))
    review.refresh_from_db()
    assert review.signed_off_at is None


def test_a_delegation_lapses_when_its_delegator_is_no_longer_the_cfo(users, cfo):
    delegation = delegate(cfo, users["secretary"])
    titled(cfo, "")
    titled(UserFactory(username="newcfo", roles=[Role.OFFICER]), CFO)
    with pytest.raises(ValidationError, match=f"delegation #{delegation.pk} .* no longer the CFO"):
        sign(users["secretary"], nongaap(users["secretary"]))


def test_the_ceo_signs_as_the_cfos_delegate(users, cfo, ceo):
    delegation = delegate(cfo, ceo)
    signed = sign(ceo, nongaap(users["secretary"]))
    assert signed.signed_off_as == "delegate" and signed.signed_under == delegation


def test_a_delegates_sign_off_keeps_its_capacity_after_the_revocation(users, cfo):
    delegation = delegate(cfo, users["secretary"])
    signed = sign(users["secretary"], nongaap(users["secretary"]))
    delegation_services.revoke_nongaap_delegation(
        actor=cfo, delegation=delegation, reason="Back early.", now=NOW + timedelta(hours=1)
    )
    signed.refresh_from_db()
    assert signed.signed_under == delegation and "under delegation" in signed.sign_off_capacity()


def test_the_review_is_still_checked_whoever_signs(users, cfo):
    delegate(cfo, users["secretary"])
    review = nongaap(users["secretary"], equal_prominence=False)
    with pytest.raises(ValidationError, match="prominence"):
        sign(users["secretary"], review)


# ---------------------------------------------------------------------------------------------------------
# Only the CFO names and revokes delegates
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["ceo", "secretary", "admin"])
def test_only_the_cfo_names_a_delegate(users, cfo, ceo, who):
    actor = ceo if who == "ceo" else users[who]
    with pytest.raises(ValidationError, match="Only the CFO names a delegate"):
        delegate(actor, users["counsel"] if who != "secretary" else users["admin"])
    assert not NonGaapDelegation.objects.exists()


@pytest.mark.parametrize(
    ("person", "changes", "field", "message"),
    [
        ("employee", {}, "delegate", "does not work on Regulation G reviews"),
        ("auditor", {}, "delegate", "does not work on Regulation G reviews"),
        ("cfo", {}, "delegate", "without a delegation"),
        ("secretary", {"valid_until": TODAY - timedelta(days=1)}, "valid_until", "cannot end before"),
        ("secretary", {"valid_from": TODAY - timedelta(days=1)}, "valid_from", "today or later"),
        ("secretary", {"reason": "  "}, "reason", "Say why"),
    ],
    ids=["employee", "auditor", "oneself", "ends-before-it-starts", "backdated", "no-reason"],
)
def test_a_delegation_is_refused_with_the_reason(users, cfo, person, changes, field, message):
    target = cfo if person == "cfo" else users[person]
    with pytest.raises(ValidationError) as refused:
        delegate(cfo, target, **changes)
    assert message in " ".join(refused.value.message_dict[field])


def test_one_live_delegation_per_person_at_a_time(users, cfo):
    first = delegate(cfo, users["secretary"])
    with pytest.raises(ValidationError, match=f"already holds delegation #{first.pk}"):
        delegate(cfo, users["secretary"], valid_from=TODAY + timedelta(days=2))
    later = delegate(
        cfo, users["secretary"], valid_from=TODAY + timedelta(days=4), valid_until=TODAY + timedelta(days=5)
    )
    assert later.pk != first.pk


def test_only_the_cfo_revokes_a_delegation_with_a_reason(users, cfo, ceo):
    delegation = delegate(cfo, users["secretary"])
    for actor in (ceo, users["secretary"]):
        with pytest.raises(ValidationError, match="Only the CFO revokes"):
            delegation_services.revoke_nongaap_delegation(
                actor=actor, delegation=delegation, reason="No", now=NOW
            )
    with pytest.raises(ValidationError, match="Say why"):
        delegation_services.revoke_nongaap_delegation(actor=cfo, delegation=delegation, reason=" ", now=NOW)
    revoked = delegation_services.revoke_nongaap_delegation(
        actor=cfo, delegation=delegation, reason="Back early.", now=NOW
    )
    assert (
        revoked.revoked_by == cfo and revoked.revoked_at == NOW and revoked.revocation_reason == "Back early."
    )
    with pytest.raises(ValidationError, match="already revoked"):
        delegation_services.revoke_nongaap_delegation(actor=cfo, delegation=delegation, reason="x", now=NOW)
    events = AuditEvent.objects.filter(object_type="regfd.nongaapdelegation", object_id=str(delegation.pk))
    verbs = set(events.values_list("verb", flat=True))
    assert {"delegate_nongaap_sign_off", "revoke_nongaap_delegation"} <= verbs


def test_the_database_keeps_a_delegation_coherent(users, cfo):
    row = NonGaapDelegation(
        delegator=cfo, delegate=cfo, valid_from=TODAY, valid_until=TODAY - timedelta(days=1), reason="x"
    )
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    text = " ".join(refused.value.messages)
    assert "cannot end before it starts" in text and "their own delegate" in text


# ---------------------------------------------------------------------------------------------------------
# Over the API
# ---------------------------------------------------------------------------------------------------------


def _review_over_the_api(secretary) -> int:
    payload = {
        "measure": "Adjusted EBITDA",
        "comparable_gaap_measure": "Net income",
        "document": "Q1 release",
        "reconciliation": "NI 10 + D&A 3 = 13",
        "equal_prominence": True,
        "release_at": (timezone.now() + timedelta(days=2)).isoformat(),
    }
    created = api_for(secretary).post(API + "nongaap-reviews/", payload, format="json")
    assert created.status_code == 201, created.content
    return created.json()["id"]


def test_api_the_ceo_is_refused_and_the_cfo_signs_as_cfo(users, cfo, ceo):
    pk = _review_over_the_api(users["secretary"])
    refused = api_error(api_for(ceo).post(API + f"nongaap-reviews/{pk}/sign-off/"), 400)
    assert "Only the CFO" in refused["message"] and "CEO" in refused["message"]
    api_error(api_for(users["auditor"]).post(API + f"nongaap-reviews/{pk}/sign-off/"), 403)
    signed = api_for(cfo).post(API + f"nongaap-reviews/{pk}/sign-off/")
    assert signed.status_code == 200, signed.content
    body = signed.json()
    assert body["signed_off_by"] == cfo.pk and body["signed_off_as"] == "cfo"
    assert body["signed_under"] is None and body["signed_off_capacity"] == "CFO"


def test_api_delegations_are_the_cfos_and_the_delegate_signs_under_one(users, cfo, ceo):
    today = timezone.now().astimezone(EXCHANGE_TZ).date()
    body = {
        "delegate": users["secretary"].pk,
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=2)).isoformat(),
        "reason": "Travelling to the investor conference.",
    }
    api_error(api_for(users["secretary"]).post(API + "nongaap-delegations/", body, format="json"), 403)
    refused = api_error(api_for(ceo).post(API + "nongaap-delegations/", body, format="json"), 400)
    assert "Only the CFO names a delegate" in refused["message"]
    created = api_for(cfo).post(API + "nongaap-delegations/", body, format="json")
    assert created.status_code == 201, created.content
    delegation = created.json()
    assert delegation["delegator"] == cfo.pk and delegation["delegate_name"] == str(users["secretary"])
    listed = api_for(users["auditor"]).get(API + "nongaap-delegations/?state=current").json()
    assert [row["id"] for row in listed["results"]] == [delegation["id"]]

    pk = _review_over_the_api(users["secretary"])
    signed = api_for(users["secretary"]).post(API + f"nongaap-reviews/{pk}/sign-off/")
    assert signed.status_code == 200, signed.content
    assert signed.json()["signed_off_as"] == "delegate" and signed.json()["signed_under"] == delegation["id"]
    assert signed.json()["signed_off_capacity"] == (
        f"delegate of Blake Ortiz (CFO) under delegation #{delegation['id']}"
    )

    revoke = API + f"nongaap-delegations/{delegation['id']}/revoke/"
    api_error(api_for(ceo).post(revoke, {"reason": "No"}, format="json"), 400)
    assert api_for(cfo).post(revoke, {"reason": "Trip cancelled."}, format="json").status_code == 200
    other = _review_over_the_api(users["secretary"])
    refused = api_error(api_for(users["secretary"]).post(API + f"nongaap-reviews/{other}/sign-off/"), 400)
    assert "was revoked" in refused["message"]


@pytest.mark.mfa
def test_api_signing_and_naming_a_delegate_need_a_fresh_second_factor(users, cfo, settings):
    settings.MFA_REQUIRED = True
    secret, _ = enroll(cfo)
    review = nongaap(users["secretary"], release_at=timezone.now() + timedelta(days=2))
    url = API + f"nongaap-reviews/{review.pk}/sign-off/"
    asked = api_error(api_for(cfo).post(url), 403)
    assert asked["code"] == "second_factor_required"
    today = timezone.now().astimezone(EXCHANGE_TZ).date()
    body = {"delegate": users["secretary"].pk, "valid_from": today, "valid_until": today, "reason": "Away"}
    asked = api_error(api_for(cfo).post(API + "nongaap-delegations/", body, format="json"), 403)
    assert asked["code"] == "second_factor_required"
    signed = api_for(cfo).post(url, HTTP_X_MFA_CODE=totp_code(secret))
    assert signed.status_code == 200, signed.content


# ---------------------------------------------------------------------------------------------------------
# On the pages
# ---------------------------------------------------------------------------------------------------------


def test_page_the_ceo_is_refused_and_the_cfo_signs_with_the_capacity_shown(users, cfo, ceo):
    review = nongaap(users["secretary"], release_at=timezone.now() + timedelta(days=2))
    detail = reverse("regfd:nongaap-detail", args=[review.pk])
    page = client_for(ceo).get(detail).content.decode()
    assert "Sign off (CFO)" not in page and "You are recorded as the CEO" in page
    refused = client_for(ceo).post(reverse("regfd:nongaap-sign-off", args=[review.pk]))
    assert refused.status_code == 400 and "Only the CFO" in refused.content.decode()

    assert "Sign off (CFO)" in client_for(cfo).get(detail).content.decode()
    assert client_for(cfo).post(reverse("regfd:nongaap-sign-off", args=[review.pk])).status_code == 302
    page = client_for(users["auditor"]).get(detail).content.decode()
    assert "Blake Ortiz, as CFO" in page


def test_page_the_cfo_names_a_delegate_who_signs_then_revokes(users, cfo, ceo):
    today = timezone.now().astimezone(EXCHANGE_TZ).date()
    form = {
        "delegate": users["secretary"].pk,
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=1)).isoformat(),
        "reason": "At the investor conference.",
    }
    create = reverse("regfd:nongaap-delegation-create")
    refused = client_for(ceo).post(create, form)
    assert refused.status_code == 400 and "Only the CFO names a delegate" in refused.content.decode()
    done = client_for(cfo).post(create, form)
    assert done.status_code == 302, done.content.decode()[:3000]
    delegation = NonGaapDelegation.objects.get()
    assert done["Location"] == reverse("regfd:nongaap-delegation-detail", args=[delegation.pk])
    listing = client_for(users["auditor"]).get(reverse("regfd:nongaap-delegation-list")).content.decode()
    assert str(users["secretary"]) in listing and "current" in listing

    review = nongaap(users["secretary"], release_at=timezone.now() + timedelta(days=2))
    detail = client_for(users["secretary"]).get(reverse("regfd:nongaap-detail", args=[review.pk]))
    assert f"Sign off as delegate of Blake Ortiz (delegation #{delegation.pk})" in detail.content.decode()
    signed = client_for(users["secretary"]).post(reverse("regfd:nongaap-sign-off", args=[review.pk]))
    assert signed.status_code == 302
    page = client_for(cfo).get(reverse("regfd:nongaap-detail", args=[review.pk])).content.decode()
    assert f"as delegate of Blake Ortiz (CFO) under delegation #{delegation.pk}" in page

    revoke = reverse("regfd:nongaap-delegation-revoke", args=[delegation.pk])
    assert client_for(ceo).post(revoke, {"reason": "No"}).status_code == 400
    assert client_for(cfo).post(revoke, {"reason": "Back early."}).status_code == 302
    delegation.refresh_from_db()
    assert delegation.revoked_by == cfo


@pytest.mark.mfa
def test_page_signing_asks_for_a_fresh_second_factor(users, cfo, settings):
    settings.MFA_REQUIRED = True
    enroll(cfo)
    review = nongaap(users["secretary"], release_at=timezone.now() + timedelta(days=2))
    asked = client_for(cfo).post(reverse("regfd:nongaap-sign-off", args=[review.pk]))
    assert asked.status_code == 302 and asked["Location"].startswith("/accounts/2fa/reauthenticate/")
    review.refresh_from_db()
    assert review.signed_off_at is None


def test_the_quarterly_log_says_in_which_capacity_each_review_was_signed(users, cfo):
    delegation = delegate(cfo, users["secretary"])
    sign(cfo, nongaap(users["secretary"], measure="Free cash flow"))
    sign(users["secretary"], nongaap(users["secretary"], measure="Adjusted EBITDA"))
    data = quarterly_log_data("2026-Q1")
    capacities = {r["measure"]: r["signed_off_as"] for r in data["reviews"]}
    assert capacities == {
        "Free cash flow": "CFO",
        "Adjusted EBITDA": f"delegate of Blake Ortiz (CFO) under delegation #{delegation.pk}",
    }
    table = quarter_tables(data)["regulation_g_reviews"]
    assert "signed_off_as" in str(table)


def test_lists_of_reviews_and_delegations_cost_the_same_for_2_and_12_rows(users, cfo):
    def add(first: int, count: int):
        for i in range(first, first + count):
            day = TODAY + timedelta(days=2 * i)
            delegate(cfo, users["secretary"], valid_from=day, valid_until=day)
            review = nongaap(users["secretary"], measure=f"Measure {i}", release_at=at_et(day, 16))
            sign(users["secretary"], review, now=at_et(day, 10))

    urls = [
        (client_for(users["auditor"]), reverse("regfd:nongaap-list")),
        (client_for(users["auditor"]), reverse("regfd:nongaap-delegation-list")),
        (api_for(users["auditor"]), API + "nongaap-reviews/"),
        (api_for(users["auditor"]), API + "nongaap-delegations/"),
    ]

    def queries() -> list[int]:
        counts = []
        for client, url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            counts.append(len(ctx.captured_queries))
        return counts

    add(0, 2)
    queries()  # warm the per-process caches (content types...) the first request fills
    few = queries()
    add(2, 10)
    assert queries() == few


# ---------------------------------------------------------------------------------------------------------
# The demo
# ---------------------------------------------------------------------------------------------------------


def test_the_demo_has_a_ceo_and_a_cfo_and_the_cfo_signed_its_review():
    from compliance_site.demo import load_demo

    users = load_demo(now=datetime(2026, 11, 18, 10, 30, tzinfo=ET))
    assert users["ceo"].officer_title == CEO
    cfo = RoleAssignment.objects.get(title=CFO).user
    assert cfo.username == "cfo" and cfo.is_active
    signed = NonGaapReview.objects.get(signed_off_at__isnull=False)
    assert signed.signed_off_by == cfo and signed.signed_off_as == NonGaapReview.Capacity.CFO
    current = NonGaapDelegation.objects.get(revoked_at__isnull=True)
    assert current.delegator == cfo and current.delegate == users["ceo"]
