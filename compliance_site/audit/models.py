import hashlib
import json

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    pass


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("the audit trail is append-only")

    def delete(self):
        raise AppendOnlyError("the audit trail is append-only")


class AuditEvent(models.Model):
    """One entry of the append-only, hash-chained audit trail: who did what to which record, when and why.

    `seq` is assigned under a lock on AuditHead, so the chain has no forks and no gaps; `hash` covers every
    field and the previous entry's hash, so altering, inserting or deleting a row breaks the chain at that
    row (`manage.py verify_audit_log`).
    """

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        DELETE = "delete", "Deleted"
        ACTION = "action", "Action"

    seq = models.PositiveBigIntegerField(unique=True, editable=False)
    at = models.DateTimeField(db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_repr = models.CharField(max_length=200, help_text="Who, as known at the time (or 'system').")
    action = models.CharField(max_length=10, choices=Action.choices)
    verb = models.CharField(max_length=60, blank=True, help_text="The business action, e.g. 'approve'.")
    object_type = models.CharField(max_length=100, help_text="app_label.model")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    changes = models.JSONField(default=dict, help_text="{field: [before, after]} or details of the action")
    reason = models.TextField(blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        # Related lookups and admin actions use the base manager: make it the append-only one too.
        base_manager_name = "objects"
        indexes = [
            models.Index(fields=["object_type", "object_id", "seq"], name="audit_record_idx"),
            models.Index(fields=["actor", "seq"], name="audit_actor_idx"),
        ]

    def __str__(self):
        return (
            f"#{self.seq} {self.actor_repr} {self.get_action_display()} {self.object_type}:{self.object_id}"
        )

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events cannot be deleted")

    def payload(self) -> dict:
        return {
            "seq": self.seq,
            "at": self.at.isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor": self.actor_repr,
            "action": self.action,
            "verb": self.verb,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "changes": self.changes,
            "reason": self.reason,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        canonical = json.dumps(self.payload(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


class AuditHead(models.Model):
    """The single row locked while appending, so concurrent writers serialize on the chain's tip."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id=1),
                name="audithead_singleton",
                violation_error_message="There is one audit chain head.",
            )
        ]

    def __str__(self):
        return f"audit head at #{self.last_seq}"
