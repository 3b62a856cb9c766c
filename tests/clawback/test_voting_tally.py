"""The tally of a decision, as a table: quorum, ties, abstentions, recusals (a recused member is simply not
among those who may vote), early decisions and unanimous written consent."""

import pytest

from clawback.voting import Outcome, default_quorum, tally

A, B, C, D, E = "a", "b", "c", "d", "e"
F, X, N = "for", "against", "abstain"

MAJORITY = [
    # (eligible, ballots, quorum, closed, outcome, votes for/against/abstaining)
    ("three of three for", [A, B, C], {A: F, B: F, C: F}, 2, False, Outcome.ADOPTED),
    ("two for settle it at quorum", [A, B, C], {A: F, B: F}, 2, False, Outcome.ADOPTED),
    ("one for waits for the quorum", [A, B, C], {A: F}, 2, False, Outcome.OPEN),
    ("one for, closed: no quorum", [A, B, C], {A: F}, 2, True, Outcome.NOT_ADOPTED),
    ("tie is not a majority", [A, B], {A: F, B: X}, 2, False, Outcome.NOT_ADOPTED),
    ("tie of four", [A, B, C, D], {A: F, B: F, C: X, D: X}, 3, False, Outcome.NOT_ADOPTED),
    ("abstentions count toward quorum", [A, B, C], {A: F, B: N, C: N}, 3, False, Outcome.ADOPTED),
    ("all abstain: nothing adopted", [A, B, C], {A: N, B: N, C: N}, 2, False, Outcome.NOT_ADOPTED),
    ("for and abstain short of quorum, open", [A, B, C, D], {A: F, B: N}, 3, False, Outcome.OPEN),
    ("against cannot be outvoted", [A, B, C], {A: X, B: X}, 2, False, Outcome.NOT_ADOPTED),
    ("one against, two to come", [A, B, C], {A: X}, 2, False, Outcome.OPEN),
    ("majority certain before the last vote", [A, B, C, D, E], {A: F, B: F, C: F}, 3, False, Outcome.ADOPTED),
    ("2 for 1 against, 1 to come: still open", [A, B, C, D], {A: F, B: F, C: X}, 3, False, Outcome.OPEN),
    ("2 for 1 against, closed", [A, B, C, D], {A: F, B: F, C: X}, 3, True, Outcome.ADOPTED),
    ("recusals leave too few for the quorum", [A], {}, 2, False, Outcome.NOT_ADOPTED),
    ("nobody voted by the close", [A, B, C], {}, 2, True, Outcome.NOT_ADOPTED),
]


@pytest.mark.parametrize(
    ("eligible", "ballots", "quorum", "closed", "outcome"),
    [row[1:] for row in MAJORITY],
    ids=[row[0] for row in MAJORITY],
)
def test_majority_of_votes_cast_with_a_quorum(eligible, ballots, quorum, closed, outcome):
    result = tally(eligible=eligible, ballots=ballots, quorum=quorum, closed=closed)
    assert result.outcome is outcome, result.reason
    assert result.votes_for + result.votes_against + result.abstentions == len(ballots)
    assert result.still_to_vote == len(eligible) - len(ballots)


CONSENT = [
    ("every member consents", [A, B, C], {A: F, B: F, C: F}, False, Outcome.ADOPTED),
    ("one still to consent", [A, B, C], {A: F, B: F}, False, Outcome.OPEN),
    ("one still to consent at the close", [A, B, C], {A: F, B: F}, True, Outcome.NOT_ADOPTED),
    ("an abstention withholds consent", [A, B, C], {A: F, B: N}, False, Outcome.NOT_ADOPTED),
    ("a vote against withholds consent", [A, B], {A: X}, False, Outcome.NOT_ADOPTED),
    ("a body of one", [A], {A: F}, False, Outcome.ADOPTED),
]


@pytest.mark.parametrize(
    ("eligible", "ballots", "closed", "outcome"),
    [row[1:] for row in CONSENT],
    ids=[row[0] for row in CONSENT],
)
def test_unanimous_written_consent(eligible, ballots, closed, outcome):
    # The quorum given is ignored: consent needs every member who may vote.
    result = tally(eligible=eligible, ballots=ballots, quorum=1, unanimous=True, closed=closed)
    assert result.outcome is outcome, result.reason
    assert result.quorum == len(eligible)


def test_reasons_are_sentences_a_director_reads():
    assert tally(eligible=[A, B], ballots={A: F, B: X}, quorum=2).reason == (
        "1 for and 1 against: the votes for cannot outnumber the votes against."
    )
    assert tally(eligible=[A, B, C], ballots={A: F, B: F, C: N}, quorum=2).reason == (
        "Adopted: 2 for, 0 against, 1 abstaining, with a quorum."
    )


@pytest.mark.parametrize(
    ("ballots", "quorum", "eligible"),
    [({"z": F}, 1, [A]), ({A: "maybe"}, 1, [A]), ({}, 0, [A]), ({}, 1, [])],
    ids=["a stranger's ballot", "unknown choice", "no quorum", "nobody may vote"],
)
def test_refuses_what_the_services_never_pass(ballots, quorum, eligible):
    with pytest.raises(ValueError):
        tally(eligible=eligible, ballots=ballots, quorum=quorum)


@pytest.mark.parametrize(("size", "quorum"), [(1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (9, 5)])
def test_default_quorum_is_a_majority_of_the_body(size, quorum):
    assert default_quorum(size) == quorum
