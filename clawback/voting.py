"""The tally of a decision of the administering body: a pure rule, standard library only (docs/clawback-rules
§1.13).

- A vote of the members (at a meeting or in the app): adopted when the members who took part (for, against
  or abstaining) reach the quorum and the votes for outnumber the votes against. Abstentions count toward
  the quorum but are not votes cast, so a tie is not a majority.
- Unanimous written consent without a meeting: adopted only when every member who may vote has consented;
  a vote against or an abstention withholds consent, and the resolution fails.
- A vote is decided as soon as its outcome cannot change whatever the members still to vote do, when
  everyone has voted, or when it closes; a vote that closes without its quorum fails for want of one.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass
from enum import StrEnum

FOR, AGAINST, ABSTAIN = "for", "against", "abstain"
CHOICES = (FOR, AGAINST, ABSTAIN)


class Outcome(StrEnum):
    OPEN = "open"
    ADOPTED = "adopted"
    NOT_ADOPTED = "not_adopted"


@dataclass(frozen=True)
class Tally:
    outcome: Outcome
    reason: str
    votes_for: int
    votes_against: int
    abstentions: int
    taking_part: int  # members who voted, abstentions included: what the quorum counts
    still_to_vote: int
    quorum: int
    quorum_reached: bool

    @property
    def decided(self) -> bool:
        return self.outcome is not Outcome.OPEN


def default_quorum(body_size: int) -> int:
    """A majority of the body's members (recused ones included: recusal does not shrink the body)."""
    return body_size // 2 + 1


def tally(
    *,
    eligible: Collection[Hashable],
    ballots: Mapping[Hashable, str],
    quorum: int,
    unanimous: bool = False,
    closed: bool = False,
) -> Tally:
    """The state of a vote: `eligible` the members who may vote, `ballots` member -> choice (each from
    `eligible`), `quorum` the members needed, `unanimous` for written consent, `closed` once it is over."""
    if quorum < 1 or not eligible:
        raise ValueError("a vote needs at least one member who may vote and a quorum of at least one")
    strangers = set(ballots) - set(eligible)
    if strangers:
        raise ValueError(f"ballots from members who may not vote: {sorted(map(str, strangers))}")
    unknown = {choice for choice in ballots.values() if choice not in CHOICES}
    if unknown:
        raise ValueError(f"unknown choices: {sorted(unknown)}")
    votes_for = sum(choice == FOR for choice in ballots.values())
    votes_against = sum(choice == AGAINST for choice in ballots.values())
    abstentions = sum(choice == ABSTAIN for choice in ballots.values())
    taking_part = len(ballots)
    still_to_vote = len(set(eligible)) - taking_part
    if unanimous:
        quorum = len(set(eligible))
    reached = taking_part >= quorum

    def result(outcome: Outcome, reason: str) -> Tally:
        return Tally(
            outcome=outcome,
            reason=reason,
            votes_for=votes_for,
            votes_against=votes_against,
            abstentions=abstentions,
            taking_part=taking_part,
            still_to_vote=still_to_vote,
            quorum=quorum,
            quorum_reached=reached,
        )

    if unanimous:
        return _consent(result, eligible=len(set(eligible)), votes_for=votes_for, closed=closed)
    if taking_part + still_to_vote < quorum:
        return result(
            Outcome.NOT_ADOPTED,
            f"Only {taking_part + still_to_vote} member(s) may vote: "
            f"the quorum of {quorum} cannot be reached.",
        )
    if reached and votes_for > votes_against + still_to_vote:
        return result(Outcome.ADOPTED, _majority(votes_for, votes_against, abstentions))
    if votes_for + still_to_vote <= votes_against:
        return result(
            Outcome.NOT_ADOPTED,
            f"{votes_for} for and {votes_against} against: the votes for cannot outnumber the votes against.",
        )
    if still_to_vote and not closed:
        return result(Outcome.OPEN, f"{still_to_vote} member(s) still to vote.")
    if not reached:
        return result(
            Outcome.NOT_ADOPTED,
            f"{taking_part} member(s) voted: short of the quorum of {quorum}.",
        )
    if votes_for > votes_against:
        return result(Outcome.ADOPTED, _majority(votes_for, votes_against, abstentions))
    return result(
        Outcome.NOT_ADOPTED,
        f"{votes_for} for and {votes_against} against: the votes for do not outnumber the votes against.",
    )


def _majority(votes_for: int, votes_against: int, abstentions: int) -> str:
    abstained = f", {abstentions} abstaining" if abstentions else ""
    return f"Adopted: {votes_for} for, {votes_against} against{abstained}, with a quorum."


def _consent(result, *, eligible: int, votes_for: int, closed: bool) -> Tally:
    withheld = result(Outcome.OPEN, "").taking_part - votes_for
    if withheld:
        return result(
            Outcome.NOT_ADOPTED,
            "Written consent must be unanimous: "
            f"{withheld} member(s) did not consent, so the resolution is not adopted.",
        )
    if votes_for == eligible:
        return result(Outcome.ADOPTED, f"Adopted by the unanimous written consent of all {eligible} members.")
    if closed:
        return result(
            Outcome.NOT_ADOPTED,
            f"Only {votes_for} of {eligible} members consented before the consent closed.",
        )
    return result(Outcome.OPEN, f"{eligible - votes_for} member(s) still to consent.")
