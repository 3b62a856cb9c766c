"""The clawback program's menu entries (compliance_site.navigation; docs/architecture.md), registered when
ClawbackConfig.ready imports this module."""

from compliance_site.navigation import NavItem, register_nav

ORDER = 100  # after the dashboard, before Reg FD's entries and the shared ones

register_nav(
    NavItem("Restatements", "clawback:restatement-list", "clawback.view", "clawback", order=ORDER),
    NavItem("Executives", "clawback:executive-list", "clawback.view", "clawback", order=ORDER),
    NavItem("Awards", "clawback:award-list", "clawback.view", "clawback", order=ORDER),
    NavItem("Price data", "clawback:price-set-list", "clawback.view", "clawback", order=ORDER),
    NavItem("What-if", "clawback:whatif", "clawback.whatif", "clawback", order=ORDER),
)
