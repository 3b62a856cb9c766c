from django.db import models
from django.db.models import Q

from compliance_site.audit.recorder import register
from compliance_site.db import unique, user_ref


@register
class MarketClosure(models.Model):
    """One NYSE calendar fact (docs/regfd-rules §3): a full-day closure or a 1:00 pm early close, with its
    source.

    Seeded from the exchange's published calendar (python-holidays' NYSE calendar); administrators add
    unscheduled closures (the NYSE closed on 2025-01-09). Rows are deactivated, never deleted, and every
    edit is in the audit trail; the calendar version is the hash of the active rows.
    """

    class Kind(models.TextChoices):
        CLOSURE = "closure", "Full-day closure"
        EARLY_CLOSE = "early_close", "Early close (1:00 pm ET)"

    exchange = models.CharField(max_length=10, default="NYSE")
    date = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=200)
    source = models.CharField(max_length=300, help_text="Where this comes from (exchange notice, URL).")
    active = models.BooleanField(default=True)
    added_by = user_ref(optional=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            unique(
                "exchange",
                "date",
                condition=Q(active=True),
                name="marketclosure_one_active_per_day",
                message="The calendar already has a closure or early close on that day.",
            )
        ]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}: {self.name}"
