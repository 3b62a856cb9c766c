import hashlib
import hmac
import json

from django.conf import settings
from django.db import models

from compliance_site.db import check, user_ref


class AppendOnlyError(Exception):
    pass


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("the audit trail is append-only")

    def delete(self):
        raise AppendOnlyError("the audit trail is append-only")


class Scheme(models.TextChoices):
    """How an entry's `hash` is computed (docs/architecture.md, the audit trail).

    SHA256 is the original unkeyed chain: anyone with database access can recompute it, so it is only
    accepted for entries written before the keyed chain existed (never after a keyed entry). HMAC_SHA256 is
    keyed with settings.AUDIT_CHAIN_KEY, which comes from the environment and is never stored in the
    database: without it a valid entry cannot be forged.
    """

    SHA256 = "sha256", "SHA-256 (unkeyed, before the keyed chain)"
    HMAC_SHA256 = "hmac-sha256", "HMAC-SHA256 keyed with AUDIT_CHAIN_KEY"


# The scheme new entries are written with. Tests simulating entries from before the keyed chain patch it.
WRITE_SCHEME = Scheme.HMAC_SHA256


class AuditEvent(models.Model):
    """One entry of the append-only, hash-chained audit trail: who did what to which record, when and why.

    `seq` is assigned under a lock on AuditHead, so the chain has no forks and no gaps; `hash` is an HMAC,
    keyed from the environment, of every field and the previous entry's hash, so altering, inserting or
    deleting a row breaks the chain at that row, and a forger without the key cannot repair it
    (`manage.py verify_audit_log`). Checkpoints of the head kept outside the database
    (`compliance_site/audit/checkpoints.py`) catch a truncated tail or a chain rebuilt from the start.
    """

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        DELETE = "delete", "Deleted"
        ACTION = "action", "Action"

    seq = models.PositiveBigIntegerField(unique=True, editable=False)
    at = models.DateTimeField(db_index=True, editable=False)
    actor = user_ref(optional=True)
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
    scheme = models.CharField(max_length=20, choices=Scheme.choices, editable=False)

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
        """What the hash covers. Keyed entries also cover their scheme, so one cannot be relabelled; unkeyed
        entries keep the exact payload they were hashed with."""
        data = {
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
        if self.scheme != Scheme.SHA256:
            data["scheme"] = self.scheme
        return data

    def compute_hash(self, *, key: str | None = None) -> str:
        """The hash of this entry under its own scheme; keyed entries use `key` or AUDIT_CHAIN_KEY."""
        canonical = json.dumps(
            self.payload(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
        if self.scheme == Scheme.SHA256:
            return hashlib.sha256(canonical).hexdigest()
        if self.scheme == Scheme.HMAC_SHA256:
            secret = key if key is not None else settings.AUDIT_CHAIN_KEY
            return hmac.new(secret.encode(), canonical, hashlib.sha256).hexdigest()
        raise ValueError(f"unknown audit hash scheme {self.scheme!r}")

    def seal(self) -> None:
        """Give a new entry the current scheme and its hash (the recorder calls this under the head lock)."""
        self.scheme = WRITE_SCHEME
        self.hash = self.compute_hash()


class AuditHead(models.Model):
    """The single row locked while appending, so concurrent writers serialize on the chain's tip."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [
            check(
                models.Q(id=1),
                name="audithead_singleton",
                message="There is one audit chain head.",
            )
        ]

    def __str__(self):
        return f"audit head at #{self.last_seq}"
