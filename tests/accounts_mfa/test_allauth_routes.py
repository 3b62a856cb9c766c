"""allauth's own routes, which the permission matrix leaves to the library: none opens to a stranger, none is
a 500, and the self-service pages (sign-up, e-mail addresses, password reset, code sign-in) are closed."""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.foundation.permission_matrix.table import _is_allauth

pytestmark = [pytest.mark.django_db, pytest.mark.mfa]
CLOSED = ("/accounts/signup/", "/accounts/email/", "/accounts/password/reset/", "/accounts/login/code/")


def _library_paths(patterns=None, prefix="", inside=False):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _library_paths(
                pattern.url_patterns,
                prefix + str(pattern.pattern),
                inside or _is_allauth(pattern.urlconf_name),
            )
        elif isinstance(pattern, URLPattern) and inside:
            route = prefix + str(pattern.pattern)
            if "<" not in route and "(?P" not in route:
                yield "/" + re.sub(r"[\^$]", "", route)


def test_the_library_routes_are_found():
    paths = set(_library_paths())
    assert "/accounts/2fa/" in paths and len(paths) > 15


@pytest.mark.parametrize("who", ["anonymous", "committee", "employee"])
def test_no_library_page_is_a_500_or_open_to_a_stranger(users, who):
    client = Client()
    if who != "anonymous":
        client.force_login(users[who])
    problems = []
    for path in sorted(set(_library_paths())):
        status = client.get(path).status_code
        if status >= 500 or (who == "anonymous" and status == 200 and "/2fa/" in path):
            problems.append(f"{path}: {status}")
    assert not problems, problems


@pytest.mark.parametrize("path", CLOSED)
def test_self_service_pages_are_closed(users, path):
    signed_in = Client()
    # The employee needs no second factor, so nothing is asked of them first.
    signed_in.force_login(users["employee"])
    assert Client().get(path).status_code == 404
    assert signed_in.get(path).status_code == 404
