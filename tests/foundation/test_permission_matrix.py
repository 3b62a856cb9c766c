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


def by_capability(capability: str, yes: Expected = 200, no: Expected = 403, **overrides) -> dict[str, Expected]:
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


EXPECTED: dict[str, Row] = {
    # ---- site ----
    "dashboard": web(lambda w: reverse("dashboard"), everyone(200)),
    "healthz": web(lambda w: reverse("healthz"), everyone(200), anon=200),
    # ---- accounts ----
    "accounts:login": web(lambda w: reverse("accounts:login"), everyone((302, "/")), anon=200,
                          note="redirect_authenticated_user"),
    "accounts:logout": web(lambda w: reverse("accounts:logout"), everyone(405), anon=405, note="POST only"),
    "accounts:password-change": web(lambda w: reverse("accounts:password-change"), everyone(200)),
    "accounts:preferences": web(lambda w: reverse("accounts:preferences"), everyone(200)),
    # ---- audit ----
    "audit:event-list": web(lambda w: reverse("audit:event-list"), by_capability("audit.view")),
    "audit:event-export": web(lambda w: reverse("audit:event-export", args=["csv"]), by_capability("audit.export")),
    "audit:record-history": web(
        lambda w: reverse("audit:record-history", args=[w.event.object_type, w.event.object_id]),
        by_capability("audit.view"),
    ),
    # ---- company ----
    "company:profile": web(lambda w: reverse("company:profile"), by_capability("company.view")),
    "company:edit": web(lambda w: reverse("company:edit"), by_capability("company.manage")),
    "company:period-add": web(lambda w: reverse("company:period-add"), by_capability("company.manage")),
    "company:policy-add": web(lambda w: reverse("company:policy-add"), by_capability("company.manage")),
    "company:policy-detail": web(lambda w: reverse("company:policy-detail", args=[w.policy.pk]),
                                 by_capability("company.view")),
    # ---- attachments (who may see the record may see its files) ----
    "attachments:download": web(lambda w: reverse("attachments:download", args=[w.attachment.pk]),
                                visible_incident()),
    "attachments:record": web(lambda w: reverse("attachments:record", args=["regfd.incident", w.incident.pk]),
                              visible_incident()),
    "attachments:upload": web(lambda w: reverse("attachments:upload", args=["regfd.incident", w.incident.pk]),
                              everyone(405), note="POST only"),
    # ---- operations ----
    "ops:status": web(lambda w: reverse("ops:status"), by_capability("ops.view")),
    # ---- clawback ----
    "clawback:restatement-list": web(lambda w: reverse("clawback:restatement-list"), by_capability("clawback.view")),
    "clawback:restatement-detail": web(lambda w: reverse("clawback:restatement-detail", args=[w.case.pk]),
                                       by_capability("clawback.view")),
    "clawback:executive-list": web(lambda w: reverse("clawback:executive-list"), by_capability("clawback.view")),
    "clawback:award-list": web(lambda w: reverse("clawback:award-list"), by_capability("clawback.view")),
    "clawback:whatif": web(lambda w: reverse("clawback:whatif"), by_capability("clawback.whatif")),
    # ---- Reg FD ----
    "regfd:incident-list": web(lambda w: reverse("regfd:incident-list"), among(INCIDENT_READERS)),
    "regfd:incident-report": web(lambda w: reverse("regfd:incident-report"), by_capability("regfd.report")),
    "regfd:incident-detail": web(lambda w: reverse("regfd:incident-detail", args=[w.incident.pk]),
                                 visible_incident()),
    "regfd:incident-record-disclosure": web(
        lambda w: reverse("regfd:incident-record-disclosure", args=[w.incident.pk]),
        by_capability("regfd.manage", yes=405), note="POST only",
    ),
    "regfd:incident-close": web(lambda w: reverse("regfd:incident-close", args=[w.incident.pk]),
                                by_capability("regfd.manage", yes=405), note="POST only"),
    # ---- API ----
    "api-token": api(lambda w: reverse("api-token"), everyone(405), anon=405, note="POST only, open to all"),
    "accounts-api:me": api(lambda w: reverse("accounts-api:me"), everyone(200)),
    "company-api:company": api(lambda w: reverse("company-api:company"), by_capability("company.view")),
    "company-api:fiscal-period-list": api(lambda w: reverse("company-api:fiscal-period-list"),
                                          by_capability("company.view")),
    "company-api:policy-list": api(lambda w: reverse("company-api:policy-list"), by_capability("company.view")),
    "company-api:policy-detail": api(lambda w: reverse("company-api:policy-detail", args=[w.policy.pk]),
                                     by_capability("company.view")),
    "audit-api:event-list": api(lambda w: reverse("audit-api:event-list"), by_capability("audit.view")),
    "audit-api:event-detail": api(lambda w: reverse("audit-api:event-detail", args=[w.event.pk]),
                                  by_capability("audit.view")),
    "attachments-api:attachment-list": api(lambda w: reverse("attachments-api:attachment-list") + _record_query(w),
                                           visible_incident()),
    "attachments-api:attachment-detail": api(
        lambda w: reverse("attachments-api:attachment-detail", args=[w.attachment.pk]), visible_incident()
    ),
    "attachments-api:attachment-download": api(
        lambda w: reverse("attachments-api:attachment-download", args=[w.attachment.pk]), visible_incident()
    ),
    "clawback-api:restatement-list": api(lambda w: reverse("clawback-api:restatement-list"),
                                         by_capability("clawback.view")),
    "clawback-api:restatement-detail": api(lambda w: reverse("clawback-api:restatement-detail", args=[w.case.pk]),
                                           by_capability("clawback.view")),
    "clawback-api:executive-list": api(lambda w: reverse("clawback-api:executive-list"),
                                       by_capability("clawback.view")),
    "clawback-api:executive-detail": api(lambda w: reverse("clawback-api:executive-detail", args=[w.executive.pk]),
                                         by_capability("clawback.view")),
    "clawback-api:award-list": api(lambda w: reverse("clawback-api:award-list"), by_capability("clawback.view")),
    "clawback-api:award-detail": api(lambda w: reverse("clawback-api:award-detail", args=[w.award.pk]),
                                     by_capability("clawback.view")),
    # Reading incidents needs no capability of its own in the API; the selector decides (own reports only).
    "regfd-api:incident-list": api(lambda w: reverse("regfd-api:incident-list"), everyone(200)),
    "regfd-api:incident-detail": api(lambda w: reverse("regfd-api:incident-detail", args=[w.incident.pk]),
                                     visible_incident()),
    "regfd-api:incident-record-disclosure": api(
        lambda w: reverse("regfd-api:incident-record-disclosure", args=[w.incident.pk]), everyone(405),
        note="POST only",
    ),
    "regfd-api:incident-close-not-required": api(
        lambda w: reverse("regfd-api:incident-close-not-required", args=[w.incident.pk]), everyone(405),
        note="POST only",
    ),
    "api-schema": api(lambda w: reverse("api-schema"), everyone(200)),
    "api-docs": api(lambda w: reverse("api-docs"), everyone(200)),
    # ---- the admin site: Administrators only ----
    "admin:index": web(lambda w: reverse("admin:index"),
                       by_capability("accounts.manage", no=(302, ADMIN_LOGIN_PREFIX)),
                       anon=(302, ADMIN_LOGIN_PREFIX)),
}


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
    assert (match.view_name == key) or (match.route == DISCOVERED[key]), f"{url} resolves to {match.view_name}"

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
    "regfd:incident-record-disclosure": ("secretary", lambda w: reverse("regfd:incident-record-disclosure",
                                                                        args=[w.incident.pk])),
    "regfd:incident-close": ("secretary", lambda w: reverse("regfd:incident-close", args=[w.incident.pk])),
    "attachments:upload": ("secretary", lambda w: reverse("attachments:upload",
                                                          args=["regfd.incident", w.incident.pk])),
    "accounts:logout": ("employee", lambda w: reverse("accounts:logout")),
}


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
    assert web.get(reverse("attachments:record", args=["clawback.restatement", world.case.pk])).status_code == 404


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
        assert row.roles[role.value] == 200, f"{item.url_name} is offered to {role.value} but the table says " \
                                             f"{row.roles[role.value]}"
