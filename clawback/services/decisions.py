"""The administering body's decisions: the vote, the quorum, the approval of a frozen determination and the
claims it opens (policy "Administration"; docs/clawback-rules, "Approval and changed inputs")."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from compliance_site.attachments.models import Attachment
from compliance_site.attachments.services import add_attachment
from compliance_site.audit.recorder import audit_context, record_action

from .. import voting
from ..models import (
    Decision,
    Determination,
    Executive,
    ReasonableEstimate,
    RecoveryClaim,
    Restatement,
    Vote,
)
from .bodies import SHORT_REASONS, VOTE_REFUSALS, body_on, check_body
from .estimates import _document_lines
from .review import (
    InputsCheck,
    S,
    _lock,
    _not_future,
    _participant,
    _require_status,
    ensure_approval_current,
    exchange_date,
    live_determination,
)

# --- The decision and the approval ------------------------------------------------------------------------


def approval_blockers(case: Restatement, determination: Determination | None) -> list[str]:
    """Why `determination` cannot be approved yet (empty when it can): an award still waiting for a
    reasonable estimate, or an estimate without its method, documents or the date they went to the
    exchange (Rule 10D-1(b)(1)(iii)(A)); no required-to-prepare date."""
    if determination is None:
        return ["There is no determination to approve: submit the case for review."]
    blockers = []
    result = determination.result
    if result.get("triggers_recovery_analysis") and result.get("required_on") is None:
        blockers.append(
            "No recorded event sets the date the company was required to prepare the restatement."
        )
    pending = [a["id"] for a in result.get("awards", []) if a.get("status") == "reasonable_estimate_required"]
    if pending:
        blockers.append(
            "Awaiting the committee's reasonable estimate for: "
            + ", ".join(pending)
            + " (Rule 10D-1(b)(1)(iii)(A))."
        )
    estimated = {
        (a["executive"], a["id"]) for a in result.get("awards", []) if a.get("status") == "estimated"
    }
    for estimate in ReasonableEstimate.objects.filter(restatement=case).select_related("award__executive"):
        if (estimate.award.executive.key, estimate.award.key) not in estimated:
            continue
        missing = [
            label
            for label, ok in (
                ("the method", bool(estimate.method.strip())),
                ("the supporting documents", bool(_document_lines(estimate.documents))),
                ("the date the documentation was provided to the exchange", estimate.provided_to_exchange_on),
            )
            if not ok
        ]
        if missing:
            blockers.append(f"The estimate for {estimate.award.key} lacks " + " and ".join(missing) + ".")
    return blockers


def approve_determination(*, actor, case: Restatement, decision: Decision, now: datetime) -> Determination:
    """Approve the live determination with an adopted decision of the administering body: the case becomes
    approved and a recovery claim is opened (or updated, after a re-approval) for each executive with an
    excess, the amount owed determined on the meeting date (Item 402(w)(1)(iii) counts from it).

    Blocks while an award waits for a reasonable estimate or an estimate lacks its method, documents or the
    date they were provided to the exchange. Called by `record_decision`; callable on its own for a decision
    recorded earlier."""
    _participant(actor, case)
    check = ensure_approval_current(case, actor=actor, now=now)
    with transaction.atomic():
        case = _lock(case)
        _refuse_if_recomputed(case, check)
        return _approve(case, decision=decision, actor=actor, now=now, check=check)


def _refuse_if_recomputed(case: Restatement, check: InputsCheck) -> None:
    # The body approves the numbers it reviewed: if the inputs changed since, the determination was just
    # recomputed and must be reviewed before anyone approves it.
    if not check.current and check.reason and case.status == S.REVIEW:
        live = live_determination(case)
        raise ValidationError(
            f"The case's {check.reason}. Determination {live.number if live else '—'} was computed for "
            "review; the body must review it before approving."
        )


def _approve(
    case: Restatement, *, decision: Decision, actor, now: datetime, check: InputsCheck
) -> Determination:
    _require_status(case, S.REVIEW, action="approve the determination", check=check)
    if (
        decision.restatement_id != case.pk
        or decision.kind != Decision.Kind.APPROVE_DETERMINATION
        or not decision.adopted
    ):
        raise ValidationError("Only an adopted decision to approve this case's determination approves it.")
    if Determination.objects.filter(decision=decision).exists():
        raise ValidationError("This decision already approved a determination.")
    live = live_determination(case)
    blockers = approval_blockers(case, live)
    if blockers:
        raise ValidationError(blockers)
    with audit_context(actor=actor):
        live.decision = decision
        live.save(update_fields=["decision"])
        case.status = S.APPROVED
        case.save(update_fields=["status"])
        _open_claims(case, live, determined_on=decided_on(decision))
        record_action(
            actor=actor,
            verb="approve_determination",
            obj=case,
            details={"determination": live.number, "sha256": live.sha256, "decision": decision.pk},
        )
    return live


def attach_minutes(*, actor, decision: Decision, minutes, meeting_on: date) -> Attachment:
    """The minutes a vote is recorded from: a file uploaded now, or one already attached to the case or to
    the decision (the secretary attached it first). Either way it stays attached, never replaced."""
    if isinstance(minutes, Attachment):
        owners = {
            (Restatement._meta.label_lower, str(decision.restatement_id)),
            (Decision._meta.label_lower, str(decision.pk)),
        }
        owner = (f"{minutes.content_type.app_label}.{minutes.content_type.model}", minutes.object_id)
        if owner not in owners or not minutes.is_current:
            raise ValidationError({"minutes": ["Use a current file attached to this case as the minutes."]})
        return minutes
    return add_attachment(
        actor=actor,
        record=decision,
        uploaded=minutes,
        kind=Attachment.Kind.MINUTES,
        description=f"Minutes of the meeting of {meeting_on:%B %-d, %Y}",
    )


def decided_on(decision: Decision) -> date:
    """The day the body decided: the meeting's date, or the New York day a vote in the app was decided."""
    if decision.decided_at is not None and decision.opened_at is not None:
        return exchange_date(decision.decided_at)
    return decision.held_on


def _open_claims(case: Restatement, determination: Determination, *, determined_on: date) -> None:
    executives = {x.key: x for x in Executive.objects.filter(company=case.company)}
    claims = {c.executive_id: c for c in RecoveryClaim.objects.filter(restatement=case)}
    for row in determination.result.get("executives", []):
        executive = executives.get(row["id"])
        if executive is None:
            continue
        # What remains after amounts already recovered for the same awards (a `/2` result); a determination
        # frozen before credits existed carries only the excess.
        excess = Decimal(row.get("to_recover_usd", row["excess_usd"]))
        units = Decimal(row.get("to_recover_units", row["excess_units"]))
        claim = claims.get(executive.pk)
        if excess > 0:
            # Item 402(w)(1)(iii) counts from the date the amount owed was determined: a re-approval does
            # not restart it. The claim keeps the date its oldest part was determined; an increase is
            # dated by its own meeting in the disclosure (docs/clawback-rules §1.10, "The 180-day test").
            if claim is None or claim.amount_owed <= 0:
                claim = claim or RecoveryClaim(restatement=case, executive=executive)
                claim.determined_on = determined_on
            claim.amount_owed = excess
            claim.units_owed = units
            claim.full_clean()
            claim.save()
        elif claim is not None:
            if claim.events.exists() or claim.impracticabilities.exists():
                claim.amount_owed = Decimal("0.00")
                claim.units_owed = Decimal(0)
                claim.determined_on = determined_on
                claim.save()
            else:
                claim.delete()


def record_decision(
    *,
    actor,
    case: Restatement,
    kind: str,
    body: str,
    held_on: date,
    members_present: Collection,
    quorum: int,
    resolution: str,
    votes: Mapping[Any, str],
    minutes,
    now: datetime,
    determination_number: int | None = None,
) -> Decision:
    """Record a decision taken at a meeting, from its minutes (attached): who was present, the quorum, the
    resolution and each member's vote, each shown as recorded from the minutes by the secretary.

    - An approval is made by the body administering the policy for this case (the Board, or the
      Compensation Committee it designated: policy "Administration"), on a case under review; an
      impracticability determination only by the independent compensation committee or a majority of the
      independent directors, never the full Board (Rule 10D-1(b)(1)(iv)), once the case is approved.
    - Only members of that body on the meeting's date are present and vote; members present who are not
      recused (nor covered by the case) must reach the quorum.
    - Adopted when a majority of the votes cast (for and against; abstentions are not votes cast) are for
      (clawback.voting).
    - An adopted approval approves the live determination at once (`approve_determination`), and is refused
      while the approval is blocked; when `determination_number` is given it must be the live one.
    Members voting for themselves in the app is `voting.open_vote` / `voting.cast_vote`.
    """
    _participant(actor, case)
    check = ensure_approval_current(case, actor=actor, now=now)
    with transaction.atomic():
        case = _lock(case)
        errors: dict[str, list[str]] = {}

        def error(field: str, message: str) -> None:
            errors.setdefault(field, []).append(message)

        if kind == Decision.Kind.APPROVE_DETERMINATION:
            _require_status(case, S.REVIEW, action="record an approval decision", check=check)
        elif kind == Decision.Kind.IMPRACTICABILITY:
            _require_status(
                case, S.APPROVED, S.RECOVERY, action="record an impracticability decision", check=check
            )
        else:
            error("kind", "Unknown kind of decision.")
        check_body(case, kind, body, errors)
        _not_future(held_on, field="held_on", now=now, errors=errors)
        if quorum < 1:
            error("quorum", "The quorum is at least one member.")
        if not resolution.strip():
            error("resolution", "Record the resolution as adopted or put to the vote.")
        if minutes is None:
            error("minutes", "Attach the minutes of the meeting: a vote is recorded from them.")
        if errors:
            raise ValidationError(errors)

        voters = body_on(case, body, on=held_on)
        seated = {m.pk for m in voters.members}
        present = list({member.pk: member for member in members_present}.values())
        for member in present:
            if member.pk not in seated:
                error(
                    "members_present",
                    f"{member.get_full_name() or member} was not a member of the {Decision.Body(body).label} "
                    f"on {held_on:%B %-d, %Y}.",
                )
        counting = [m for m in present if m.pk in seated and m.pk not in voters.left_out]
        if len(counting) < quorum:
            reasons = [voters.left_out[m.pk] for m in present if m.pk in voters.left_out]
            note = "".join(
                f", {reasons.count(why)} of them {SHORT_REASONS[why]}" for why in dict.fromkeys(reasons)
            )
            error(
                "members_present",
                f"{len(present)} member(s) present{note}: {len(counting)} count toward the quorum "
                f"of {quorum}.",
            )
        present_ids = {m.pk for m in present}
        for member, choice in votes.items():
            name = member.get_full_name() or member
            if member.pk in voters.left_out:
                error("votes", f"{name} {VOTE_REFUSALS[voters.left_out[member.pk]]}.")
            elif member.pk not in seated:
                error("votes", f"{name} is not a member of the {Decision.Body(body).label}.")
            elif member.pk not in present_ids:
                error("votes", f"{name} voted but is not recorded as present.")
            if choice not in Vote.Choice.values:
                error("votes", f"{name}: unknown vote {choice!r}.")
        if errors:
            raise ValidationError(errors)

        # At a meeting the quorum is of members present; the tally then needs only a majority of votes cast.
        result = voting.tally(
            eligible={m.pk for m in counting} | {m.pk for m in votes},
            ballots={m.pk: choice for m, choice in votes.items()},
            quorum=1,
            closed=True,
        )
        adopted = result.outcome is voting.Outcome.ADOPTED
        live = live_determination(case)
        if kind == Decision.Kind.APPROVE_DETERMINATION and adopted:
            _refuse_if_recomputed(case, check)
            if determination_number is not None and (live is None or live.number != determination_number):
                raise ValidationError(
                    {
                        "determination": [
                            f"Determination {determination_number} is not the one under review "
                            f"({live.number if live else 'none'})."
                        ]
                    }
                )
            blockers = approval_blockers(case, live)
            if blockers:
                raise ValidationError(blockers)

        decision = Decision(
            restatement=case,
            kind=kind,
            body=body,
            held_on=held_on,
            quorum=quorum,
            resolution=resolution.strip(),
            recorded_by=actor,
        )
        decision.adopted = adopted
        decision.status = Decision.Status.ADOPTED if adopted else Decision.Status.NOT_ADOPTED
        decision.decided_at = now
        decision.outcome_reason = result.reason
        if live is not None:
            decision.determination_number = live.number
            decision.determination_sha256 = live.sha256
        decision.full_clean()
        with audit_context(actor=actor):
            decision.save()
            decision.members_present.set(present)
            decision.eligible.set(counting)
            attachment = attach_minutes(actor=actor, decision=decision, minutes=minutes, meeting_on=held_on)
            for member, choice in votes.items():
                Vote.objects.create(
                    decision=decision,
                    member=member,
                    choice=choice,
                    method=Vote.Method.MINUTES,
                    recorded_by=actor,
                    minutes=attachment,
                    determination_sha256=decision.determination_sha256,
                )
            record_action(
                actor=actor,
                verb="record_decision",
                obj=case,
                details={
                    "decision": decision.pk,
                    "kind": kind,
                    "body": body,
                    "adopted": adopted,
                    "for": result.votes_for,
                    "against": result.votes_against,
                    "abstain": result.abstentions,
                    "minutes": attachment.sha256,
                },
            )
        if kind == Decision.Kind.APPROVE_DETERMINATION and adopted:
            _approve(case, decision=decision, actor=actor, now=now, check=check)
    return decision
