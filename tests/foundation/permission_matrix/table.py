"""The vocabulary of the permission matrix: a row per route, the expectations by role, and the route walk.

A row says what GET answers to anonymous and to each role; an expectation is a status or (302, the Location
prefix). Rows are derived from the capability table in roles.py wherever a view is guarded by one capability.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import attrgetter

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from compliance_site.accounts.roles import Role, roles_with

ROLES = [role.value for role in Role]
ANON = "anonymous"
LOGIN_PREFIX = "/accounts/login/?next="
ADMIN_LOGIN_PREFIX = "/admin/login/?next="
POST_ONLY_NOTE = "POST only"

Expected = int | tuple[int, str]  # a status, or (302, the Location prefix)

# ---------------------------------------------------------------------------------------------------------
# Route discovery
# ---------------------------------------------------------------------------------------------------------

_FORMAT_SUFFIX = re.compile(r"\\?\.\(\?P<format>[^)]*\)/?\$?$|\.<(?:[a-z_]+:)?format>/?$")


def _walk(patterns, prefix="", namespace=None, library=False):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            full_ns = ":".join(part for part in (namespace, ns) if part) if ns else namespace
            inside = library or _is_allauth(pattern.urlconf_name)
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), full_ns, inside)
        elif isinstance(pattern, URLPattern) and not library:
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield prefix + str(pattern.pattern), name


def _is_allauth(urlconf) -> bool:
    """allauth's pages (sign-in steps, the second factor, SSO) and the closed self-service ones in front of
    them: the library decides who opens them, and tests/accounts_mfa/test_allauth_routes.py checks that
    none is open to a stranger, none is a 500 and the self-service ones answer 404."""
    name = urlconf if isinstance(urlconf, str) else getattr(urlconf, "__name__", "")
    return name.startswith("allauth.") or name == "compliance_site.accounts.allauth_urls"


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


# ---------------------------------------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    url: Callable  # world -> URL (with a query string when the view needs one)
    roles: dict[str, Expected]
    anon: Expected = (302, LOGIN_PREFIX)
    api: bool = False
    note: str = ""


def url(name: str, *args, query: str | Callable = "") -> Callable:
    """world -> the URL named `name`. Each arg is a literal, or a function of the world returning a record
    (its pk goes in the URL); `query` is a string or a function of the world."""

    def make(w) -> str:
        parts = [arg(w).pk if callable(arg) else arg for arg in args]
        return reverse(name, args=parts) + (query(w) if callable(query) else query)

    return make


def web(name: str, roles: dict[str, Expected], *args, query="", make_url=None, **kw) -> tuple[str, Row]:
    return name, Row(url=make_url or url(name, *args, query=query), roles=roles, **kw)


def api(name: str, roles, *args, anon: Expected = 401, query="", make_url=None, **kw) -> tuple[str, Row]:
    return name, Row(url=make_url or url(name, *args, query=query), roles=roles, anon=anon, api=True, **kw)


def post_only(kind: Callable, roles: dict[str, Expected], routes: dict[str, tuple]) -> list[tuple[str, Row]]:
    """Rows for routes that take POST only: {URL name: its URL args}, all expecting `roles` for a GET."""
    return [kind(name, roles, *args, note=POST_ONLY_NOTE) for name, args in routes.items()]


def list_and_detail(kind: Callable, roles: dict[str, Expected], records: dict[str, Callable]) -> list:
    """The `<prefix>-list` and `<prefix>-detail` rows of each {URL name prefix: its record}."""
    return [
        row
        for prefix, record in records.items()
        for row in (kind(f"{prefix}-list", roles), kind(f"{prefix}-detail", roles, record))
    ]


def table(*entries: tuple[str, Row] | Iterable[tuple[str, Row]]) -> dict[str, Row]:
    """{key: row} from rows and lists of rows; a key given twice is a mistake in the table."""
    rows: dict[str, Row] = {}
    for entry in entries:
        for key, row in [entry] if isinstance(entry, tuple) else entry:
            assert key not in rows, f"{key} has two rows"
            rows[key] = row
    return rows


# ---------------------------------------------------------------------------------------------------------
# Expectations by role
# ---------------------------------------------------------------------------------------------------------


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


# The incident of the `world` fixture is reported by the secretary: the program's officers (regfd.view) see
# it, and the reporter; committee and employee hold regfd.report but see only their own reports.
INCIDENT_VISIBLE = {r.value for r in roles_with("regfd.view")} | {"secretary"}
# Auditors "read and export everything" (roles.py): reading Reg FD incidents is regfd.view *or* regfd.report.
INCIDENT_READERS = {r.value for r in roles_with("regfd.view") | roles_with("regfd.report")}


def seen_by(seers: set[str], yes: Expected = 200, not_seen: Expected = 404) -> dict[str, Expected]:
    """A record the selector shows to `seers` only: the others get a 404, never learning it exists."""
    return {role: (yes if role in seers else not_seen) for role in ROLES}


def visible_incident() -> dict[str, Expected]:
    return seen_by(INCIDENT_VISIBLE)


# The records of the `world` fixture, as URL args.
CASE, INCIDENT, EXECUTIVE, AWARD, POLICY, ATTACHMENT = map(
    attrgetter, ("case", "incident", "executive", "award", "policy", "attachment")
)
