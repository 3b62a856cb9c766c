"""A person's private calendar link, and what the feed last published of each event (docs/architecture.md,
"Calendar feeds")."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from compliance_site.db import unique


class CalendarFeedToken(models.Model):
    """The secret in a person's calendar link. Only its SHA-256 is stored (the link is shown once, when it is
    made); a link is revoked, never deleted, so the trail of links made and turned off stays. A person has at
    most one live link: making a new one revokes the old."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed_tokens"
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            unique(
                "user",
                condition=Q(revoked_at__isnull=True),
                name="calendarfeedtoken_one_live_per_user",
                message="This person already has a calendar link: turn it off before making another.",
            ),
        ]

    def __str__(self):
        state = "revoked" if self.revoked_at else "live"
        return f"Calendar link of {self.user} ({state}, made {self.created_at:%Y-%m-%d})"


class FeedEventRevision(models.Model):
    """What the feeds last published of one event, by its UID: its times, a fingerprint of the rest, its
    SEQUENCE and when it was last revised (its DTSTAMP). A calendar application keeps an event it has seen
    and replaces it only with a higher SEQUENCE (RFC 5545 §3.8.7.4), so the number goes up each time the
    event's time moves, and stays the same from one fetch to the next while nothing changes."""

    uid = models.CharField(max_length=200, unique=True)
    timing = models.CharField(max_length=80, help_text="The event's times as last published.")
    content = models.CharField(max_length=64, help_text="SHA-256 of its title, description and link.")
    sequence = models.PositiveIntegerField(default=0)
    revised_at = models.DateTimeField()

    class Meta:
        ordering = ["uid"]

    def __str__(self):
        return f"{self.uid} (sequence {self.sequence})"
