"""The other records (policy I.D, I.E, II.H, II.I) and the policy's distribution to all employees: every rule
and every refusal (docs/regfd-rules §2.8)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from compliance_site.company.models import PolicyAcknowledgement, PolicyDistribution
from regfd.models import PolicyRecord
from regfd.selectors_records import users_not_acknowledged
from regfd.services import policy as policy_services
from regfd.services import records as services
from tests.factories import UserFactory, policy_version
from tests.regfd.records_setup import NOW, audit_events, regfd_policy

# ---------------------------------------------------------------------------------------------------------
# The other records (policy I.D, I.E, II.H, II.I)
# ---------------------------------------------------------------------------------------------------------


def rumor(actor, **kw):
    fields = {
        "now": NOW,
        "occurred_at": NOW - timedelta(hours=3),
        "summary": "Chat-board rumor of a takeover bid",
        "no_comment_given": True,
        "internal_source": False,
    }
    fields.update(kw)
    return services.log_market_rumor(actor=actor, **fields)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"internal_source": True}, "referred_to_counsel_at"),
        ({"no_comment_given": False}, "details"),
        (
            {"internal_source": True, "referred_to_counsel_at": NOW + timedelta(hours=1)},
            "referred_to_counsel_at",
        ),
        ({"occurred_at": NOW + timedelta(hours=1)}, "occurred_at"),
        ({"no_comment_given": None}, "no_comment_given"),
    ],
)
def test_rumor_refusals(users, changes, field):
    with pytest.raises(ValidationError) as exc:
        rumor(users["secretary"], **changes)
    assert field in exc.value.message_dict


@pytest.mark.django_db
def test_a_rumor_from_an_internal_source_is_referred_to_counsel(users):
    record = rumor(users["officer"], internal_source=True, referred_to_counsel_at=NOW - timedelta(hours=1))
    assert record.kind == PolicyRecord.Kind.RUMOR and record.referred_to_counsel_at == NOW - timedelta(
        hours=1
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"correction_method": " "}, "correction_method"),
        ({"corrected_at": NOW - timedelta(days=2)}, "corrected_at"),
        ({"corrected_at": NOW + timedelta(hours=1)}, "corrected_at"),
    ],
)
def test_correction_refusals(users, changes, field):
    fields = {
        "now": NOW,
        "occurred_at": NOW - timedelta(days=1),
        "summary": "Backlog figure in the Q4 release",
        "corrected_at": NOW - timedelta(hours=20),
        "correction_method": "Press release via Business Wire",
    }
    fields.update(changes)
    with pytest.raises(ValidationError) as exc:
        services.log_correction(actor=users["secretary"], **fields)
    assert field in exc.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "historical", "ok"),
    [("officer", True, True), ("officer", False, False), ("secretary", True, False), ("admin", True, False)],
)
def test_analyst_report_reviews_are_by_an_officer_and_historical_only(users, who, historical, ok):
    def call():
        return services.log_analyst_review(
            actor=users[who],
            now=NOW,
            occurred_at=NOW - timedelta(hours=1),
            summary="Example Securities note of 3 March",
            historical_facts_only=historical,
        )

    if ok:
        assert call().historical_facts_only is True
    else:
        with pytest.raises(ValidationError):
            call()


@pytest.mark.django_db
def test_a_question_is_answered_once_by_the_corporate_secretary(users):
    question = services.ask_secretary_question(
        actor=users["employee"], now=NOW, summary="Is our backlog material?"
    )
    assert question.occurred_at == NOW and question.recorded_by == users["employee"]
    with pytest.raises(ValidationError, match="Corporate Secretary"):
        services.answer_secretary_question(actor=users["officer"], record=question, answer="x", now=NOW)
    with pytest.raises(ValidationError):
        services.answer_secretary_question(actor=users["secretary"], record=question, answer=" ", now=NOW)
    answered = services.answer_secretary_question(
        actor=users["secretary"], record=question, answer="Presume it is; talk to me first.", now=NOW
    )
    assert answered.answered_by == users["secretary"]
    with pytest.raises(ValidationError, match="already answered"):
        services.answer_secretary_question(actor=users["secretary"], record=question, answer="again", now=NOW)


@pytest.mark.django_db
def test_only_questions_are_answered(users):
    with pytest.raises(ValidationError, match="Only questions"):
        services.answer_secretary_question(
            actor=users["secretary"], record=rumor(users["secretary"]), answer="x", now=NOW
        )


# ---------------------------------------------------------------------------------------------------------
# Distribution to all employees
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_policy_goes_to_every_active_user(users):
    UserFactory(username="gone", is_active=False)
    policy = regfd_policy(users["secretary"])
    distribution = policy_services.distribute_policy(actor=users["secretary"], policy=policy, now=NOW)
    assert distribution.recipients == len(users) == 9
    assert distribution.audience == "All employees"
    assert audit_events(distribution) == 1


@pytest.mark.django_db
def test_an_unapproved_or_clawback_policy_is_not_distributed(users):
    with pytest.raises(ValidationError, match="not approved"):
        policy_services.distribute_policy(
            actor=users["secretary"], policy=regfd_policy(users["secretary"], approved=False), now=NOW
        )
    clawback = policy_version(
        users["secretary"], kind="clawback", effective_date=date(2026, 1, 1), approved_on=date(2025, 12, 1)
    )
    with pytest.raises(ValidationError, match="Reg FD"):
        policy_services.distribute_policy(actor=users["secretary"], policy=clawback, now=NOW)
    assert PolicyDistribution.objects.count() == 0


@pytest.mark.django_db
def test_acknowledgement_needs_a_distribution_and_is_kept_once(users):
    policy = regfd_policy(users["secretary"])
    with pytest.raises(ValidationError, match="not been distributed"):
        policy_services.acknowledge_policy(user=users["employee"], policy=policy, now=NOW)
    policy_services.distribute_policy(actor=users["secretary"], policy=policy, now=NOW)
    first = policy_services.acknowledge_policy(user=users["employee"], policy=policy, now=NOW)
    again = policy_services.acknowledge_policy(
        user=users["employee"], policy=policy, now=NOW + timedelta(days=1)
    )
    assert first == again and again.acknowledged_at == NOW
    assert PolicyAcknowledgement.objects.count() == 1


@pytest.mark.django_db
def test_the_report_lists_active_users_who_have_not_acknowledged(users):
    UserFactory(username="gone", is_active=False)
    policy = regfd_policy(users["secretary"])
    policy_services.distribute_policy(actor=users["secretary"], policy=policy, now=NOW)
    for role in ("employee", "officer"):
        policy_services.acknowledge_policy(user=users[role], policy=policy, now=NOW)
    outstanding = set(users_not_acknowledged(policy).values_list("username", flat=True))
    assert outstanding == set(users) - {"employee", "officer"}
