"""A register's routes, named and laid out the same way for every register (docs/architecture.md,
"Registers")."""

from collections.abc import Callable, Mapping

from django.urls import URLPattern, path

Routes = Mapping[str, Callable | tuple[str, Callable]]


def register_urls(
    prefix: str,
    noun: str,
    *,
    list: Callable | None = None,
    detail: Callable | None = None,
    collection: Routes | None = None,
    record: Routes | None = None,
) -> list[URLPattern]:
    """The routes of one register's pages, each named `<noun>-<name>`:

        <prefix>                  <noun>-list     `list`
        <prefix><path>/           <noun>-<name>   each of `collection` (a form or report on the register)
        <prefix><int:pk>/         <noun>-detail   `detail`
        <prefix><int:pk>/<path>/  <noun>-<name>   each of `record` (an action on one record, its edit form)

    `collection` and `record` map a name to its view, or to (path, view) when the path is not the name
    (an empty path: the register's own page, when it has no list)."""
    routes = []
    if list is not None:
        routes.append(path(prefix, list, name=f"{noun}-list"))
    for name, view in (collection or {}).items():
        segment, view = view if isinstance(view, tuple) else (name, view)
        routes.append(path(f"{prefix}{segment}/" if segment else prefix, view, name=f"{noun}-{name}"))
    if detail is not None:
        routes.append(path(f"{prefix}<int:pk>/", detail, name=f"{noun}-detail"))
    for name, view in (record or {}).items():
        segment, view = view if isinstance(view, tuple) else (name, view)
        routes.append(path(f"{prefix}<int:pk>/{segment}/", view, name=f"{noun}-{name}"))
    return routes
