"""The role-aware navigation: an entry shows only to users holding its capability."""

from dataclasses import dataclass

from django.urls import reverse

from compliance_site.accounts.permissions import has_capability


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: str
    section: str


NAV = (
    NavItem("Dashboard", "dashboard", "company.view", ""),
    NavItem("Restatements", "clawback:restatement-list", "clawback.view", "clawback"),
    NavItem("Executives", "clawback:executive-list", "clawback.view", "clawback"),
    NavItem("Awards", "clawback:award-list", "clawback.view", "clawback"),
    NavItem("What-if", "clawback:whatif", "clawback.whatif", "clawback"),
    NavItem("Incidents", "regfd:incident-list", "regfd.access", "regfd"),
    NavItem("Report a disclosure", "regfd:incident-report", "regfd.report", "regfd"),
    NavItem("Reg FD records", "regfd:records-home", "regfd.access", "regfd"),
    NavItem("Company", "company:profile", "company.view", ""),
    NavItem("Documents", "documents:document-list", "clawback.export", ""),
    NavItem("Dashboards", "documents:dashboards", "regfd.view", ""),
    NavItem("Audit trail", "audit:event-list", "audit.view", ""),
    NavItem("Operations", "ops:status", "ops.view", ""),
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
