"""What the admins of every app share (each app registers its own models in its `admin.py`).

The admin is a window on the records, not a door around the services (docs/architecture.md, "Services"):
a regulated record is changed only by its service, which checks the rules, asks for the reason and records
the business action; a raw change form skips all three and, with its minute-precision time widgets, rewrites
every stored instant it shows. So a regulated model is registered with `ReadOnlyAdmin` (and its inlines with
`ReadOnlyInline`): shown, never added, changed or deleted here, bulk delete included. Only administration
that is no regulated record (users and their roles, `compliance_site/accounts/admin.py`) is edited here.
"""

from datetime import UTC
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import admin
from django.db import models


def exact_instant(value) -> str | None:
    """A stored instant as stored: to the microsecond, in UTC and in the exchange's time beside it."""
    if value is None:
        return None
    utc = value.astimezone(UTC)
    exchange = value.astimezone(ZoneInfo(settings.EXCHANGE_TIME_ZONE))
    return f"{utc:%Y-%m-%d %H:%M:%S.%f} UTC ({exchange:%Y-%m-%d %H:%M:%S.%f %Z} New York)"


@cache
def _instant_column(model: type[models.Model], name: str):
    """One display function per (model, field), so every call of `get_fields` returns the same objects and
    the admin's form factory recognises them as the read-only fields they are."""
    field = model._meta.get_field(name)

    @admin.display(description=field.verbose_name, ordering=name)
    def show(obj):
        return exact_instant(getattr(obj, name))

    show.__name__ = name
    return show


def _shown(model: type[models.Model], name):
    if isinstance(name, str) and name in {
        f.name for f in model._meta.concrete_fields if isinstance(f, models.DateTimeField)
    }:
        return _instant_column(model, name)
    return name


class _ReadOnly:
    """No add, no change, no delete; every field shown, times exactly."""

    def _all_fields(self, model):
        names = [f.name for f in model._meta.concrete_fields if not f.auto_created]
        names += [f.name for f in model._meta.many_to_many]
        return [_shown(model, name) for name in names]

    def get_fields(self, request, obj=None):
        return self._all_fields(self.model)

    def get_readonly_fields(self, request, obj=None):
        return self._all_fields(self.model)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # Voided rows too (docs/architecture.md, "Voiding"): the admin shows history, not the live view.
        manager = getattr(self.model, "all_objects", self.model._default_manager)
        queryset = manager.get_queryset()
        ordering = self.get_ordering(request)
        return queryset.order_by(*ordering) if ordering else queryset


class ReadOnlyAdmin(_ReadOnly, admin.ModelAdmin):
    """A regulated record in the admin: shown, with every stored time exact, and never added, changed or
    deleted (no bulk delete either: Django offers `delete_selected` only with the delete permission)."""

    def get_list_display(self, request):
        return [_shown(self.model, name) for name in super().get_list_display(request)]


class ReadOnlyInline(_ReadOnly, admin.TabularInline):
    """A regulated record shown on its parent's admin page, read-only like the parent."""

    extra = 0
    can_delete = False
