"""Votes of the administering body taken in the app: the secretary opens a vote on the locked determination,
each member votes for themselves (or the secretary records a vote taken at a meeting, with its minutes),
the tally (clawback.voting) decides it, and the chair and the secretary sign what was adopted
(policy "Administration"; docs/clawback-rules §1.13)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from compliance_site.accounts.permissions import has_capability
from compliance_site.audit.recorder import audit_context, record_action, save_audited
from compliance_site.company.models import Company

from .. import voting
from ..models import Decision, DecisionSignature, Restatement, Vote
from .bodies import body_on, check_body
from .decisions import _approve, approval_blockers, attach_minutes
from .review import (
    S,
    _lock,
    _participant,
    _require_status,
    ensure_approval_current,
    exchange_date,
    live_determination,
)

# The longest a vote may stay open. A written consent or a meeting's vote is a matter of days or weeks;
# a close years away is a typing slip that would keep the case, and its recovery, waiting.
LONGEST_VOTE = timedelta(days=90)


def open_vote(
    *,
    actor,
    case: Restatement,
    kind: str,
    body: str,
    mode: str,
    resolution: str,
    closes_at: datetime,
    now: datetime,
    quorum: int | None = None,
) -> Decision:
    """Put a resolution to the body's vote on the case's live determination, which the vote is locked to
    (its SHA-256): any change to the inputs withdraws the vote. Members are notified; the vote closes at
    `closes_at`. Unanimous written consent needs every member who may vote."""
    _participant(actor, case)
    if not has_capability(actor, "clawback.manage"):
        raise PermissionDenied("Only the secretary or a committee member managing the case opens a vote.")
    check = ensure_approval_current(case, actor=actor, now=now)
    with transaction.atomic():
        case = _lock(case)
        errors: dict[str, list[str]] = {}
        if kind == Decision.Kind.APPROVE_DETERMINATION:
            _require_status(case, S.REVIEW, action="open a vote on the determination", check=check)
        elif kind == Decision.Kind.IMPRACTICABILITY:
            _require_status(
                case, S.APPROVED, S.RECOVERY, action="open a vote on impracticability", check=check
            )
        else:
            errors["kind"] = ["Unknown kind of decision."]
        if mode not in Decision.Mode.values:
            errors["mode"] = ["Unknown way of deciding."]
        check_body(case, kind, body, errors)
        if not resolution.strip():
            errors["resolution"] = ["Write the resolution put to the vote."]
        if closes_at <= now:
            errors["closes_at"] = ["The vote must close in the future."]
        elif closes_at - now > LONGEST_VOTE:
            errors["closes_at"] = [
                f"A vote closes within {LONGEST_VOTE.days} days: the case cannot wait on it longer, and the "
                "members' reminders count down to it."
            ]
        if errors:
            raise ValidationError(errors)
        determination = live_determination(case)
        if kind == Decision.Kind.APPROVE_DETERMINATION:
            blockers = approval_blockers(case, determination)
            if blockers:
                raise ValidationError(blockers)
        if determination is None:
            raise ValidationError("The case has no determination to vote on.")
        today = exchange_date(now)
        voters = body_on(case, body, on=today)
        if not voters.members:
            raise ValidationError(
                {
                    "body": [
                        f"No members of the {Decision.Body(body).label} are recorded for "
                        f"{today:%B %-d, %Y}: record who sits on it (Company, Board and committees) first."
                    ]
                }
            )
        quorum = quorum or voting.default_quorum(len(voters.members))
        if mode == Decision.Mode.WRITTEN_CONSENT:
            quorum = len(voters.eligible)
        if not voters.eligible or len(voters.eligible) < quorum:
            raise ValidationError(
                {
                    "quorum": [
                        f"{len(voters.eligible)} member(s) may vote on this case: the quorum of {quorum} "
                        "cannot be reached."
                    ]
                }
            )
        if Decision.objects.filter(restatement=case, kind=kind, status=Decision.Status.OPEN).exists():
            raise ValidationError("A vote of this kind is already open on this case.")
        decision = Decision(
            restatement=case,
            kind=kind,
            body=body,
            mode=mode,
            held_on=today,
            quorum=quorum,
            resolution=resolution.strip(),
            closes_at=closes_at,
            recorded_by=actor,
        )
        decision.status = Decision.Status.OPEN
        decision.opened_at = now
        decision.determination_number = determination.number
        decision.determination_sha256 = determination.sha256
        decision.full_clean()
        with audit_context(actor=actor):
            decision.save()
            decision.eligible.set(voters.eligible)
            record_action(
                actor=actor,
                verb="open_vote",
                obj=case,
                details={
                    "decision": decision.pk,
                    "kind": kind,
                    "body": body,
                    "mode": mode,
                    "determination": determination.number,
                    "sha256": determination.sha256,
                    "eligible": [m.pk for m in voters.eligible],
                    "quorum": quorum,
                    "closes_at": closes_at.isoformat(),
                },
            )
    return decision


def _open_decision(decision: Decision) -> Decision:
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != Decision.Status.OPEN:
        raise ValidationError(f"This vote is closed: {decision.get_status_display().lower()}.")
    return decision


def _withdraw(decision: Decision, *, actor, now: datetime, reason: str) -> None:
    decision.status = Decision.Status.WITHDRAWN
    decision.decided_at = now
    decision.outcome_reason = f"Withdrawn: {reason}."
    with audit_context(actor=actor, reason=reason[:1000]):
        decision.save(update_fields=["status", "decided_at", "outcome_reason"])
        record_action(
            actor=actor,
            verb="withdraw_vote",
            obj=decision.restatement,
            details={"decision": decision.pk, "reason": reason},
        )


def withdraw_vote(*, actor, decision: Decision, reason: str, now: datetime) -> Decision:
    """The secretary withdraws an open vote (put to the wrong body, a wrong resolution), with a reason."""
    _participant(actor, decision.restatement)
    if not has_capability(actor, "clawback.manage"):
        raise PermissionDenied("Only the secretary or a committee member managing the case withdraws a vote.")
    if not reason.strip():
        raise ValidationError({"reason": ["Say why the vote is withdrawn."]})
    with transaction.atomic():
        _lock(decision.restatement)
        decision = _open_decision(decision)
        _withdraw(decision, actor=actor, now=now, reason=reason.strip())
    return decision


def _may_vote(actor, decision: Decision) -> None:
    if not decision.eligible.filter(pk=actor.pk).exists():
        raise PermissionDenied(
            f"You are not among the members of the {decision.get_body_display()} who may vote on this case."
        )
    voters = body_on(decision.restatement, decision.body, on=decision.held_on)
    if actor.pk in voters.left_out:
        raise PermissionDenied(f"You may not vote: {voters.left_out[actor.pk]}.")


def _cast(decision: Decision, *, member, choice: str, comment: str, now: datetime, **how) -> Vote:
    if choice not in Vote.Choice.values:
        raise ValidationError({"choice": ["Vote for, against, or abstain."]})
    if decision.votes.filter(member=member).exists():
        raise ValidationError(f"{member.get_full_name() or member} has already voted on this resolution.")
    if decision.closes_at is not None and now >= decision.closes_at:
        raise ValidationError("This vote has closed.")
    vote = Vote(
        decision=decision,
        member=member,
        choice=choice,
        comment=comment.strip(),
        cast_at=now if how.get("method") == Vote.Method.IN_APP else None,
        determination_sha256=decision.determination_sha256,
        **how,
    )
    vote.full_clean()
    return vote


def cast_vote(
    *, actor, decision: Decision, choice: str, determination_sha256: str, now: datetime, comment: str = ""
) -> Vote:
    """The member's own vote, on the determination whose SHA-256 they were shown (a fresh second factor is
    checked by the page or the API before this runs)."""
    _participant(actor, decision.restatement)
    _may_vote(actor, decision)
    # Changed inputs replace the determination and withdraw the vote on it, before anyone votes on it.
    check = ensure_approval_current(decision.restatement, actor=actor, now=now)
    with transaction.atomic():
        _lock(decision.restatement)
        decision = _open_decision(decision)
        if determination_sha256.strip().lower() != decision.determination_sha256:
            raise ValidationError(
                {"determination_sha256": ["This is not the determination put to the vote: reload the page."]}
            )
        vote = _cast(
            decision, member=actor, choice=choice, comment=comment, now=now, method=Vote.Method.IN_APP
        )
        _save_vote(vote, actor=actor)
        settle_vote(decision=decision, actor=actor, now=now, check=check)
    return vote


def record_vote_from_minutes(
    *,
    actor,
    decision: Decision,
    member,
    choice: str,
    minutes,
    meeting_on: date,
    now: datetime,
    comment: str = "",
) -> Vote:
    """A vote the member gave at a meeting, recorded by the secretary from the minutes, which are attached;
    the vote then shows everywhere as recorded from the minutes, by whom."""
    _participant(actor, decision.restatement)
    if not has_capability(actor, "clawback.secretary"):
        raise PermissionDenied("Only the Corporate Secretary records a vote from the minutes.")
    if minutes is None:
        raise ValidationError({"minutes": ["Attach the minutes of the meeting where the vote was taken."]})
    _may_vote(member, decision)
    if meeting_on > exchange_date(now) or (decision.opened_at and meeting_on < decision.held_on):
        raise ValidationError({"meeting_on": ["The meeting must fall between the vote's opening and today."]})
    check = ensure_approval_current(decision.restatement, actor=actor, now=now)
    with transaction.atomic():
        _lock(decision.restatement)
        decision = _open_decision(decision)
        attachment = attach_minutes(actor=actor, decision=decision, minutes=minutes, meeting_on=meeting_on)
        vote = _cast(
            decision,
            member=member,
            choice=choice,
            comment=comment or f"Given at the meeting of {meeting_on:%B %-d, %Y}.",
            now=now,
            method=Vote.Method.MINUTES,
            recorded_by=actor,
            minutes=attachment,
        )
        _save_vote(vote, actor=actor)
        settle_vote(decision=decision, actor=actor, now=now, check=check)
    return vote


def _save_vote(vote: Vote, *, actor) -> None:
    with audit_context(actor=actor):
        vote.save()
        vote.decision.members_present.add(vote.member)
        record_action(
            actor=actor,
            verb="cast_vote" if vote.method == Vote.Method.IN_APP else "record_vote_from_minutes",
            obj=vote.decision.restatement,
            details={
                "decision": vote.decision_id,
                "member": vote.member_id,
                "choice": vote.choice,
                "sha256": vote.determination_sha256,
            },
        )


def current_tally(decision: Decision, *, now: datetime) -> voting.Tally:
    closed = decision.closes_at is not None and now >= decision.closes_at
    votes = {v.member_id: v.choice for v in decision.votes.all()}
    eligible = {m.pk for m in decision.eligible.all()}
    return voting.tally(
        eligible=eligible | set(votes),
        ballots=votes,
        quorum=decision.quorum,
        unanimous=decision.mode == Decision.Mode.WRITTEN_CONSENT,
        closed=closed,
    )


def settle_vote(*, decision: Decision, actor, now: datetime, check=None) -> Decision:
    """Decide the vote if its outcome can no longer change (clawback.voting), and apply an adopted approval.
    Safe to call any time and twice; called after each vote and by the closing sweep, with the case locked
    (and `check` the inputs check made just before)."""
    if decision.status != Decision.Status.OPEN:
        return decision
    result = current_tally(decision, now=now)
    if not result.decided:
        return decision
    adopted = result.outcome is voting.Outcome.ADOPTED
    decision.status = Decision.Status.ADOPTED if adopted else Decision.Status.NOT_ADOPTED
    decision.adopted = adopted
    decision.decided_at = now
    decision.outcome_reason = result.reason
    with audit_context(actor=actor):
        decision.save(update_fields=["status", "adopted", "decided_at", "outcome_reason"])
        record_action(
            actor=actor,
            verb="decide_vote",
            obj=decision.restatement,
            details={
                "decision": decision.pk,
                "adopted": adopted,
                "for": result.votes_for,
                "against": result.votes_against,
                "abstain": result.abstentions,
                "reason": result.reason,
            },
        )
    if adopted and decision.kind == Decision.Kind.APPROVE_DETERMINATION:
        case = _lock(decision.restatement)
        _approve(case, decision=decision, actor=actor, now=now, check=check)
    return decision


def close_due_votes(*, now: datetime) -> int:
    """Decide every open vote whose closing time has passed (the periodic sweep; idempotent)."""
    decided = 0
    due = Decision.objects.filter(status=Decision.Status.OPEN, closes_at__lte=now).select_related(
        "restatement"
    )
    for decision in list(due):
        check = ensure_approval_current(decision.restatement, actor=None, now=now)
        with transaction.atomic():
            _lock(decision.restatement)  # the case before the decision, as every step takes them
            decision = (
                Decision.objects.select_for_update()
                .filter(pk=decision.pk, status=Decision.Status.OPEN)
                .first()
            )
            if decision is None:
                continue
            settle_vote(decision=decision, actor=None, now=now, check=check)
            decided += 1
    return decided


# --- Signatures ---------------------------------------------------------------------------------------------


_ORDER = {
    Company.SignatureOrder.CHAIR_THEN_SECRETARY: (
        DecisionSignature.Capacity.CHAIR,
        DecisionSignature.Capacity.SECRETARY,
    ),
    Company.SignatureOrder.SECRETARY_THEN_CHAIR: (
        DecisionSignature.Capacity.SECRETARY,
        DecisionSignature.Capacity.CHAIR,
    ),
    Company.SignatureOrder.CHAIR_ONLY: (DecisionSignature.Capacity.CHAIR,),
}


def signatures_required(decision: Decision) -> tuple[str, ...]:
    return _ORDER[decision.restatement.company.signature_order]


def next_signature(decision: Decision) -> str | None:
    """The capacity that signs next, None when every signature is in (or the decision is not adopted)."""
    if decision.status != Decision.Status.ADOPTED:
        return None
    signed = {s.capacity for s in decision.signatures.all()}
    return next((c for c in signatures_required(decision) if c not in signed), None)


def may_sign_as(actor, decision: Decision, capacity: str) -> bool:
    if capacity == DecisionSignature.Capacity.CHAIR:
        chair = body_on(decision.restatement, decision.body, on=decision.held_on).chair
        return chair is not None and chair.pk == actor.pk
    return has_capability(actor, "clawback.secretary")


def sign_decision(
    *, actor, decision: Decision, determination_sha256: str, now: datetime
) -> DecisionSignature:
    """The chair's or the secretary's signature on an adopted decision, in the configured order, over the
    SHA-256 of the determination it adopted (a fresh second factor is checked before this runs)."""
    _participant(actor, decision.restatement)
    with transaction.atomic():
        _lock(decision.restatement)
        decision = (
            Decision.objects.select_for_update().select_related("restatement__company").get(pk=decision.pk)
        )
        capacity = next_signature(decision)
        if capacity is None:
            raise ValidationError(
                "Only an adopted decision is signed."
                if decision.status != Decision.Status.ADOPTED
                else "Every signature is already in."
            )
        if not may_sign_as(actor, decision, capacity):
            raise PermissionDenied(
                f"The {DecisionSignature.Capacity(capacity).label} signs next: "
                "you cannot sign in that capacity."
            )
        if determination_sha256.strip().lower() != decision.determination_sha256:
            raise ValidationError(
                {"determination_sha256": ["This is not the determination the body adopted: reload the page."]}
            )
        signature = DecisionSignature(
            decision=decision,
            signer=actor,
            capacity=capacity,
            position=signatures_required(decision).index(capacity) + 1,
            signed_at=now,
            determination_sha256=decision.determination_sha256,
        )
        signature.full_clean()
        save_audited(signature, actor=actor, verb="sign_decision")
    return signature
