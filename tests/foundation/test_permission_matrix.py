"""Every URL of the project, GET as anonymous and as each role, against one table (permission_matrix/).

A route that exists but has no row in the table fails, so a new page or endpoint cannot ship without
deciding who may open it. POST-only routes are in test_post_only_routes.py, object-level rules in
test_object_permissions.py.
"""

import pytest
from django.test import Client
from django.urls import resolve, reverse

from compliance_site.accounts.roles import Role, roles_with
from compliance_site.navigation import NAV
from tests.foundation.permission_matrix import ANON, DISCOVERED, EXPECTED, ROLES, Expected

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
    """A nav entry's capability must open its page for every holder, per the table."""
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
