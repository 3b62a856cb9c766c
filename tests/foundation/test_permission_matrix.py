"""Every URL of the project, GET as anonymous and as each role, against one table.

The table is derived from the capability table in roles.py wherever a view is guarded by one capability;
object-level rules (who may see which incident, attachment or case) are spelled out. A route that exists but
has no row here fails, so a new page or endpoint cannot ship without deciding who may open it.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from rest_framework.test import APIClient

from clawback.models import Executive, OfficerPeriod
from compliance_site.accounts.roles import Role, roles_with
from compliance_site.navigation import NAV
from regfd.models import MarketClosure
from tests.documents.matrix import world_document
from tests.factories import UserFactory

ROLES = [role.value for role in Role]
ANON = "anonymous"
LOGIN_PREFIX = "/accounts/login/?next="
ADMIN_LOGIN_PREFIX = "/admin/login/?next="

# ---------------------------------------------------------------------------------------------------------
# Route discovery
# ---------------------------------------------------------------------------------------------------------

_FORMAT_SUFFIX = re.compile(r"\\?\.\(\?P<format>[^)]*\)/?\$?$|\.<(?:[a-z_]+:)?format>/?$")


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            full_ns = ":".join(part for part in (namespace, ns) if part) if ns else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), full_ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield prefix + str(pattern.pattern), name


def discover_routes() -> dict[str, str]:
    """{key: route}, key being the URL name (or the route string for an unnamed pattern).

    Format-suffix variants (`\\.(?P<format>...)`, `.<format>`) are the same view as the plain route and are
    folded into it; the admin's own pages are the admin's business, except its index.
    """
    routes = {}
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith("admin/") and name != "admin:index":
            continue
        if _FORMAT_SUFFIX.search(route) or "(?P<format>" in route or "<format>" in route:
            continue
        routes[name or route] = route
    return routes


DISCOVERED = discover_routes()

# ---------------------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------------------

Expected = int | tuple[int, str]  # a status, or (302, the Location prefix)


@dataclass(frozen=True)
class Row:
    url: Callable  # world -> URL (with a query string when the view needs one)
    roles: dict[str, Expected]
    anon: Expected = (302, LOGIN_PREFIX)
    api: bool = False
    note: str = ""
    skip_resolve_check: bool = field(default=False)


def by_capability(
    capability: str, yes: Expected = 200, no: Expected = 403, **overrides
) -> dict[str, Expected]:
    holders = roles_with(capability)
    table = {role: (yes if Role(role) in holders else no) for role in ROLES}
    table.update(overrides)
    return table


def everyone(status: Expected) -> dict[str, Expected]:
    return {role: status for role in ROLES}


def among(roles, yes: Expected = 200, no: Expected = 403) -> dict[str, Expected]:
    roles = {str(role) for role in roles}
    return {role: (yes if role in roles else no) for role in ROLES}


def web(url, roles, **kw) -> Row:
    return Row(url=url, roles=roles, **kw)


def api(url, roles, anon: Expected = 401, **kw) -> Row:
    return Row(url=url, roles=roles, anon=anon, api=True, **kw)


# The incident of the `world` fixture is reported by the secretary: the program's officers (regfd.view) see
# it, and the reporter; committee and employee hold regfd.report but see only their own reports.
INCIDENT_VISIBLE = {r.value for r in roles_with("regfd.view")} | {"secretary"}
# Auditors "read and export everything" (roles.py): reading Reg FD incidents is regfd.view *or* regfd.report.
INCIDENT_READERS = {r.value for r in roles_with("regfd.view") | roles_with("regfd.report")}


def visible_incident(yes: Expected = 200, not_visible: Expected = 404) -> dict[str, Expected]:
    return {role: (yes if role in INCIDENT_VISIBLE else not_visible) for role in ROLES}


def _record_query(w) -> str:
    return f"?record_type=regfd.incident&record_id={w.incident.pk}"


def _closure(w) -> MarketClosure:
    """A row of the seeded trading calendar."""
    return MarketClosure.objects.order_by("pk").first()


def _measure(w):
    """A measure of the world's company (made on first use; the world fixture has none)."""
    from clawback.models import Measure

    return Measure.objects.get_or_create(
        company=w.company, key="net_income", defaults={"name": "Net income", "category": "net_income"}
    )[0]


def _event(w):
    from clawback.models import RestatementEvent

    return RestatementEvent.objects.get_or_create(
        restatement=w.case, kind="board_concluded", defaults={"date": w.case.created_at.date()}
    )[0]


# The world's case cannot be evaluated (its company has no fiscal calendar): the worksheet page says why,
# the scenario export sends the user there, the API answers 409.
CASE_INCOMPLETE = "/clawback/restatements/"


EXPECTED: dict[str, Row] = {
    # ---- site ----
    "dashboard": web(lambda w: reverse("dashboard"), everyone(200)),
    "healthz": web(lambda w: reverse("healthz"), everyone(200), anon=200),
    # ---- accounts ----
    "accounts:login": web(
        lambda w: reverse("accounts:login"),
        everyone((302, "/")),
        anon=200,
        note="redirect_authenticated_user",
    ),
    "accounts:logout": web(lambda w: reverse("accounts:logout"), everyone(405), anon=405, note="POST only"),
    "accounts:password-change": web(lambda w: reverse("accounts:password-change"), everyone(200)),
    "accounts:preferences": web(lambda w: reverse("accounts:preferences"), everyone(200)),
    # ---- audit ----
    "audit:event-list": web(lambda w: reverse("audit:event-list"), by_capability("audit.view")),
    "audit:event-export": web(
        lambda w: reverse("audit:event-export", args=["csv"]), by_capability("audit.export")
    ),
    "audit:record-history": web(
        lambda w: reverse("audit:record-history", args=[w.event.object_type, w.event.object_id]),
        by_capability("audit.view"),
    ),
    # ---- company ----
    "company:profile": web(lambda w: reverse("company:profile"), by_capability("company.view")),
    "company:edit": web(lambda w: reverse("company:edit"), by_capability("company.manage")),
    "company:period-add": web(lambda w: reverse("company:period-add"), by_capability("company.manage")),
    "company:policy-add": web(lambda w: reverse("company:policy-add"), by_capability("company.manage")),
    "company:policy-detail": web(
        lambda w: reverse("company:policy-detail", args=[w.policy.pk]), by_capability("company.view")
    ),
    # ---- attachments (who may see the record may see its files) ----
    "attachments:download": web(
        lambda w: reverse("attachments:download", args=[w.attachment.pk]), visible_incident()
    ),
    "attachments:record": web(
        lambda w: reverse("attachments:record", args=["regfd.incident", w.incident.pk]), visible_incident()
    ),
    "attachments:upload": web(
        lambda w: reverse("attachments:upload", args=["regfd.incident", w.incident.pk]),
        everyone(405),
        note="POST only",
    ),
    # ---- operations ----
    "ops:status": web(lambda w: reverse("ops:status"), by_capability("ops.view")),
    # ---- clawback ----
    "clawback:restatement-list": web(
        lambda w: reverse("clawback:restatement-list"), by_capability("clawback.view")
    ),
    "clawback:restatement-detail": web(
        lambda w: reverse("clawback:restatement-detail", args=[w.case.pk]), by_capability("clawback.view")
    ),
    "clawback:executive-list": web(
        lambda w: reverse("clawback:executive-list"), by_capability("clawback.view")
    ),
    "clawback:award-list": web(lambda w: reverse("clawback:award-list"), by_capability("clawback.view")),
    "clawback:whatif": web(lambda w: reverse("clawback:whatif"), by_capability("clawback.whatif")),
    "clawback:restatement-create": web(
        lambda w: reverse("clawback:restatement-create"), by_capability("clawback.manage")
    ),
    "clawback:restatement-edit": web(
        lambda w: reverse("clawback:restatement-edit", args=[w.case.pk]), by_capability("clawback.manage")
    ),
    "clawback:restatement-event-add": web(
        lambda w: reverse("clawback:restatement-event-add", args=[w.case.pk]),
        by_capability("clawback.manage"),
    ),
    "clawback:restatement-event-edit": web(
        lambda w: reverse("clawback:restatement-event-edit", args=[w.case.pk, _event(w).pk]),
        by_capability("clawback.manage"),
    ),
    "clawback:restatement-worksheet": web(
        lambda w: reverse("clawback:restatement-worksheet", args=[w.case.pk]), by_capability("clawback.view")
    ),
    "clawback:restatement-acknowledge": web(
        lambda w: reverse("clawback:restatement-acknowledge", args=[w.case.pk]),
        by_capability("clawback.manage", yes=405),
        note="POST only",
    ),
    "clawback:acknowledgement-list": web(
        lambda w: reverse("clawback:acknowledgement-list"), by_capability("clawback.view")
    ),
    "clawback:restatement-scenario": web(
        lambda w: reverse("clawback:restatement-scenario", args=[w.case.pk]),
        by_capability("clawback.export", yes=(302, CASE_INCOMPLETE)),
    ),
    "clawback:executive-create": web(
        lambda w: reverse("clawback:executive-create"), by_capability("clawback.manage")
    ),
    "clawback:executive-detail": web(
        lambda w: reverse("clawback:executive-detail", args=[w.executive.pk]), by_capability("clawback.view")
    ),
    "clawback:executive-edit": web(
        lambda w: reverse("clawback:executive-edit", args=[w.executive.pk]), by_capability("clawback.manage")
    ),
    "clawback:measure-list": web(lambda w: reverse("clawback:measure-list"), by_capability("clawback.view")),
    "clawback:measure-create": web(
        lambda w: reverse("clawback:measure-create"), by_capability("clawback.manage")
    ),
    "clawback:measure-detail": web(
        lambda w: reverse("clawback:measure-detail", args=[_measure(w).pk]), by_capability("clawback.view")
    ),
    "clawback:measure-edit": web(
        lambda w: reverse("clawback:measure-edit", args=[_measure(w).pk]), by_capability("clawback.manage")
    ),
    "clawback:award-create": web(
        lambda w: reverse("clawback:award-create"), by_capability("clawback.manage")
    ),
    "clawback:award-detail": web(
        lambda w: reverse("clawback:award-detail", args=[w.award.pk]), by_capability("clawback.view")
    ),
    "clawback:award-edit": web(
        lambda w: reverse("clawback:award-edit", args=[w.award.pk]), by_capability("clawback.manage")
    ),
    "clawback:award-credit-add": web(
        lambda w: reverse("clawback:award-credit-add", args=[w.award.pk]), by_capability("clawback.manage")
    ),
    "clawback:void": web(
        lambda w: reverse("clawback:void", args=["award", w.award.pk]), by_capability("clawback.manage")
    ),
    "clawback:recovery-event-reverse": web(
        lambda w: reverse("clawback:recovery-event-reverse", args=[_recovery_event(w).pk]),
        by_capability("clawback.view"),
    ),
    "clawback:restatement-restated-values": web(
        lambda w: reverse("clawback:restatement-restated-values", args=[w.case.pk]),
        by_capability("clawback.manage"),
    ),
    "clawback:list-export": web(
        lambda w: reverse("clawback:list-export", args=["awards", "csv"]), by_capability("clawback.export")
    ),
    "clawback:import-index": web(
        lambda w: reverse("clawback:import-index"), by_capability("clawback.manage")
    ),
    "clawback:import-scenario": web(
        lambda w: reverse("clawback:import-scenario"), by_capability("clawback.manage")
    ),
    "clawback:import-records": web(
        lambda w: reverse("clawback:import-records", args=["executives"]), by_capability("clawback.manage")
    ),
    "clawback:import-template": web(
        lambda w: reverse("clawback:import-template", args=["awards", "xlsx"]),
        by_capability("clawback.manage"),
    ),
    # ---- Reg FD ----
    "regfd:incident-list": web(lambda w: reverse("regfd:incident-list"), among(INCIDENT_READERS)),
    "regfd:incident-report": web(lambda w: reverse("regfd:incident-report"), by_capability("regfd.report")),
    "regfd:incident-detail": web(
        lambda w: reverse("regfd:incident-detail", args=[w.incident.pk]), visible_incident()
    ),
    "regfd:incident-record-disclosure": web(
        lambda w: reverse("regfd:incident-record-disclosure", args=[w.incident.pk]),
        by_capability("regfd.manage", yes=405),
        note="POST only",
    ),
    "regfd:incident-close": web(
        lambda w: reverse("regfd:incident-close", args=[w.incident.pk]),
        by_capability("regfd.manage", yes=405),
        note="POST only",
    ),
    "regfd:incident-assess-materiality": web(
        lambda w: reverse("regfd:incident-assess-materiality", args=[w.incident.pk]),
        by_capability("regfd.manage", yes=405),
        note="POST only",
    ),
    "regfd:incident-conclude": web(
        lambda w: reverse("regfd:incident-conclude", args=[w.incident.pk]),
        by_capability("regfd.conclude", yes=405),
        note="POST only, counsel",
    ),
    "regfd:incident-claim-exclusion": web(
        lambda w: reverse("regfd:incident-claim-exclusion", args=[w.incident.pk]),
        by_capability("regfd.manage", yes=405),
        note="POST only",
    ),
    "regfd:incident-correct-learned-at": web(
        lambda w: reverse("regfd:incident-correct-learned-at", args=[w.incident.pk]),
        by_capability("regfd.manage", yes=405),
        note="POST only",
    ),
    # The trading calendar: Administrators only (accounts.manage, reused; no capability of its own).
    "regfd:calendar-list": web(lambda w: reverse("regfd:calendar-list"), by_capability("accounts.manage")),
    "regfd:calendar-add": web(
        lambda w: reverse("regfd:calendar-add"), by_capability("accounts.manage", yes=405), note="POST only"
    ),
    "regfd:calendar-deactivate": web(
        lambda w: reverse("regfd:calendar-deactivate", args=[_closure(w).pk]),
        by_capability("accounts.manage", yes=405),
        note="POST only",
    ),
    # ---- generated documents and dashboards ----
    "documents:document-list": web(
        lambda w: reverse("documents:document-list"), by_capability("clawback.export")
    ),
    "documents:document-request": web(
        lambda w: reverse("documents:document-request"), everyone(405), note="POST only"
    ),
    "documents:document-detail": web(
        lambda w: reverse("documents:document-detail", args=[world_document(w).pk]),
        among(roles_with("regfd.export"), no=404),
    ),
    "documents:document-status": web(
        lambda w: reverse("documents:document-status", args=[world_document(w).pk]),
        among(roles_with("regfd.export"), no=404),
    ),
    "documents:document-download": web(
        lambda w: reverse("documents:document-download", args=[world_document(w).pk]),
        among(roles_with("regfd.export"), no=404),
    ),
    "documents:document-regenerate": web(
        lambda w: reverse("documents:document-regenerate", args=[world_document(w).pk]),
        everyone(405),
        note="POST only",
    ),
    "documents:branding": web(lambda w: reverse("documents:branding"), by_capability("accounts.manage")),
    "documents:dashboards": web(
        lambda w: reverse("documents:dashboards"),
        among(roles_with("clawback.view") | roles_with("regfd.view")),
    ),
    # ---- API ----
    "api-token": api(lambda w: reverse("api-token"), everyone(405), anon=405, note="POST only, open to all"),
    "accounts-api:me": api(lambda w: reverse("accounts-api:me"), everyone(200)),
    "company-api:company": api(lambda w: reverse("company-api:company"), by_capability("company.view")),
    "company-api:fiscal-period-list": api(
        lambda w: reverse("company-api:fiscal-period-list"), by_capability("company.view")
    ),
    "company-api:policy-list": api(
        lambda w: reverse("company-api:policy-list"), by_capability("company.view")
    ),
    "company-api:policy-detail": api(
        lambda w: reverse("company-api:policy-detail", args=[w.policy.pk]), by_capability("company.view")
    ),
    "audit-api:event-list": api(lambda w: reverse("audit-api:event-list"), by_capability("audit.view")),
    "audit-api:event-detail": api(
        lambda w: reverse("audit-api:event-detail", args=[w.event.pk]), by_capability("audit.view")
    ),
    "attachments-api:attachment-list": api(
        lambda w: reverse("attachments-api:attachment-list") + _record_query(w), visible_incident()
    ),
    "attachments-api:attachment-detail": api(
        lambda w: reverse("attachments-api:attachment-detail", args=[w.attachment.pk]), visible_incident()
    ),
    "attachments-api:attachment-download": api(
        lambda w: reverse("attachments-api:attachment-download", args=[w.attachment.pk]), visible_incident()
    ),
    # POST-only: roles holding clawback.whatif get 405 for a GET, others 403.
    "notifications:list": web(lambda w: reverse("notifications:list"), by_capability("notifications.view")),
    "notifications:read": web(
        lambda w: reverse("notifications:read", args=[1]),
        by_capability("notifications.view", yes=405),
        note="POST only",
    ),
    "notifications:read-all": web(
        lambda w: reverse("notifications:read-all"),
        by_capability("notifications.view", yes=405),
        note="POST only",
    ),
    "ops:reminder-retry": web(
        lambda w: reverse("ops:reminder-retry", args=[1]),
        by_capability("ops.view", yes=405),
        note="POST only",
    ),
    "notifications-api:notification-list": api(
        lambda w: reverse("notifications-api:notification-list"), by_capability("notifications.view")
    ),
    "notifications-api:notification-mark-read": api(
        lambda w: reverse("notifications-api:notification-mark-read", args=[1]),
        everyone(405),
        note="POST only",
    ),
    "notifications-api:notification-mark-all-read": api(
        lambda w: reverse("notifications-api:notification-mark-all-read"), everyone(405), note="POST only"
    ),
    "clawback-api:whatif": api(
        lambda w: reverse("clawback-api:whatif"), by_capability("clawback.whatif", yes=405)
    ),
    "clawback-api:restatement-list": api(
        lambda w: reverse("clawback-api:restatement-list"), by_capability("clawback.view")
    ),
    "clawback-api:restatement-detail": api(
        lambda w: reverse("clawback-api:restatement-detail", args=[w.case.pk]), by_capability("clawback.view")
    ),
    "clawback-api:executive-list": api(
        lambda w: reverse("clawback-api:executive-list"), by_capability("clawback.view")
    ),
    "clawback-api:executive-detail": api(
        lambda w: reverse("clawback-api:executive-detail", args=[w.executive.pk]),
        by_capability("clawback.view"),
    ),
    "clawback-api:award-list": api(
        lambda w: reverse("clawback-api:award-list"), by_capability("clawback.view")
    ),
    "clawback-api:award-detail": api(
        lambda w: reverse("clawback-api:award-detail", args=[w.award.pk]), by_capability("clawback.view")
    ),
    "clawback-api:measure-list": api(
        lambda w: reverse("clawback-api:measure-list"), by_capability("clawback.view")
    ),
    "clawback-api:measure-detail": api(
        lambda w: reverse("clawback-api:measure-detail", args=[_measure(w).pk]),
        by_capability("clawback.view"),
    ),
    "clawback-api:executive-create": api(
        lambda w: reverse("clawback-api:executive-create"),
        by_capability("clawback.manage", yes=405),
        note="POST only",
    ),
    "clawback-api:executive-update": api(
        lambda w: reverse("clawback-api:executive-update", args=[w.executive.pk]),
        by_capability("clawback.manage", yes=405),
        note="POST only",
    ),
    "clawback-api:measure-create": api(
        lambda w: reverse("clawback-api:measure-create"),
        by_capability("clawback.manage", yes=405),
        note="POST only",
    ),
    "clawback-api:measure-update": api(
        lambda w: reverse("clawback-api:measure-update", args=[_measure(w).pk]),
        by_capability("clawback.manage", yes=405),
        note="POST only",
    ),
    "clawback-api:award-create": api(
        lambda w: reverse("clawback-api:award-create"),
        by_capability("clawback.manage", yes=405),
        note="POST only",
    ),
    "clawback-api:award-update": api(
        lambda w: reverse("clawback-api:award-update", args=[w.award.pk]),
        by_capability("clawback.manage", yes=405),
        note="POST only",
    ),
    "clawback-api:restatement-create": api(
        lambda w: reverse("clawback-api:restatement-create"),
        by_capability("clawback.manage", yes=405),
        note="POST only",
    ),
    "clawback-api:restatement-update": api(
        lambda w: reverse("clawback-api:restatement-update", args=[w.case.pk]),
        by_capability("clawback.manage", yes=405),
        note="POST only",
    ),
    "clawback-api:restatement-event-create": api(
        lambda w: reverse("clawback-api:restatement-event-create", args=[w.case.pk]),
        by_capability("clawback.manage", yes=405),
        note="POST only",
    ),
    "clawback-api:restatement-event-update": api(
        lambda w: reverse("clawback-api:restatement-event-update", args=[w.case.pk, _event(w).pk]),
        by_capability("clawback.manage", yes=405),
        note="POST only",
    ),
    "clawback-api:acknowledgement-list": api(
        lambda w: reverse("clawback-api:acknowledgement-list"), by_capability("clawback.view")
    ),
    "clawback-api:acknowledgement-create": api(
        lambda w: reverse("clawback-api:acknowledgement-create"),
        by_capability("clawback.manage", yes=405),
        note="POST only",
    ),
    "clawback-api:restatement-worksheet": api(
        lambda w: reverse("clawback-api:restatement-worksheet", args=[w.case.pk]),
        by_capability("clawback.view", yes=409),
        note="the world's case has no fiscal calendar",
    ),
    "clawback-api:restatement-scenario": api(
        lambda w: reverse("clawback-api:restatement-scenario", args=[w.case.pk]),
        by_capability("clawback.export", yes=409),
        note="the world's case has no fiscal calendar",
    ),
    # Voiding (never deleting), restated values, credits and ledger reversals: POST only, like the record's
    # edit endpoint (clawback.manage); the method check comes before the record is looked up.
    **{
        f"clawback-api:{name}": api(
            lambda w, name=name, args=args: reverse(f"clawback-api:{name}", args=args(w)),
            by_capability("clawback.manage", yes=405),
            note="POST only",
        )
        for name, args in {
            "executive-void": lambda w: [w.executive.pk],
            "executive-officer-period-void": lambda w: [
                w.executive.pk,
                w.executive.officer_periods.first().pk,
            ],
            "measure-void": lambda w: [_measure(w).pk],
            "measure-value-void": lambda w: [_measure(w).pk, 1],
            "award-void": lambda w: [w.award.pk],
            "award-component-void": lambda w: [w.award.pk, 1],
            "award-credit-create": lambda w: [w.award.pk],
            "award-credit-void": lambda w: [w.award.pk, 1],
            "restatement-event-void": lambda w: [w.case.pk, _event(w).pk],
            "restatement-restated-values": lambda w: [w.case.pk],
            "restatement-restated-value-void": lambda w: [w.case.pk, 1],
            "restatement-estimate-void": lambda w: [w.case.pk, 1],
            "claim-event-reverse": lambda w: [_claim(w).pk, 1],
        }.items()
    },
    # Reading incidents needs no capability of its own in the API; the selector decides (own reports only).
    "regfd-api:incident-list": api(lambda w: reverse("regfd-api:incident-list"), everyone(200)),
    "regfd-api:incident-detail": api(
        lambda w: reverse("regfd-api:incident-detail", args=[w.incident.pk]), visible_incident()
    ),
    "regfd-api:incident-record-disclosure": api(
        lambda w: reverse("regfd-api:incident-record-disclosure", args=[w.incident.pk]),
        everyone(405),
        note="POST only",
    ),
    "regfd-api:incident-close-not-required": api(
        lambda w: reverse("regfd-api:incident-close-not-required", args=[w.incident.pk]),
        everyone(405),
        note="POST only",
    ),
    "regfd-api:incident-assess-materiality": api(
        lambda w: reverse("regfd-api:incident-assess-materiality", args=[w.incident.pk]),
        everyone(405),
        note="POST only",
    ),
    "regfd-api:incident-conclude": api(
        lambda w: reverse("regfd-api:incident-conclude", args=[w.incident.pk]),
        everyone(405),
        note="POST only",
    ),
    "regfd-api:incident-claim-exclusion": api(
        lambda w: reverse("regfd-api:incident-claim-exclusion", args=[w.incident.pk]),
        everyone(405),
        note="POST only",
    ),
    "regfd-api:incident-correct-learned-at": api(
        lambda w: reverse("regfd-api:incident-correct-learned-at", args=[w.incident.pk]),
        everyone(405),
        note="POST only",
    ),
    "regfd-api:deadline": api(
        lambda w: reverse("regfd-api:deadline") + "?learned_at=2026-03-03T14:00Z", everyone(200)
    ),
    "regfd-api:calendar-list": api(lambda w: reverse("regfd-api:calendar-list"), everyone(200)),
    "regfd-api:calendar-deactivate": api(
        lambda w: reverse("regfd-api:calendar-deactivate", args=[_closure(w).pk]),
        everyone(405),
        note="POST only, Administrators",
    ),
    "api-schema": api(lambda w: reverse("api-schema"), everyone(200)),
    "api-docs": api(lambda w: reverse("api-docs"), everyone(200)),
    # ---- the admin site: Administrators only ----
    "admin:index": web(
        lambda w: reverse("admin:index"),
        by_capability("accounts.manage", no=(302, ADMIN_LOGIN_PREFIX)),
        anon=(302, ADMIN_LOGIN_PREFIX),
    ),
}


# ---- Reg FD policy records (regfd/views/records.py, regfd/views/spokespersons.py, regfd/api/records.py) ----
# One record of each kind, built through the services the first time a row needs it. The employee is the
# authorized spokesperson, the receiver of the request and the asker of the question: the program's officers
# (regfd.view) and the employee see those records, the committee member (regfd.access only) gets a 404.
REGFD_MANAGE_OR_APPROVE = roles_with("regfd.manage") | roles_with("regfd.approve")
REGFD_ACK_REPORT = roles_with("regfd.manage") | roles_with("regfd.export")


def _rec(w):
    if not hasattr(w, "records"):
        from tests.regfd.test_records_views import build_records

        w.records = build_records(w.users)
    return w.records


def employee_record(yes: Expected = 200) -> dict[str, Expected]:
    seen = {r.value for r in roles_with("regfd.view")} | {"employee"}
    return {role: (yes if role in seen else 404) for role in ROLES}


def _r(name, pick=None, query=""):
    return lambda w: reverse(name, args=[pick(_rec(w)).pk] if pick else []) + query


EXPECTED.update(
    {
        "regfd:records-home": web(_r("regfd:records-home"), everyone(200)),
        "regfd:spokesperson-list": web(_r("regfd:spokesperson-list"), by_capability("regfd.view")),
        "regfd:spokesperson-authorize": web(
            _r("regfd:spokesperson-authorize"), by_capability("regfd.approve")
        ),
        "regfd:spokesperson-keeping-current": web(
            _r("regfd:spokesperson-keeping-current"), by_capability("regfd.view")
        ),
        "regfd:spokesperson-confirm": web(
            _r("regfd:spokesperson-confirm"),
            everyone(200),
            note="the page says whether there is anything to confirm",
        ),
        "regfd:spokesperson-detail": web(
            _r("regfd:spokesperson-detail", lambda r: r.authorization), employee_record()
        ),
        "regfd:spokesperson-revoke": web(
            _r("regfd:spokesperson-revoke", lambda r: r.authorization),
            by_capability("regfd.approve", yes=405),
            note="POST only",
        ),
        "regfd:request-list": web(
            _r("regfd:request-list"), everyone(200), note="the selector decides the rows"
        ),
        "regfd:request-log": web(_r("regfd:request-log"), by_capability("regfd.report")),
        "regfd:request-detail": web(_r("regfd:request-detail", lambda r: r.request), employee_record()),
        "regfd:request-respond": web(
            _r("regfd:request-respond", lambda r: r.request),
            by_capability("regfd.approve", yes=405),
            note="POST only",
        ),
        "regfd:communication-list": web(_r("regfd:communication-list"), everyone(200)),
        "regfd:communication-schedule": web(
            _r("regfd:communication-schedule"), among(REGFD_MANAGE_OR_APPROVE)
        ),
        "regfd:communication-detail": web(
            _r("regfd:communication-detail", lambda r: r.communication), employee_record()
        ),
        "regfd:communication-held": web(
            _r("regfd:communication-held", lambda r: r.communication),
            among(REGFD_MANAGE_OR_APPROVE, yes=405),
            note="POST only",
        ),
        "regfd:communication-debrief": web(
            _r("regfd:communication-debrief", lambda r: r.communication),
            among(REGFD_MANAGE_OR_APPROVE, yes=405),
            note="POST only",
        ),
        "regfd:communication-cancel": web(
            _r("regfd:communication-cancel", lambda r: r.communication),
            among(REGFD_MANAGE_OR_APPROVE, yes=405),
            note="POST only",
        ),
        "regfd:earnings-list": web(_r("regfd:earnings-list"), by_capability("regfd.view")),
        "regfd:earnings-create": web(_r("regfd:earnings-create"), among(REGFD_MANAGE_OR_APPROVE)),
        "regfd:earnings-detail": web(
            _r("regfd:earnings-detail", lambda r: r.earnings), by_capability("regfd.view")
        ),
        "regfd:earnings-edit": web(
            _r("regfd:earnings-edit", lambda r: r.earnings), among(REGFD_MANAGE_OR_APPROVE)
        ),
        "regfd:nongaap-list": web(_r("regfd:nongaap-list"), by_capability("regfd.view")),
        "regfd:nongaap-create": web(_r("regfd:nongaap-create"), among(REGFD_MANAGE_OR_APPROVE)),
        "regfd:nongaap-detail": web(
            _r("regfd:nongaap-detail", lambda r: r.review), by_capability("regfd.view")
        ),
        "regfd:nongaap-edit": web(
            _r("regfd:nongaap-edit", lambda r: r.review), among(REGFD_MANAGE_OR_APPROVE)
        ),
        "regfd:nongaap-sign-off": web(
            _r("regfd:nongaap-sign-off", lambda r: r.review),
            by_capability("regfd.approve", yes=405),
            note="POST only",
        ),
        "regfd:policyrecord-list": web(_r("regfd:policyrecord-list"), everyone(200)),
        "regfd:policyrecord-rumor": web(_r("regfd:policyrecord-rumor"), among(REGFD_MANAGE_OR_APPROVE)),
        "regfd:policyrecord-correction": web(
            _r("regfd:policyrecord-correction"), among(REGFD_MANAGE_OR_APPROVE)
        ),
        "regfd:policyrecord-analyst-review": web(
            _r("regfd:policyrecord-analyst-review"), by_capability("regfd.approve")
        ),
        "regfd:policyrecord-question": web(_r("regfd:policyrecord-question"), by_capability("regfd.report")),
        "regfd:policyrecord-detail": web(
            _r("regfd:policyrecord-detail", lambda r: r.question), employee_record()
        ),
        "regfd:policyrecord-answer": web(
            _r("regfd:policyrecord-answer", lambda r: r.question),
            by_capability("regfd.manage", yes=405),
            note="POST only",
        ),
        "regfd:distribution-home": web(_r("regfd:distribution-home"), everyone(200)),
        "regfd:distribution-distribute": web(
            _r("regfd:distribution-distribute"), by_capability("regfd.manage", yes=405), note="POST only"
        ),
        "regfd:distribution-acknowledge": web(
            _r("regfd:distribution-acknowledge"), everyone(405), note="POST only"
        ),
        "regfd:distribution-outstanding": web(_r("regfd:distribution-outstanding"), among(REGFD_ACK_REPORT)),
        # API: reads need regfd.access and the selector decides (404 for another's record); earnings and
        # Regulation G are regfd.view. A GET on a POST-only action is a 405 for everyone signed in.
        "regfd-api:spokesperson-authorization-list": api(
            _r("regfd-api:spokesperson-authorization-list"), everyone(200)
        ),
        "regfd-api:spokesperson-authorization-detail": api(
            _r("regfd-api:spokesperson-authorization-detail", lambda r: r.authorization), employee_record()
        ),
        "regfd-api:spokesperson-authorization-revoke": api(
            _r("regfd-api:spokesperson-authorization-revoke", lambda r: r.authorization),
            everyone(405),
            note="POST only",
        ),
        "regfd-api:spokesperson-authorization-status": api(
            lambda w: (
                reverse("regfd-api:spokesperson-authorization-status")
                + f"?person={w.users['employee'].pk}&on=2026-03-09T10:00:00-04:00"
            ),
            by_capability("regfd.view"),
        ),
        "regfd-api:keeping-current-list": api(_r("regfd-api:keeping-current-list"), everyone(200)),
        "regfd-api:keeping-current-detail": api(
            _r("regfd-api:keeping-current-detail", lambda r: r.confirmation),
            by_capability("regfd.view", no=404),
            note="the officer's own",
        ),
        "regfd-api:keeping-current-missing": api(
            _r("regfd-api:keeping-current-missing", query="?period=2026-Q1"), by_capability("regfd.view")
        ),
        "regfd-api:information-request-list": api(_r("regfd-api:information-request-list"), everyone(200)),
        "regfd-api:information-request-detail": api(
            _r("regfd-api:information-request-detail", lambda r: r.request), employee_record()
        ),
        "regfd-api:information-request-respond": api(
            _r("regfd-api:information-request-respond", lambda r: r.request), everyone(405), note="POST only"
        ),
        "regfd-api:communication-list": api(_r("regfd-api:communication-list"), everyone(200)),
        "regfd-api:communication-detail": api(
            _r("regfd-api:communication-detail", lambda r: r.communication), employee_record()
        ),
        "regfd-api:communication-record-held": api(
            _r("regfd-api:communication-record-held", lambda r: r.communication),
            everyone(405),
            note="POST only",
        ),
        "regfd-api:communication-debrief": api(
            _r("regfd-api:communication-debrief", lambda r: r.communication), everyone(405), note="POST only"
        ),
        "regfd-api:communication-cancel": api(
            _r("regfd-api:communication-cancel", lambda r: r.communication), everyone(405), note="POST only"
        ),
        "regfd-api:earnings-event-list": api(
            _r("regfd-api:earnings-event-list"), by_capability("regfd.view")
        ),
        "regfd-api:earnings-event-detail": api(
            _r("regfd-api:earnings-event-detail", lambda r: r.earnings), by_capability("regfd.view")
        ),
        "regfd-api:earnings-event-update-checklist": api(
            _r("regfd-api:earnings-event-update-checklist", lambda r: r.earnings),
            everyone(405),
            note="POST only",
        ),
        "regfd-api:nongaap-review-list": api(
            _r("regfd-api:nongaap-review-list"), by_capability("regfd.view")
        ),
        "regfd-api:nongaap-review-detail": api(
            _r("regfd-api:nongaap-review-detail", lambda r: r.review), by_capability("regfd.view")
        ),
        "regfd-api:nongaap-review-revise": api(
            _r("regfd-api:nongaap-review-revise", lambda r: r.review), everyone(405), note="POST only"
        ),
        "regfd-api:nongaap-review-sign-off": api(
            _r("regfd-api:nongaap-review-sign-off", lambda r: r.review), everyone(405), note="POST only"
        ),
        "regfd-api:policy-record-list": api(_r("regfd-api:policy-record-list"), everyone(200)),
        "regfd-api:policy-record-detail": api(
            _r("regfd-api:policy-record-detail", lambda r: r.question), employee_record()
        ),
        "regfd-api:policy-record-rumor": api(
            _r("regfd-api:policy-record-rumor"), everyone(405), note="POST only"
        ),
        "regfd-api:policy-record-correction": api(
            _r("regfd-api:policy-record-correction"), everyone(405), note="POST only"
        ),
        "regfd-api:policy-record-analyst-review": api(
            _r("regfd-api:policy-record-analyst-review"), everyone(405), note="POST only"
        ),
        "regfd-api:policy-record-question": api(
            _r("regfd-api:policy-record-question"), everyone(405), note="POST only"
        ),
        "regfd-api:policy-record-answer": api(
            _r("regfd-api:policy-record-answer", lambda r: r.question), everyone(405), note="POST only"
        ),
        "regfd-api:policy-distribution-list": api(_r("regfd-api:policy-distribution-list"), everyone(200)),
        "regfd-api:policy-distribution-detail": api(
            _r("regfd-api:policy-distribution-detail", lambda r: r.distribution), everyone(200)
        ),
        "regfd-api:policy-distribution-acknowledge": api(
            _r("regfd-api:policy-distribution-acknowledge", lambda r: r.distribution),
            everyone(405),
            note="POST only",
        ),
        "regfd-api:policy-distribution-outstanding": api(
            _r("regfd-api:policy-distribution-outstanding", lambda r: r.distribution), among(REGFD_ACK_REPORT)
        ),
    }
)


# ---- clawback determination workflow, recovery and disclosure (clawback/views/determinations.py,
# clawback/views/recovery.py, clawback/api/workflow.py). The world's case is a draft that cannot be
# evaluated, so its determination, decision and claim are written directly the first time a row needs them.


def _determination(w):
    from django.utils import timezone

    from clawback.models import Determination

    return Determination.objects.get_or_create(
        restatement=w.case,
        number=1,
        defaults={
            "inputs": {},
            "result": {},
            "sha256": "0" * 64,
            "rule_version": "test",
            "computed_at": timezone.now(),
            "computed_by": w.users["secretary"],
        },
    )[0]


def _decision(w):
    from clawback.models import Decision

    return Decision.objects.get_or_create(
        restatement=w.case,
        kind="approve_determination",
        defaults={
            "body": "committee",
            "held_on": w.case.created_at.date(),
            "quorum": 1,
            "resolution": "RESOLVED",
            "recorded_by": w.users["secretary"],
        },
    )[0]


def _claim(w):
    from decimal import Decimal

    from clawback.models import RecoveryClaim

    return RecoveryClaim.objects.get_or_create(
        restatement=w.case,
        executive=w.executive,
        defaults={"amount_owed": Decimal("1000.00"), "determined_on": w.case.created_at.date()},
    )[0]


def _recovery_event(w):
    from datetime import date
    from decimal import Decimal

    from clawback.models import RecoveryEvent

    return RecoveryEvent.objects.get_or_create(
        claim=_claim(w),
        defaults={
            "occurred_on": date(2026, 1, 5),
            "method": "cash",
            "amount": Decimal("10.00"),
            "evidence": "Wire",
            "recorded_by": w.users["secretary"],
        },
    )[0]


def _fiscal_year_query(w) -> str:
    from datetime import date

    w.company.fiscal_periods.get_or_create(
        label="FY2026", defaults={"start": date(2026, 1, 1), "end": date(2026, 12, 31)}
    )
    return "?year=FY2026"


def _case_url(name):
    return lambda w: reverse(name, args=[w.case.pk])


CASE_POST_WEB = [
    "case-submit",
    "case-record-estimate",
    "case-designate",
    "case-record-decision",
    "case-confirm-no-indemnification",
    "case-start-recovery",
    "case-close",
    "case-reopen",
    "recovery-record-event",
    "recovery-set-party",
    "recovery-determine-impracticable",
]
CASE_POST_API = [
    "case-submit",
    "case-record-estimate",
    "case-designate",
    "case-record-decision",
    "case-confirm-no-indemnification",
    "case-start-recovery",
    "case-close",
    "case-reopen",
]
CLAIM_POST_API = ["claim-record-recovery-event", "claim-determine-impracticable", "claim-set-party"]

EXPECTED.update(
    {
        "clawback:case-workflow": web(_case_url("clawback:case-workflow"), by_capability("clawback.view")),
        **{
            f"clawback:{name}": web(
                _case_url(f"clawback:{name}"), by_capability("clawback.manage", yes=405), note="POST only"
            )
            for name in CASE_POST_WEB
        },
        "clawback:determination-detail": web(
            lambda w: reverse("clawback:determination-detail", args=[_determination(w).pk]),
            by_capability("clawback.view"),
        ),
        "clawback:decision-detail": web(
            lambda w: reverse("clawback:decision-detail", args=[_decision(w).pk]),
            by_capability("clawback.view"),
        ),
        "clawback:disclosure": web(
            lambda w: reverse("clawback:disclosure") + _fiscal_year_query(w), by_capability("clawback.view")
        ),
        "clawback-api:case-workflow": api(
            _case_url("clawback-api:case-workflow"), by_capability("clawback.view")
        ),
        **{
            f"clawback-api:{name}": api(_case_url(f"clawback-api:{name}"), everyone(405), note="POST only")
            for name in CASE_POST_API
        },
        **{
            f"clawback-api:{name}": api(
                lambda w, name=name: reverse(f"clawback-api:{name}", args=[_claim(w).pk]),
                everyone(405),
                note="POST only",
            )
            for name in CLAIM_POST_API
        },
        "clawback-api:determination-list": api(
            lambda w: reverse("clawback-api:determination-list"), by_capability("clawback.view")
        ),
        "clawback-api:determination-detail": api(
            lambda w: reverse("clawback-api:determination-detail", args=[_determination(w).pk]),
            by_capability("clawback.view"),
        ),
        "clawback-api:decision-list": api(
            lambda w: reverse("clawback-api:decision-list"), by_capability("clawback.view")
        ),
        "clawback-api:decision-detail": api(
            lambda w: reverse("clawback-api:decision-detail", args=[_decision(w).pk]),
            by_capability("clawback.view"),
        ),
        "clawback-api:claim-list": api(
            lambda w: reverse("clawback-api:claim-list"), by_capability("clawback.view")
        ),
        "clawback-api:claim-detail": api(
            lambda w: reverse("clawback-api:claim-detail", args=[_claim(w).pk]),
            by_capability("clawback.view"),
        ),
        "clawback-api:disclosure": api(
            lambda w: reverse("clawback-api:disclosure") + _fiscal_year_query(w),
            by_capability("clawback.view"),
        ),
    }
)

# ---- generated documents over the API (compliance_site/documents/api/) ----
# Roles holding the capabilities of some kind of document reach the endpoints (403 for the others); the
# world's document is a Reg FD incident record, which the roles with only clawback documents cannot see (404).
DOCUMENT_ROLES = roles_with("clawback.export") | roles_with("regfd.export")
WORLD_DOCUMENT = {
    role: 200 if Role(role) in roles_with("regfd.export") else 404 if Role(role) in DOCUMENT_ROLES else 403
    for role in ROLES
}

EXPECTED.update(
    {
        "documents-api:document-list": api(
            lambda w: reverse("documents-api:document-list"), among(DOCUMENT_ROLES)
        ),
        "documents-api:document-kinds": api(
            lambda w: reverse("documents-api:document-kinds"), among(DOCUMENT_ROLES)
        ),
        **{
            f"documents-api:document-{name}": api(
                lambda w, name=name: reverse(f"documents-api:document-{name}", args=[world_document(w).pk]),
                WORLD_DOCUMENT,
            )
            for name in ("detail", "status", "download")
        },
        "documents-api:document-regenerate": api(
            lambda w: reverse("documents-api:document-regenerate", args=[world_document(w).pk]),
            everyone(405),
            note="POST only",
        ),
    }
)

# ---------------------------------------------------------------------------------------------------------
# Completeness
# ---------------------------------------------------------------------------------------------------------


def test_every_route_has_an_entry_and_every_entry_a_route():
    missing = sorted(f"{key}  ({route})" for key, route in DISCOVERED.items() if key not in EXPECTED)
    stale = sorted(key for key in EXPECTED if key not in DISCOVERED)
    assert not missing, "new route(s) without an entry in EXPECTED:\n  " + "\n  ".join(missing)
    assert not stale, "EXPECTED rows for routes that no longer exist:\n  " + "\n  ".join(stale)


def test_rows_cover_every_role():
    for key, row in EXPECTED.items():
        assert set(row.roles) == set(ROLES), key


def test_discovery_sees_router_and_admin_routes():
    # The walk must reach into includes and routers, or the completeness test above proves nothing.
    assert "clawback-api:restatement-detail" in DISCOVERED
    assert "regfd-api:incident-record-disclosure" in DISCOVERED
    assert "admin:index" in DISCOVERED
    assert not any(route.startswith("admin/") for key, route in DISCOVERED.items() if key != "admin:index")


# ---------------------------------------------------------------------------------------------------------
# The matrix
# ---------------------------------------------------------------------------------------------------------


def _matches(response, expected: Expected) -> bool:
    if isinstance(expected, tuple):
        status, prefix = expected
        return response.status_code == status and response.get("Location", "").startswith(prefix)
    return response.status_code == expected


def _describe(response) -> str:
    location = response.get("Location")
    return f"{response.status_code}" + (f" -> {location}" if location else "")


def _close(response):
    # Consuming a streamed body lets the test client close it with close_old_connections disconnected;
    # calling response.close() here would fire request_finished and close the test's database connection.
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)


@pytest.mark.parametrize("key", sorted(set(DISCOVERED) | set(EXPECTED)))
def test_get_as_each_role(key, world):
    assert key in EXPECTED, f"new route without an entry in EXPECTED: {key} ({DISCOVERED[key]})"
    assert key in DISCOVERED, f"EXPECTED has a row for {key} but the route is gone"
    row = EXPECTED[key]
    url = row.url(world)
    path = url.split("?")[0]
    match = resolve(path)
    assert (match.view_name == key) or (match.route == DISCOVERED[key]), (
        f"{url} resolves to {match.view_name}"
    )

    wrong = []
    for who in [ANON, *ROLES]:
        client = Client()
        if who != ANON:
            client.force_login(world.users[who])
        response = client.get(url)
        expected = row.anon if who == ANON else row.roles[who]
        if not _matches(response, expected):
            wrong.append(f"{who}: expected {expected}, got {_describe(response)}")
        _close(response)
    assert not wrong, f"GET {url} ({key}):\n  " + "\n  ".join(wrong)


# ---------------------------------------------------------------------------------------------------------
# State-changing web routes accept POST only
# ---------------------------------------------------------------------------------------------------------

POST_ONLY = {
    # key: (who may post, URL)
    "regfd:incident-record-disclosure": (
        "secretary",
        lambda w: reverse("regfd:incident-record-disclosure", args=[w.incident.pk]),
    ),
    "regfd:incident-close": ("secretary", lambda w: reverse("regfd:incident-close", args=[w.incident.pk])),
    "regfd:incident-assess-materiality": (
        "secretary",
        lambda w: reverse("regfd:incident-assess-materiality", args=[w.incident.pk]),
    ),
    "regfd:incident-conclude": (
        "counsel",
        lambda w: reverse("regfd:incident-conclude", args=[w.incident.pk]),
    ),
    "regfd:incident-claim-exclusion": (
        "secretary",
        lambda w: reverse("regfd:incident-claim-exclusion", args=[w.incident.pk]),
    ),
    "regfd:incident-correct-learned-at": (
        "secretary",
        lambda w: reverse("regfd:incident-correct-learned-at", args=[w.incident.pk]),
    ),
    "regfd:calendar-add": ("admin", lambda w: reverse("regfd:calendar-add")),
    "regfd:calendar-deactivate": (
        "admin",
        lambda w: reverse("regfd:calendar-deactivate", args=[_closure(w).pk]),
    ),
    "attachments:upload": (
        "secretary",
        lambda w: reverse("attachments:upload", args=["regfd.incident", w.incident.pk]),
    ),
    "accounts:logout": ("employee", lambda w: reverse("accounts:logout")),
    "documents:document-request": ("secretary", lambda w: reverse("documents:document-request")),
    "documents:document-regenerate": (
        "secretary",
        lambda w: reverse("documents:document-regenerate", args=[world_document(w).pk]),
    ),
    "clawback:restatement-acknowledge": (
        "secretary",
        lambda w: reverse("clawback:restatement-acknowledge", args=[w.case.pk]),
    ),
}

# Reg FD policy records: who may post, and the URL.
POST_ONLY.update(
    {
        "regfd:spokesperson-revoke": ("officer", _r("regfd:spokesperson-revoke", lambda r: r.authorization)),
        "regfd:request-respond": ("officer", _r("regfd:request-respond", lambda r: r.request)),
        "regfd:communication-held": ("secretary", _r("regfd:communication-held", lambda r: r.communication)),
        "regfd:communication-debrief": (
            "officer",
            _r("regfd:communication-debrief", lambda r: r.communication),
        ),
        "regfd:communication-cancel": (
            "secretary",
            _r("regfd:communication-cancel", lambda r: r.communication),
        ),
        "regfd:nongaap-sign-off": ("officer", _r("regfd:nongaap-sign-off", lambda r: r.review)),
        "regfd:policyrecord-answer": ("secretary", _r("regfd:policyrecord-answer", lambda r: r.question)),
        "regfd:distribution-distribute": ("secretary", _r("regfd:distribution-distribute")),
        "regfd:distribution-acknowledge": ("employee", _r("regfd:distribution-acknowledge")),
    }
)

# The clawback workflow's forms: an empty POST by the secretary reaches the view and is refused with a 400.
POST_ONLY.update({f"clawback:{name}": ("secretary", _case_url(f"clawback:{name}")) for name in CASE_POST_WEB})


@pytest.mark.parametrize("key", sorted(POST_ONLY))
def test_state_changing_routes_refuse_get_and_accept_post(key, world, client):
    who, make_url = POST_ONLY[key]
    url = make_url(world)
    client.force_login(world.users[who])
    assert client.get(url).status_code == 405
    assert client.head(url).status_code == 405
    # An (invalid, empty) POST reaches the view: a form error or a redirect, never 405.
    response = client.post(url, {})
    assert response.status_code in {200, 302, 400}, response.status_code


@pytest.mark.parametrize("key", sorted(POST_ONLY))
def test_state_changing_routes_need_a_csrf_token(key, world):
    who, make_url = POST_ONLY[key]
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users[who])
    assert client.post(make_url(world), {}).status_code == 403


def test_post_only_routes_refuse_roles_without_the_capability(world, client):
    client.force_login(world.users["employee"])
    for name in ("regfd:incident-record-disclosure", "regfd:incident-close"):
        assert client.post(reverse(name, args=[world.incident.pk]), {}).status_code == 403
    response = client.post(reverse("attachments:upload", args=["regfd.incident", world.incident.pk]), {})
    assert response.status_code == 404  # the employee may not even know the incident exists
    client.logout()
    response = client.post(reverse("regfd:incident-close", args=[world.incident.pk]), {"reason": "x"})
    assert response.status_code == 302 and response["Location"].startswith(LOGIN_PREFIX)


# ---------------------------------------------------------------------------------------------------------
# Object-level rules
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def covered_committee_member(world):
    """A committee member (so holding clawback.view) who is also a covered executive of the case."""
    user = UserFactory(username="committee-exec", roles=[Role.COMMITTEE])
    executive = Executive.objects.create(company=world.company, key="cao", name="Casey Accounting", user=user)
    OfficerPeriod.objects.create(executive=executive, start=world.case.created_at.date())
    world.case.covered_executives.add(executive)
    return user


def test_officer_never_sees_the_case_about_their_own_pay(world, client):
    client.force_login(world.users["officer"])
    web_response = client.get(reverse("clawback:restatement-detail", args=[world.case.pk]))
    assert web_response.status_code in {403, 404}
    assert world.case.title not in web_response.content.decode()
    api_response = client.get(reverse("clawback-api:restatement-detail", args=[world.case.pk]))
    assert api_response.status_code in {403, 404}
    assert world.case.title not in api_response.content.decode()


def test_covered_executive_with_clawback_view_gets_404_not_an_empty_200(world, covered_committee_member):
    client = APIClient()
    client.force_authenticate(covered_committee_member)
    response = client.get(f"/api/clawback/restatements/{world.case.pk}/")
    assert response.status_code == 404, response.content
    assert world.case.title not in response.content.decode()

    listing = client.get("/api/clawback/restatements/")
    assert listing.status_code == 200
    assert world.case.pk not in [item["id"] for item in listing.json()["results"]]

    web = Client()
    web.force_login(covered_committee_member)
    assert web.get(reverse("clawback:restatement-detail", args=[world.case.pk])).status_code == 404
    assert world.case.title not in web.get(reverse("clawback:restatement-list")).content.decode()
    # Its documents are not reachable either.
    assert (
        web.get(reverse("attachments:record", args=["clawback.restatement", world.case.pk])).status_code
        == 404
    )


def test_covered_executive_does_not_see_their_own_executive_or_award_rows(world, covered_committee_member):
    client = APIClient()
    client.force_authenticate(covered_committee_member)
    own = Executive.objects.get(user=covered_committee_member)
    assert client.get(f"/api/clawback/executives/{own.pk}/").status_code == 404
    assert client.get(f"/api/clawback/executives/{world.executive.pk}/").status_code == 200


def test_covered_executive_cannot_read_the_case_history_through_the_audit_trail(world):
    """A covered executive who also holds audit.view (a Corporate Secretary who is an executive officer)
    must not read the case about their own pay as its audit history either (visibility.py: 'attachments,
    the audit history and exports ask one question')."""
    secretary = UserFactory(username="secretary-exec", roles=[Role.SECRETARY])
    executive = Executive.objects.create(company=world.company, key="gc", name="Gale Counsel", user=secretary)
    world.case.covered_executives.add(executive)
    client = Client()
    client.force_login(secretary)
    assert client.get(reverse("clawback:restatement-detail", args=[world.case.pk])).status_code == 404
    response = client.get(reverse("audit:record-history", args=["clawback.restatement", world.case.pk]))
    assert response.status_code == 404


def test_recused_member_reads_the_case(world):
    committee2 = world.users["committee2"]
    web = Client()
    web.force_login(committee2)
    response = web.get(reverse("clawback:restatement-detail", args=[world.case.pk]))
    assert response.status_code == 200
    assert response.context["recused"] is True
    assert "You are recused" in response.content.decode()

    client = APIClient()
    client.force_authenticate(committee2)
    response = client.get(f"/api/clawback/restatements/{world.case.pk}/")
    assert response.status_code == 200
    assert response.json()["title"] == world.case.title


def test_reporter_sees_own_incident_only(world):
    from tests.foundation.conftest import make_incident

    own = make_incident(world.users["employee"], title="Employee's own report")
    client = Client()
    client.force_login(world.users["employee"])
    assert client.get(reverse("regfd:incident-detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("regfd:incident-detail", args=[world.incident.pk])).status_code == 404
    listing = client.get(reverse("regfd:incident-list")).content.decode()
    assert own.reference in listing and world.incident.reference not in listing


# ---------------------------------------------------------------------------------------------------------
# The navigation only offers pages the user may open
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_navigation_links_open(role, world):
    client = Client()
    client.force_login(world.users[role])
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    offered = [item["url"] for item in response.context["nav_items"]]
    assert offered, role
    broken = []
    for url in offered:
        status = client.get(url).status_code
        if status != 200:
            broken.append(f"{url}: {status}")
    if Role(role) in roles_with("accounts.manage"):  # base.html links the admin for accounts.manage
        status = client.get(reverse("admin:index")).status_code
        if status != 200:
            broken.append(f"/admin/ (linked for accounts.manage): {status}")
    assert not broken, f"{role} is offered links that fail: {broken}"


@pytest.mark.parametrize("item", NAV, ids=lambda item: item.url_name)
def test_navigation_capability_matches_the_matrix(item):
    """A nav entry's capability must open its page for every holder, per the table above."""
    row = EXPECTED[item.url_name]
    for role in roles_with(item.capability):
        assert row.roles[role.value] == 200, (
            f"{item.url_name} is offered to {role.value} but the table says {row.roles[role.value]}"
        )


# ---------------------------------------------------------------------------------------------------------
# Methods a route does not support are refused, never a server error
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(k for k, row in EXPECTED.items() if row.api))
def test_unsupported_methods_on_api_routes_are_refused_not_500(key, world):
    url = EXPECTED[key].url(world)
    client = Client(raise_request_exception=False)
    client.force_login(world.users["admin"])
    answers = {}
    for method in ("put", "patch", "delete", "post", "options"):
        response = getattr(client, method)(url, data="{}", content_type="application/json")
        answers[method] = response.status_code
    assert all(status < 500 for status in answers.values()), f"{url}: {answers}"
