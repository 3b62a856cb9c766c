"""Recovery and closing of a clawback case: the no-indemnification checklist, starting recovery, closing when
nothing is outstanding, and reopening with a reason (policy "No Indemnification", "Recovery")."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from compliance_site.audit.recorder import audit_context, record_action
from compliance_site.lib.numbers import usd

from ..models import (
    Determination,
    Restatement,
)
from .recovery import claim_position_of
from .review import (
    NO_INDEMNIFICATION_CHECKLIST,
    S,
    _case_step,
    _freeze,
    _invalidate,
    _lock,
    _participant,
    _require_status,
    approved_determination,
    compute,
    ensure_approval_current,
    exchange_date,
)

# --- Recovery and closing --------------------------------------------------------------------------------


def confirm_no_indemnification(
    *, actor, case: Restatement, now: datetime, confirmed: Collection[str] | None = None
) -> Restatement:
    """Confirm the case checklist: no indemnification, insurance or premium reimbursement covers a covered
    executive's loss of erroneously awarded compensation (policy "No Indemnification"; docs/clawback-rules
    §1.9).
    Every item must be confirmed (`confirmed` holds their codes; None confirms all)."""
    _participant(actor, case)
    check = ensure_approval_current(case, actor=actor, now=now)
    codes = [code for code, _ in NO_INDEMNIFICATION_CHECKLIST]
    missing = [
        text for code, text in NO_INDEMNIFICATION_CHECKLIST if confirmed is not None and code not in confirmed
    ]
    if missing:
        raise ValidationError({"confirmed": [f"Not confirmed: {text}" for text in missing]})
    with transaction.atomic():
        case = _lock(case)
        _require_status(
            case, S.REVIEW, S.APPROVED, action="confirm the no-indemnification checklist", check=check
        )
        # A signed-off record changes only with a reason (compliance_site.audit.recorder).
        with audit_context(actor=actor, reason="No-indemnification checklist confirmed"):
            case.no_indemnification_confirmed_at = now
            case.no_indemnification_confirmed_by = actor
            case.save(update_fields=["no_indemnification_confirmed_at", "no_indemnification_confirmed_by"])
            record_action(actor=actor, verb="confirm_no_indemnification", obj=case, details={"items": codes})
    return case


def _move(case: Restatement, status: str, *, actor, verb: str, reason: str) -> None:
    # A signed-off case changes only with a reason (compliance_site.audit.recorder).
    with audit_context(actor=actor, reason=reason):
        case.status = status
        case.save(update_fields=["status"])
        record_action(actor=actor, verb=verb, obj=case)


def start_recovery(*, actor, case: Restatement, now: datetime) -> Restatement:
    """approved → recovery, once the no-indemnification checklist is confirmed."""
    with _case_step(actor, case, S.APPROVED, action="start recovery", now=now) as case:
        if case.no_indemnification_confirmed_at is None:
            raise ValidationError(
                "Confirm the no-indemnification checklist first (policy 'No Indemnification')."
            )
        _move(case, S.RECOVERY, actor=actor, verb="start_recovery", reason="Recovery started")
    return case


def close_case(*, actor, case: Restatement, now: datetime) -> Restatement:
    """recovery → closed, only when nothing is outstanding on any claim after recoveries and amounts
    determined impracticable to recover."""
    with _case_step(actor, case, S.RECOVERY, action="close the case", now=now) as case:
        today = exchange_date(now)
        open_claims = []
        for claim in case.claims.select_related("executive").prefetch_related(
            "events", "impracticabilities__decision"
        ):
            position = claim_position_of(claim, as_of=today)
            if position.outstanding > 0:
                open_claims.append(f"{claim.executive.name} ({usd(position.outstanding)} outstanding)")
        if open_claims:
            raise ValidationError(
                "Recovery is not complete: " + "; ".join(open_claims) + ". Record recoveries, or an "
                "impracticability determination, first."
            )
        _move(case, S.CLOSED, actor=actor, verb="close_case", reason="Recovery complete: nothing outstanding")
    return case


def reopen_case(*, actor, case: Restatement, reason: str, now: datetime) -> Determination | None:
    """closed or approved → review, with the reason: the approval is withdrawn and a new determination
    frozen for the body to review and approve again."""
    _participant(actor, case)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the case is reopened."})
    check = ensure_approval_current(case, actor=actor, now=now)
    with transaction.atomic():
        case = _lock(case)
        _require_status(case, S.APPROVED, S.CLOSED, action="reopen the case", check=check)
        reason = reason.strip()
        with audit_context(actor=actor, reason=reason[:1000]):
            approved = approved_determination(case)
            if approved is not None:
                _invalidate(approved, actor=actor, now=now, reason=f"reopened: {reason}")
            case.status = S.REVIEW
            case.save(update_fields=["status"])
            record_action(actor=actor, verb="reopen_case", obj=case, reason=reason[:1000])
            try:
                computation = compute(case)
            except ValidationError:
                return None
            return _freeze(case, actor=actor, now=now, computation=computation)
