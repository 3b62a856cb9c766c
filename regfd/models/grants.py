from django.db import models
from django.utils import timezone

from compliance_site.db import user_ref


class Grant(models.Model):
    """What a standing grant to a person has, whoever gives it (a spokesperson's authorization, a delegation
    of the CFO's sign-off): the New York dates it covers, both included, when it was given, and its
    revocation, after which it stays on record with who revoked it, when and why
    (regfd.services.common.revoke). A change after the revocation needs a reason (the audit trail)."""

    valid_from = models.DateField()
    valid_until = models.DateField()
    # Set by the services from the request's `now` (taken once, passed down; never the clock here).
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = user_ref(optional=True)
    revocation_reason = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["-valid_from", "-id"]

    def is_signed_off(self) -> bool:
        return self.revoked_at is not None
