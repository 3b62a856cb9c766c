"""The demo's decisions (issue: committee decisions): a vote of the committee waits for the `committee`
login, and the decisions already adopted were taken by the committee's own members and are signed."""

import pytest
from django.utils import timezone

from clawback.models import Decision, Vote
from clawback.services import voting
from compliance_site.demo import load_demo

pytestmark = pytest.mark.django_db


def test_an_open_vote_waits_for_the_committee_login_and_the_adopted_decisions_are_signed():
    users = load_demo(now=timezone.now())
    (open_vote,) = Decision.objects.filter(status=Decision.Status.OPEN)
    assert users["committee"] in open_vote.eligible.all()
    assert not open_vote.votes.filter(member=users["committee"]).exists()
    assert open_vote.votes.get().method == Vote.Method.IN_APP

    adopted = Decision.objects.filter(status=Decision.Status.ADOPTED)
    assert adopted.count() == 2
    for decision in adopted:
        assert voting.next_signature(decision) is None
        assert [s.capacity for s in decision.signatures.all()] == ["chair", "secretary"]
        voters = {v.member.username for v in decision.votes.all()}
        assert voters == {"committee", "praman"}  # the committee's own members, never the Board-only `board`
        assert all(v.minutes_id for v in decision.votes.all())
