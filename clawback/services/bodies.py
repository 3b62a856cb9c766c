"""The bodies that decide a case: who sits on the Board or the Compensation Committee on a date (from the
company's record of seats), who of them may vote on a case, and which body may take which decision
(policy "Administration"; Rule 10D-1(b)(1)(iv))."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from compliance_site.accounts.permissions import has_capability
from compliance_site.company.models import BodyMembership
from compliance_site.company.selectors import seats_held

from ..models import Decision, Recusal, Restatement

B = Decision.Body

# Which seats make up each deciding body: the independent directors are the Board's independent members.
_SEATS = {
    B.COMPENSATION_COMMITTEE: (BodyMembership.Body.COMPENSATION_COMMITTEE, False),
    B.BOARD: (BodyMembership.Body.BOARD, False),
    B.INDEPENDENT_DIRECTORS: (BodyMembership.Body.BOARD, True),
}


COVERED = "covered by the case (their own pay)"
RECUSED = "recused from the case"
NO_VOTE = "has no vote in the app"
# How each reason reads in a quorum count ("2 present, 1 of them recused") and in a refused vote.
SHORT_REASONS = {COVERED: "covered by the case", RECUSED: "recused", NO_VOTE: "without a vote"}
VOTE_REFUSALS = {
    COVERED: "is covered by this case (their own pay) and cannot vote",
    RECUSED: "is recused from this case and cannot vote",
    NO_VOTE: "may not vote on clawback matters",
}


@dataclass(frozen=True)
class Voters:
    """The body on a date: its members, those who may vote, and why the others may not."""

    members: tuple  # users holding a seat
    eligible: tuple  # members who may vote on this case
    left_out: dict  # user id -> why they may not vote
    chair: object | None


def barred_from(case: Restatement) -> dict:
    """The members who take no part in a case whatever the body: those whose own pay it recomputes, and
    those recused from it (user id -> why). One answer for the forms, the pages and `body_on`."""
    barred = dict.fromkeys(
        Recusal.objects.filter(restatement=case).values_list("user_id", flat=True), RECUSED
    )
    covered = case.covered_executives.filter(user__isnull=False).values_list("user_id", flat=True)
    return barred | dict.fromkeys(covered, COVERED)


def body_on(case: Restatement, body: str, *, on: date) -> Voters:
    """Who sits on `body` on `on`, and who of them may vote on `case`: not a member recused from it, nor one
    whose own pay it recomputes, nor one without the vote (policy "Administration")."""
    seat_body, independent_only = _SEATS[body]
    seats = list(seats_held(case.company, seat_body, on=on, independent_only=independent_only))
    members = tuple(dict.fromkeys(seat.member for seat in seats))
    barred = barred_from(case)
    left_out = {}
    for member in members:
        if member.pk in barred:
            left_out[member.pk] = barred[member.pk]
        elif not member.is_active or not has_capability(member, "clawback.vote"):
            left_out[member.pk] = NO_VOTE
    eligible = tuple(m for m in members if m.pk not in left_out)
    chair = next((seat.member for seat in seats if seat.chair), None)
    return Voters(members=members, eligible=eligible, left_out=left_out, chair=chair)


def check_body(case: Restatement, kind: str, body: str, errors: dict) -> None:
    if body not in B.values:
        errors.setdefault("body", []).append("Unknown body.")
    elif kind == Decision.Kind.APPROVE_DETERMINATION and body != case.administering_body:
        errors.setdefault("body", []).append(
            f"This case is administered by the {case.get_administering_body_display()}; only it approves "
            "the determination (policy 'Administration')."
        )
    elif kind == Decision.Kind.IMPRACTICABILITY and body == B.BOARD:
        errors.setdefault("body", []).append(
            "Impracticability is determined by the committee of independent directors responsible for "
            "executive compensation or a majority of the independent directors, not the Board "
            "(Rule 10D-1(b)(1)(iv))."
        )
