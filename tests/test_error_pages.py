"""The app's own error pages with DEBUG off, as `make run` and production serve them (scripts/run-all.sh):
in the site's frame with a way back, never Django's technical pages; the 500 page renders with nothing but
the template engine, since the failure may be in the database or a context processor."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import path, reverse

from compliance_site.urls import urlpatterns as site_urlpatterns
from tests.clients import client_for


def _boom(request):
    raise RuntimeError("a bug in a view")


def _suspicious(request):
    raise SuspiciousOperation("tampered input")


def _forbidden(request):
    raise PermissionDenied


# A test-only urlconf: the site's pages and handlers plus views that fail on purpose.
urlpatterns = [
    path("test-only/boom/", _boom),
    path("test-only/suspicious/", _suspicious),
    path("test-only/forbidden/", _forbidden),
    *site_urlpatterns,
]
handler400 = "compliance_site.views.bad_request"
handler403 = "compliance_site.views.permission_denied"
handler404 = "compliance_site.views.page_not_found"
handler500 = "compliance_site.views.server_error"


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False


def _template_names(response) -> list[str]:
    return [t.name for t in response.templates]


def test_a_missing_url_renders_the_apps_404_page_with_its_navigation(users):
    response = client_for(users["secretary"]).get("/no/such/page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "errors/404.html" in _template_names(response)
    assert "Page not found" in body and "Compliance Case Manager" in body
    assert 'data-testid="nav"' in body and f'href="{reverse("dashboard")}"' in body
    assert "Back to the dashboard" in body
    assert "technical_404" not in body and "Using the URLconf" not in body


def test_a_missing_url_renders_the_404_page_for_an_anonymous_visitor_too(db):
    response = Client().get("/no/such/page/")
    body = response.content.decode()
    assert response.status_code == 404 and "Page not found" in body and "Compliance Case Manager" in body


def test_an_employee_opening_a_clawback_case_gets_the_apps_403_page(users, clawback_case):
    response = client_for(users["employee"]).get(
        reverse("clawback:restatement-detail", args=[clawback_case.pk])
    )
    body = response.content.decode()
    assert response.status_code == 403
    assert "errors/403.html" in _template_names(response)
    assert "You don't have access to this page" in body and "Compliance Case Manager" in body
    assert "Back to the dashboard" in body


@pytest.mark.urls("tests.test_error_pages")
def test_the_403_handler_renders_the_apps_page(users):
    response = client_for(users["employee"]).get("/test-only/forbidden/")
    assert response.status_code == 403 and "errors/403.html" in _template_names(response)


@pytest.mark.urls("tests.test_error_pages")
def test_a_suspicious_request_renders_the_apps_400_page(users):
    response = client_for(users["employee"]).get("/test-only/suspicious/")
    body = response.content.decode()
    assert response.status_code == 400 and "errors/400.html" in _template_names(response)
    assert "The request cannot be accepted" in body and "Compliance Case Manager" in body


@pytest.mark.urls("tests.test_error_pages")
def test_an_exception_in_a_view_renders_the_apps_500_page(users):
    client = Client(raise_request_exception=False)
    client.force_login(users["employee"])
    response = client.get("/test-only/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in body and "Compliance Case Manager" in body
    assert 'href="/"' in body and "bootstrap.min.css" in body
    assert "a bug in a view" not in body and "Traceback" not in body


def test_the_500_page_renders_without_a_request_or_the_database():
    # No `db` fixture: any query would fail the test.
    from compliance_site.views import server_error

    response = server_error(None)
    assert response.status_code == 500 and b"Something went wrong" in response.content
