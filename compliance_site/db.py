"""Building blocks of the models of every app: a reference to a user, and constraints that say what is wrong.

A constraint's message is what a person reads when a form or a service refuses the row (`full_clean`), so
every check and every unique constraint a person can run into carries one (docs/architecture.md, Models).
These return plain Django fields and constraints: the migrations see exactly what they would see written
out in full. `row_event_models` declares the row-history models of a list of records (docs/architecture.md,
"Row history").
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from compliance_site.history.tracking import row_events


def user_ref(*, optional: bool = False, related_name: str = "+", **kwargs) -> models.ForeignKey:
    """A foreign key to a user (who recorded, approved, answered...). A user who acted on a regulated record
    is never deleted from under it (PROTECT); `optional` when nobody has acted yet."""
    if optional:
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name=related_name, **kwargs
    )


def check(condition: Q, *, name: str, message: str) -> models.CheckConstraint:
    """A check constraint with the message a person reads when a row breaks it."""
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=message)


def unique(*fields: str, name: str, message: str | None = None, condition: Q | None = None):
    """A named unique constraint over `fields` (only over the rows matching `condition` when given)."""
    return models.UniqueConstraint(
        fields=list(fields), condition=condition, name=name, violation_error_message=message
    )


def not_before(*, later: str, earlier: str, name: str, message: str, optional: bool = False):
    """`later` is on or after `earlier` (a span cannot end before it starts); `optional` when `later` may be
    empty (still running, not yet happened)."""
    condition = Q(**{f"{later}__gte": models.F(earlier)})
    if optional:
        condition = Q(**{f"{later}__isnull": True}) | condition
    return check(condition, name=name, message=message)


def row_event_models(
    *tracked: type[models.Model], app_label: str, module: str
) -> dict[str, type[models.Model]]:
    """The row-event model of each of `tracked`, by name (`ExecutiveRowEvent` for `Executive`), declared in
    `module` (the caller's `__name__`), which binds the names: `globals().update(row_event_models(...))`."""
    declared = {}
    for model in tracked:
        name = f"{model.__name__}RowEvent"
        base = row_events(model, app_label=app_label)
        declared[name] = type(name, (base,), {"__module__": module, "__qualname__": name})
    return declared
