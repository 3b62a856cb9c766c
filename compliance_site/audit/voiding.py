"""Void, never delete: how a regulated record made by mistake leaves the live set without leaving the trail.

A voidable model's default manager (`objects`) holds only live rows, so every list, drop-down, related
lookup (`executive.awards.all()`) and computation that goes through Django's default manager drops a voided
record without having to remember to; `all_objects` holds every row, for history pages and "show voided".
Voiding sets who, when and why, and is written to the audit trail as a `void` action with the reason.
Deleting a voidable row raises: the database keeps what was once a regulated record.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from compliance_site.db import unique

from .recorder import audit_context, record_action

# A reason is a sentence, not an essay: long enough for a reference to the evidence.
VOID_REASON_MAX = 2000


# The rows still in force: a voided row no longer holds a key, so the record can be entered again correctly.
LIVE = Q(voided_at__isnull=True)


def live_unique(*fields: str, name: str, message: str) -> models.UniqueConstraint:
    """`fields` unique among the live rows of a voidable model."""
    return unique(*fields, condition=LIVE, name=name, message=message)


class RecordNotDeletable(Exception):
    """Raised on delete() of a voidable record: it is voided instead."""


class VoidableQuerySet(models.QuerySet):
    def live(self):
        return self.filter(voided_at__isnull=True)

    def voided(self):
        return self.filter(voided_at__isnull=False)

    def delete(self):
        raise RecordNotDeletable(f"{self.model._meta.verbose_name_plural} are voided, never deleted")


class LiveManager(models.Manager.from_queryset(VoidableQuerySet)):
    """The default manager: live rows only."""

    def get_queryset(self):
        return super().get_queryset().filter(voided_at__isnull=True)


AllManager = models.Manager.from_queryset(VoidableQuerySet)


class Voidable(models.Model):
    """Abstract base of a record that is voided with a reason instead of deleted."""

    voided_at = models.DateTimeField(null=True, blank=True, editable=False)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    void_reason = models.TextField(blank=True, editable=False)

    objects = LiveManager()
    all_objects = AllManager()

    class Meta:
        # Django's base manager stays the plain one, so a forward foreign key (`award.measure`) still
        # reaches a voided row: history keeps naming it.
        abstract = True

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None

    def delete(self, *args, **kwargs):
        raise RecordNotDeletable(f"{self._meta.verbose_name} {self.pk} is voided, never deleted")


def clean_void_reason(reason: str) -> str:
    """The reason, stripped; a ValidationError on `reason` when it is empty or too long."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why this record is voided (kept in the history)."})
    if len(reason) > VOID_REASON_MAX:
        raise ValidationError({"reason": f"Keep the reason under {VOID_REASON_MAX:,} characters."})
    return reason


def void_record(record: Voidable, *, actor, reason: str, now: datetime) -> Voidable:
    """Mark `record` voided by `actor` at `now` for `reason`, audited as a `void` action.

    Callers hold the transaction and check the record may go (e.g. no live award still uses a measure)."""
    reason = clean_void_reason(reason)
    if record.is_voided:
        raise ValidationError(f"{record} was already voided on {record.voided_at:%Y-%m-%d}.")
    record.voided_at, record.voided_by, record.void_reason = now, actor, reason
    with audit_context(actor=actor, reason=reason):
        record.save(update_fields=["voided_at", "voided_by", "void_reason"])
        record_action(actor=actor, verb="void", obj=record, details={"reason": reason}, reason=reason)
    return record
