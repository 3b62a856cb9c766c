"""What the API and the pages of one register share: its rows for a user, and how it calls its services.

Visibility stays in the program's selectors (docs/architecture.md, "Selectors"): a `Register` only names the
selector, the search function beside it and the order of the list, so the list endpoint and the list page
can never disagree on who sees which row.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone


@dataclass(frozen=True)
class Register:
    """One register of records.

    visible_to: the selector, `visible_to(user) -> QuerySet` (select_related at the source).
    search:     `search(queryset, **params) -> QuerySet`, the params being the list's validated filters.
    ordering:   the list's order; end it with a unique column so pagination never repeats or skips a row.
    """

    visible_to: Callable[[Any], QuerySet]
    search: Callable[..., QuerySet] | None = None
    ordering: tuple[str, ...] = ()

    def listed(self, queryset: QuerySet, **params) -> QuerySet:
        """`queryset` searched with `params` and put in the register's order."""
        if self.search is not None:
            queryset = self.search(queryset, **params)
        return queryset.order_by(*self.ordering) if self.ordering else queryset

    def rows(self, user, **params) -> QuerySet:
        """The rows `user` may see, searched and ordered: what a list page or endpoint shows."""
        return self.listed(self.visible_to(user), **params)


@dataclass(frozen=True)
class ServiceCall:
    """How a register calls one service (docs/architecture.md, "Services"): always `actor=`; the record
    under the service's own keyword (`record`); `now=timezone.now()` when the service takes it (`now`); the
    input as keyword arguments, or as one dict under `data_as` (an update taking "the fields given")."""

    function: Callable
    record: str | None = None
    now: bool = False
    data_as: str | None = None

    def __call__(self, *, actor, data: dict, record=None):
        kwargs: dict[str, Any] = {"actor": actor}
        if self.record is not None:
            kwargs[self.record] = record
        if self.now:
            kwargs["now"] = timezone.now()
        if self.data_as is not None:
            kwargs[self.data_as] = data
        else:
            kwargs.update(data)
        return self.function(**kwargs)
