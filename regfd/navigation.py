"""The Reg FD program's menu entries (compliance_site.navigation; docs/architecture.md), registered when
RegfdConfig.ready imports this module."""

from compliance_site.navigation import NavItem, register_nav

ORDER = 200  # after the clawback entries, before the shared ones

register_nav(
    NavItem("Incidents", "regfd:incident-list", "regfd.access", "regfd", order=ORDER),
    NavItem("Report a disclosure", "regfd:incident-report", "regfd.report", "regfd", order=ORDER),
    NavItem("Reg FD records", "regfd:records-home", "regfd.access", "regfd", order=ORDER),
    # The library of what the company has already made public (docs/regfd-rules §2.9).
    NavItem("Public statements", "regfd:statement-list", "regfd.view", "regfd", order=ORDER),
)
