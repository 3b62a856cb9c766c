"""The administering body's decisions: the vote, the quorum, the approval of a frozen determination and the
claims it opens (policy "Administration"; docs/clawback-rules, "Approval and changed inputs")."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from compliance_site.accounts.permissions import has_capability
from compliance_site.audit.recorder import audit_context, record_action

from ..models import (
    Decision,
    Determination,
    Executive,
    ReasonableEstimate,
    RecoveryClaim,
    Recusal,
    Restatement,
    Vote,
)
from .estimates import _document_lines
from .review import (
    InputsCheck,
    S,
    _lock,
    _not_future,
    _participant,
    _require_status,
    ensure_approval_current,
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
        _open_claims(case, live, determined_on=decision.held_on)
        record_action(
            actor=actor,
            verb="approve_determination",
            obj=case,
            details={"determination": live.number, "sha256": live.sha256, "decision": decision.pk},
        )
    return live


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
    now: datetime,
    determination_number: int | None = None,
) -> Decision:
    """Record a meeting's decision: who was present, the quorum, the resolution and each member's vote.

    - An approval is made by the body administering the policy for this case (the Board, or the
      Compensation Committee it designated: policy "Administration"), on a case under review; an
      impracticability determination only by the independent compensation committee or a majority of the
      independent directors, never the full Board (Rule 10D-1(b)(1)(iv)), once the case is approved.
    - Members present who are not recused must reach the quorum; only members who may vote
      (clawback.vote), who were present and are not recused, vote.
    - Adopted when a majority of the votes cast (for and against; abstentions are not votes cast) are for.
    - An adopted approval approves the live determination at once (`approve_determination`), and is refused
      while the approval is blocked; when `determination_number` is given it must be the live one.
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
            if body != case.administering_body:
                error(
                    "body",
                    f"This case is administered by the {case.get_administering_body_display()}; "
                    "only it approves the determination (policy 'Administration').",
                )
        elif kind == Decision.Kind.IMPRACTICABILITY:
            _require_status(
                case, S.APPROVED, S.RECOVERY, action="record an impracticability decision", check=check
            )
            if body not in (Decision.Body.COMPENSATION_COMMITTEE, Decision.Body.INDEPENDENT_DIRECTORS):
                error(
                    "body",
                    "Impracticability is determined by the committee of independent directors responsible "
                    "for executive compensation or a majority of the independent directors, not the Board "
                    "(Rule 10D-1(b)(1)(iv)).",
                )
        else:
            error("kind", "Unknown kind of decision.")
        if body not in Decision.Body.values:
            error("body", "Unknown body.")
        _not_future(held_on, field="held_on", now=now, errors=errors)
        if quorum < 1:
            error("quorum", "The quorum is at least one member.")
        if not resolution.strip():
            error("resolution", "Record the resolution as adopted or put to the vote.")

        present = list({member.pk: member for member in members_present}.values())
        recused = set(Recusal.objects.filter(restatement=case).values_list("user_id", flat=True))
        # A member whose own pay the case recomputes takes no part in it, as a recused member does
        # (Rule 10D-1 leaves the decision to independent directors; policy "Administration").
        covered = (
            set(case.covered_executives.filter(user__isnull=False).values_list("user_id", flat=True))
            - recused
        )
        recused |= covered
        for member in present:
            if not has_capability(member, "clawback.vote"):
                error(
                    "members_present",
                    f"{member} is not a member of the body (cannot vote on clawback matters).",
                )
        counting = [m for m in present if m.pk not in recused]
        if len(counting) < quorum:
            left_out = [
                f"{n} of them {why}"
                for n, why in (
                    (sum(m.pk in recused and m.pk not in covered for m in present), "recused"),
                    (sum(m.pk in covered for m in present), "covered by the case"),
                )
                if n
            ]
            note = "".join(f", {part}" for part in left_out)
            error(
                "members_present",
                f"{len(present)} member(s) present{note}: {len(counting)} count toward the quorum "
                f"of {quorum}.",
            )
        present_ids = {m.pk for m in present}
        tally = {choice: 0 for choice in Vote.Choice.values}
        for member, choice in votes.items():
            if member.pk in covered:
                error("votes", f"{member} is covered by this case (their own pay) and cannot vote.")
            elif member.pk in recused:
                error("votes", f"{member} is recused from this case and cannot vote.")
            elif not has_capability(member, "clawback.vote"):
                error("votes", f"{member} may not vote on clawback matters.")
            elif member.pk not in present_ids:
                error("votes", f"{member} voted but is not recorded as present.")
            if choice not in Vote.Choice.values:
                error("votes", f"{member}: unknown vote {choice!r}.")
            else:
                tally[choice] += 1
        if errors:
            raise ValidationError(errors)

        adopted = tally[Vote.Choice.FOR] > tally[Vote.Choice.AGAINST]
        if kind == Decision.Kind.APPROVE_DETERMINATION and adopted:
            _refuse_if_recomputed(case, check)
            live = live_determination(case)
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
        decision.full_clean()
        with audit_context(actor=actor):
            decision.save()
            decision.members_present.set(present)
            for member, choice in votes.items():
                Vote.objects.create(decision=decision, member=member, choice=choice)
            record_action(
                actor=actor,
                verb="record_decision",
                obj=case,
                details={
                    "decision": decision.pk,
                    "kind": kind,
                    "body": body,
                    "adopted": adopted,
                    "for": tally[Vote.Choice.FOR],
                    "against": tally[Vote.Choice.AGAINST],
                    "abstain": tally[Vote.Choice.ABSTAIN],
                },
            )
        if kind == Decision.Kind.APPROVE_DETERMINATION and adopted:
            _approve(case, decision=decision, actor=actor, now=now, check=check)
    return decision
