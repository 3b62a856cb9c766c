from django.db import models
from django.utils import timezone

from compliance_site.audit.recorder import register
from compliance_site.db import not_before, unique, user_ref

from .grants import Grant


@register
class SpokespersonAuthorization(Grant):
    """An authorized officer's authorization of another officer or employee to communicate with Specified
    Persons (policy I.A): the scope and content reviewed, conditions, validity, and any revocation. The CEO
    and CFO (users with the Authorized Officer role) are spokespersons without one."""

    person = user_ref(related_name="spokesperson_authorizations")
    authorized_by = user_ref()
    scope = models.TextField(help_text="Which Specified Persons and topics.")
    content_reviewed = models.TextField(help_text="The content the authorized officer reviewed and approved.")
    conditions = models.TextField(blank=True)

    class Meta(Grant.Meta):
        constraints = [
            not_before(
                later="valid_until",
                earlier="valid_from",
                name="spokesperson_valid_range",
                message="An authorization cannot end before it starts.",
            )
        ]

    def __str__(self):
        return f"{self.person} authorized by {self.authorized_by} ({self.valid_from} – {self.valid_until})"


@register
class KeepingCurrentConfirmation(models.Model):
    """A spokesperson's periodic confirmation that they have kept current on what has been publicly
    disclosed: SEC filings, press releases, and public calls (policy II.G)."""

    person = user_ref(related_name="keeping_current")
    period_label = models.CharField(max_length=20, help_text="e.g. 2026-Q3")
    reviewed_filings = models.BooleanField(default=False)
    reviewed_press_releases = models.BooleanField(default=False)
    attended_or_heard_calls = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    confirmed_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-confirmed_at"]
        constraints = [unique("person", "period_label", name="keepingcurrent_once_per_period")]

    def __str__(self):
        return f"{self.person} kept current for {self.period_label}"
