"""The role-aware navigation: an entry shows only to users holding its capability.

A registry (docs/architecture.md): the shared entries are registered here, each program registers its own
from its `navigation` module, imported by its AppConfig.ready(). `NAV` is the menu in order: by `order`
(the shared entries first and last, the programs' in between), then registration order. Registering a
URL name again replaces its entry in place, so a module imported twice changes nothing.
"""

from dataclasses import dataclass

from django.urls import reverse

from compliance_site.accounts.permissions import has_capability


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: str
    section: str
    order: int = 500


NAV: list[NavItem] = []


def register_nav(*items: NavItem) -> None:
    for item in items:
        current = next((i for i, old in enumerate(NAV) if old.url_name == item.url_name), None)
        if current is None:
            NAV.append(item)
        else:
            NAV[current] = item
    NAV.sort(key=lambda item: item.order)  # stable: equal orders keep their registration order


register_nav(
    NavItem("Dashboard", "dashboard", "company.view", "", order=0),
    NavItem("Company", "company:profile", "company.view", "", order=900),
    NavItem("Board and committees", "company:seat-list", "company.view", "", order=900),
    NavItem("Documents", "documents:document-list", "clawback.export", "", order=900),
    NavItem("Dashboards", "documents:dashboards", "regfd.view", "", order=900),
    NavItem("Audit trail", "audit:event-list", "audit.view", "", order=900),
    NavItem("Operations", "ops:status", "ops.view", "", order=900),
)


def navigation_for(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    return [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "section": item.section,
            "url_name": item.url_name,
        }
        for item in NAV
        if has_capability(user, item.capability)
    ]
