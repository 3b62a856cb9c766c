"""State-changing web routes accept POST only, with a CSRF token, from the roles that may change state."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.foundation.permission_matrix import LOGIN_PREFIX, POST_ONLY


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
