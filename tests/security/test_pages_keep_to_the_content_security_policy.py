"""Finding: no Content-Security-Policy, so a script injected into a page would run. Every response now carries a
strict policy: scripts and styles from our own origin, or bearing the request's nonce; no inline handlers or
style attributes. The pages keep to it in chromium: tests/security/browser/."""

import re

from django.test import Client
from django.urls import reverse


def test_every_page_response_has_a_strict_policy(db):
    response = Client().get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    for name in ("script-src", "style-src"):
        assert directives[name] == "'self'"  # the nonce is added only to a page that uses it
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


def test_a_page_with_an_inline_script_carries_its_nonce_and_it_differs_per_response(users, no_second_factor):
    client = Client()
    client.force_login(users["admin"])
    nonces = []
    for _ in range(2):
        response = client.get(reverse("api-docs"))
        assert response.status_code == 200
        nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        assert f'<script nonce="{nonce}">' in response.content.decode()
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
