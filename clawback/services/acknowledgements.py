"""Executives' acknowledgements of the clawback policy (policy "Other Recovery Rights")."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from compliance_site.audit.recorder import audit_context
from compliance_site.company.models import PolicyAcknowledgement, PolicyVersion

from ..models import Executive


@transaction.atomic
def record_policy_acknowledgement(
    *,
    actor,
    policy: PolicyVersion,
    executive: Executive,
    acknowledged_at: datetime,
    evidence: str,
    now: datetime | None = None,
) -> PolicyAcknowledgement:
    """Record that an executive officer acknowledged a version of the clawback policy, from the evidence of
    it (policy "Other Recovery Rights": award agreements may require the executive to agree to the policy).

    The record names the executive, not a sign-in, so a former executive who never had one (a paper
    acknowledgement) is recorded like anyone else. Once per executive and version: an acknowledgement the
    executive gave signed in counts as theirs. Not in the future, not before the version was approved."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    if policy.kind != PolicyVersion.Kind.CLAWBACK:
        errors["policy"] = ["Choose a version of the clawback policy."]
    elif policy.approved_on is None:
        errors["policy"] = ["That version of the policy has not been approved."]
    if acknowledged_at is not None and acknowledged_at > now:
        errors["acknowledged_at"] = ["This time is in the future."]
    elif acknowledged_at is not None and policy.approved_on and acknowledged_at.date() < policy.approved_on:
        errors["acknowledged_at"] = [
            f"{policy} was approved on {policy.approved_on:%Y-%m-%d}; it cannot be acknowledged before."
        ]
    if not (evidence or "").strip():
        errors["evidence"] = [
            "Say what shows the acknowledgement (the signed form, letter or award agreement, and where it is "
            "filed)."
        ]
    given = PolicyAcknowledgement.objects.filter(policy=policy, executive=executive)
    if executive.user_id is not None:
        given = given | PolicyAcknowledgement.objects.filter(policy=policy, user_id=executive.user_id)
    if given.exists():
        errors.setdefault("executive", []).append(f"{executive.name} has already acknowledged {policy}.")
    if errors:
        raise ValidationError(errors)
    acknowledgement = PolicyAcknowledgement(
        policy=policy,
        executive=executive,
        acknowledged_at=acknowledged_at,
        evidence=evidence.strip(),
        recorded_by=actor,
    )
    acknowledgement.full_clean()
    with audit_context(actor=actor):
        acknowledgement.save()
    return acknowledgement
