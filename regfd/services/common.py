"""What the Reg FD services share: the checks their input gets, and the one way a record is written
(docs/architecture.md, "Services": `full_clean()` before save, under the actor's audit context)."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import models

from compliance_site.audit.recorder import save_audited

IN_THE_FUTURE = "This time is in the future."


def require_aware(value: datetime | None, field: str, *, required: bool = True) -> None:
    if value is None:
        if required:
            raise ValidationError({field: "This time is required."})
        return
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError({field: "Give the time with its zone; a time without one is never assumed."})


def require_text(value: str, field: str, message: str) -> None:
    if not (value or "").strip():
        raise ValidationError({field: message})


def require_past(value: datetime | None, field: str, *, now: datetime) -> None:
    """A time a person reports as having happened cannot be later than the moment they report it."""
    if value is not None and value > now:
        raise ValidationError({field: IN_THE_FUTURE})


def locked(record: models.Model) -> models.Model:
    """The record read again under a row lock, so two people acting at once cannot both pass its checks."""
    return type(record).objects.select_for_update().get(pk=record.pk)


def grant(
    model: type[models.Model],
    *,
    actor,
    now: datetime,
    valid_from: date,
    valid_until: date,
    noun: str,
    verb: str = "",
    **fields,
) -> models.Model:
    """Give a standing grant (regfd.models.grants.Grant: a spokesperson's authorization, a delegation of the
    CFO's sign-off) for the New York dates `valid_from` to `valid_until`, given at `now`, with the model's own
    `fields`. Who may give it and to whom is the caller's rule; `noun` names the record in the refusals."""
    require_aware(now, "now")
    if valid_until < valid_from:
        raise ValidationError({"valid_until": f"The {noun} cannot end before it starts."})
    record = model(valid_from=valid_from, valid_until=valid_until, created_at=now, **fields)
    return save_audited(record, actor=actor, verb=verb)


def revoke(record: models.Model, *, actor, now: datetime, reason: str, noun: str, verb: str) -> models.Model:
    """Withdraw a standing grant (a spokesperson's authorization, a delegation of the CFO's sign-off): it ends
    at `now` and stays on record with who revoked it and why (`revoked_at`, `revoked_by`,
    `revocation_reason`). Who may revoke is the caller's rule; `noun` names the record in the refusals."""
    require_aware(now, "now")
    record = locked(record)
    if record.revoked_at is not None:
        raise ValidationError(f"This {noun} is already revoked.")
    require_text(reason, "reason", f"Say why the {noun} is revoked.")
    record.revoked_at = now
    record.revoked_by = actor
    record.revocation_reason = reason
    return save_audited(record, actor=actor, reason=reason, verb=verb)


# The one way a record is written, shared with every program (docs/architecture.md, "Services").
save = save_audited
