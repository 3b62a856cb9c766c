"""The panels programs add to the shared pages (docs/architecture.md): the landing page (HOME), the
dashboards (DASHBOARDS) and the documents page's request forms (DOCUMENTS).

A shared page never imports a program. It asks `panels_for(page, user)` for the panels the user may see,
in order, merges each panel's context into its own and includes each panel's template. Each program
registers its panels from its own `panels` module, imported by its AppConfig.ready():

    @register_panel(HOME, "regfd", template="panels/regfd/home.html", capability="regfd.access", order=10)
    def home(*, user, now) -> dict: ...

A plain dict keyed by (page, name): registering a name again replaces its panel, so a module imported twice
(autoreload, tests) changes nothing; `order`, then the name, fixes the order on the page.
"""

from collections.abc import Callable
from dataclasses import dataclass

from compliance_site.accounts.permissions import has_capability

HOME = "home"
DASHBOARDS = "dashboards"
DOCUMENTS = "documents"


@dataclass(frozen=True)
class Panel:
    page: str
    name: str
    template: str  # included by the page, with the page's context and this panel's
    capability: str  # who sees the panel
    context: Callable[..., dict]  # (*, user, now) -> the panel's context
    order: int = 100


PANELS: dict[tuple[str, str], Panel] = {}


def register_panel(page: str, name: str, *, template: str, capability: str, order: int = 100):
    """Decorator for the panel's context function `f(*, user, now) -> dict`."""

    def wrap(context: Callable[..., dict]) -> Callable[..., dict]:
        PANELS[(page, name)] = Panel(page, name, template, capability, context, order)
        return context

    return wrap


def panels_of(page: str) -> list[Panel]:
    return sorted((p for p in PANELS.values() if p.page == page), key=lambda p: (p.order, p.name))


def panels_for(page: str, user) -> list[Panel]:
    """The page's panels this user may see, in order."""
    return [panel for panel in panels_of(page) if has_capability(user, panel.capability)]


def panel_context(panels: list[Panel], *, user, now) -> dict:
    """The panels' contexts merged, in order, with the list itself as `panels` (for the page's includes)."""
    context: dict = {"panels": panels}
    for panel in panels:
        context.update(panel.context(user=user, now=now))
    return context
