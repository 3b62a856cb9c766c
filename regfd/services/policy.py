"""Distributing the Reg FD policy to all employees and recording their acknowledgements (policy,
Introduction: "This policy shall be distributed to all our employees")."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from compliance_site.company.models import PolicyAcknowledgement, PolicyDistribution, PolicyVersion

from .common import save

ALL_EMPLOYEES = "All employees"


@transaction.atomic
def distribute_policy(*, actor, policy: PolicyVersion, now: datetime) -> PolicyDistribution:
    """Send an approved Reg FD policy version to every active user; the recipient count is stored. A later
    re-distribution (e.g. to reach new hires) is a new record."""
    if policy.kind != PolicyVersion.Kind.REGFD:
        raise ValidationError("Only the Reg FD policy is distributed to all employees here.")
    if not policy.is_signed_off():
        raise ValidationError("This policy version is not approved yet; distribute an approved version.")
    distribution = PolicyDistribution(
        policy=policy,
        distributed_at=now,
        distributed_by=actor,
        audience=ALL_EMPLOYEES,
        recipients=get_user_model().objects.filter(is_active=True).count(),
    )
    return save(distribution, actor=actor)


@transaction.atomic
def acknowledge_policy(*, user, policy: PolicyVersion, now: datetime) -> PolicyAcknowledgement:
    """A user acknowledges that they received and will follow a distributed policy version. Acknowledging
    twice keeps the first acknowledgement."""
    if not getattr(user, "is_active", False):
        raise ValidationError("Only an active user acknowledges the policy.")
    if not PolicyDistribution.objects.filter(policy=policy).exists():
        raise ValidationError("This policy version has not been distributed.")
    existing = PolicyAcknowledgement.objects.filter(policy=policy, user=user).first()
    if existing is not None:
        return existing
    acknowledgement = PolicyAcknowledgement(policy=policy, user=user, acknowledged_at=now)
    return save(acknowledgement, actor=user)
