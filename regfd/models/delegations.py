from django.db import models
from django.db.models import F, Q

from compliance_site.audit.recorder import register
from compliance_site.db import check, not_before, user_ref

from .grants import Grant


@register
class NonGaapDelegation(Grant):
    """The CFO names a delegate to sign off Regulation G reviews in the CFO's place (policy I.F: reviewed in
    advance "by our CFO"), for the New York dates `valid_from` to `valid_until` included, with the reason; the
    CFO may revoke it, and it stays on record. See docs/regfd-rules §2.6."""

    delegator = user_ref(help_text="The CFO who named the delegate.")
    delegate = user_ref(related_name="nongaap_delegations")
    reason = models.TextField(help_text="Why the CFO delegates (absence, conflict...).")

    class Meta(Grant.Meta):
        constraints = [
            not_before(
                later="valid_until",
                earlier="valid_from",
                name="nongaapdelegation_valid_range",
                message="A delegation cannot end before it starts.",
            ),
            check(
                ~Q(delegate=F("delegator")),
                name="nongaapdelegation_not_to_oneself",
                message="The CFO cannot be their own delegate.",
            ),
            check(
                Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | Q(revoked_at__isnull=False, revoked_by__isnull=False),
                name="nongaapdelegation_revoked_by_someone",
                message="A revocation records who revoked the delegation, and when.",
            ),
        ]

    def __str__(self):
        return f"Delegation #{self.pk} of Regulation G sign-off to {self.delegate}"
