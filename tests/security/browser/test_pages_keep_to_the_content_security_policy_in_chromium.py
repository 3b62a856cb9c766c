"""The pages keep to the Content-Security-Policy in chromium: signed in, the test walks the pages a secretary
and an administrator reach from the menu and the pages those link to, and fails on any violation chromium
reports (a securitypolicyviolation event, or the console's "Content Security Policy" message)."""

import re
from urllib.parse import urldefrag, urlparse

import pytest
from django.test import Client
from django.urls import reverse

from tests.browser.conftest import needs_chromium, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_chromium]

LINK_SKIP = re.compile(
    r"/(logout|export|download|template|media|healthz)|\.(csv|xlsx|docx|pdf|zip|json)(\?|$)|format="
)

_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
    " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


def _walk(page, live_server, start_paths, limit):
    seen, queue, violations = set(), list(start_paths), []
    console = []
    page.on(
        "console", lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        console.clear()
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        found = page.evaluate("window.__cspViolations || []") + list(console)
        violations += [f"{path}: {v}" for v in found]
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            url = urlparse(urldefrag(href)[0])
            if url.netloc or not url.path.startswith("/") or LINK_SKIP.search(href):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if target not in seen:
                queue.append(target)
    return seen, violations


@pytest.mark.parametrize(
    ("username", "start", "limit"),
    [
        (
            "secretary",
            ["dashboard", "regfd:incident-list", "regfd:incident-report", "documents:dashboards"],
            30,
        ),
        ("admin", ["dashboard", "admin:index", "api-docs", "ops:status", "audit:event-list"], 15),
    ],
)
def test_the_pages_keep_to_the_policy_in_chromium(page, live_server, demo, settings, username, start, limit):
    # Signed in by session cookie: the demo personas have a second factor, whose pages the login test checks.
    settings.MFA_REQUIRED = False
    client = Client()
    client.force_login(demo[username])
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.add_init_script(_RECORDER)
    seen, violations = _walk(page, live_server, [reverse(name) for name in start], limit)
    assert len(seen) >= 8, seen
    assert not violations, "\n".join(violations)


def test_the_sign_in_pages_keep_to_the_policy_in_chromium(page, live_server, demo):
    page.add_init_script(_RECORDER)
    console = []
    page.on(
        "console", lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    sign_in(page, live_server, "secretary")  # the login page, then the second factor's
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__cspViolations") + console
    assert not violations, "\n".join(violations)
