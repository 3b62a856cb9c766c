"""What the Reg FD services share: the checks their input gets, and the one way a record is written
(docs/architecture.md, "Services": `full_clean()` before save, under the actor's audit context)."""

from datetime import datetime

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


# The one way a record is written, shared with every program (docs/architecture.md, "Services").
save = save_audited
