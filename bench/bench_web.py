"""Pages and API endpoints on a large data set, as requests per second against a bare-view baseline.

Seeds 5,000 Reg FD incidents, 2,000 awards and the audit events they produce, then drives the WSGI
handler in-process (no network), so the figures measure our code and queries, not a server.
"""

import time
from datetime import timedelta

INCIDENTS = 5_000
AWARDS = 2_000
DURATION = 2.0


def _seed():
    from django.utils import timezone

    from compliance_site import demo
    from regfd.models import Incident
    from tests.factories import AwardFactory, ExecutiveFactory, IncidentFactory

    now = timezone.now()
    users = demo.load_demo(now=now)
    company = demo.ensure_company(users["admin"])
    executives = [ExecutiveFactory(company=company, key=f"bench-{i}") for i in range(50)]
    for i in range(AWARDS):
        AwardFactory(executive=executives[i % 50], key=f"bench-award-{i}")
    for i in range(INCIDENTS):
        IncidentFactory(
            reference=f"FD-BENCH-{i:05d}",
            due_at=now + timedelta(minutes=i - INCIDENTS // 2),
            status=Incident.Status.OPEN if i % 3 else Incident.Status.DISCLOSED,
        )
    return users


def _rate(client, url, **headers) -> float:
    count = 0
    started = time.perf_counter()
    while time.perf_counter() - started < DURATION:
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code)
        count += 1
    return count / (time.perf_counter() - started)


def run() -> list[dict]:
    from django.http import JsonResponse
    from django.test import Client, override_settings
    from django.urls import path

    users = _seed()
    client = Client()
    client.force_login(users["secretary"])
    from compliance_site.accounts.tokens import issue_token

    # An expiring, hashed token, as POST /api/auth/token/ issues (compliance_site/accounts/tokens.py).
    token = issue_token(user=users["secretary"])[1]

    import compliance_site.urls as project_urls

    # The baseline: a bare JsonResponse view behind the same middleware stack.
    class BaselineUrls:
        urlpatterns = [
            path("baseline/", lambda request: JsonResponse({"ok": True}))
        ] + project_urls.urlpatterns

    rows = []
    with override_settings(ROOT_URLCONF=BaselineUrls):
        baseline = _rate(client, "/baseline/")
        rows.append(
            {
                "name": "web: bare JsonResponse view (baseline)",
                "value": baseline,
                "unit": "req/s",
                "ratio": 1.0,
                "higher_is_better": True,
            }
        )
        for name, url, headers in [
            ("web: incident list, 5,000 incidents (page of 25)", "/regfd/incidents/", {}),
            ("web: incident search 'BENCH-0042'", "/regfd/incidents/?q=BENCH-0042", {}),
            ("web: dashboard", "/", {}),
            ("web: audit trail, first page", "/audit/", {}),
            (
                "api: GET /api/regfd/incidents/ (page of 50)",
                "/api/regfd/incidents/",
                {"HTTP_AUTHORIZATION": f"Token {token}"},
            ),
        ]:
            value = _rate(client, url, **headers)
            rows.append(
                {
                    "name": name,
                    "value": value,
                    "unit": "req/s",
                    "ratio": value / baseline,
                    "higher_is_better": True,
                }
            )
    return rows
