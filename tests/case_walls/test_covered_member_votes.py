"""A Board member whose own pay the case recomputes (a CEO who sits on the Board) takes no part in the
decision: their vote is refused and their presence does not count toward the quorum, as for a recused
member."""

import pytest
from django.core.exceptions import ValidationError

from clawback.models import Decision, Executive, Vote
from tests.clawback.workflow_setup import approve, record_tsr_estimate, reviewed_example_2

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_covering_the_board_member(users):
    case = reviewed_example_2(users)
    ceo = Executive.objects.get(company=case.company, key="ceo")
    ceo.user = users["board"]
    ceo.save()
    record_tsr_estimate(case, users["committee"])
    return case


def test_a_covered_member_cannot_vote(case_covering_the_board_member, users):
    case = case_covering_the_board_member
    with pytest.raises(ValidationError, match="covered by this case .their own pay. and cannot vote"):
        approve(
            case,
            users,
            members=("committee", "board"),
            quorum=1,
            votes={users["committee"]: Vote.Choice.FOR, users["board"]: Vote.Choice.FOR},
        )
    assert not Decision.objects.filter(restatement=case).exists()


def test_a_covered_member_present_does_not_count_toward_the_quorum(case_covering_the_board_member, users):
    with pytest.raises(
        ValidationError, match="1 of them covered by the case: 1 count toward the quorum of 2"
    ):
        approve(
            case_covering_the_board_member,
            users,
            members=("committee", "board"),
            quorum=2,
            votes={users["committee"]: Vote.Choice.FOR},
        )
