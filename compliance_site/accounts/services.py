from django.db import transaction

from compliance_site.audit.recorder import audit_context, record_action

from .models import RoleAssignment, User
from .roles import Role


@transaction.atomic
def update_preferences(*, actor: User, user: User, data: dict) -> User:
    for field in ("first_name", "last_name", "email", "time_zone"):
        if field in data:
            setattr(user, field, data[field])
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def grant_role(*, actor, user: User, role: Role) -> RoleAssignment:
    assignment, created = RoleAssignment.objects.get_or_create(user=user, role=role)
    if created:
        with audit_context(actor=actor):
            record_action(actor=actor, verb="grant_role", obj=user, details={"role": role})
    user.__dict__.pop("_role_cache", None)
    return assignment
