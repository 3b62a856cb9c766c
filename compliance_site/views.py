from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.http import require_GET

from compliance_site.accounts.permissions import has_capability
from compliance_site.audit.rendering import event_table
from compliance_site.audit.selectors import events_visible_to

from .panels import HOME, panel_context, panels_for


@login_required
def dashboard(request):
    """The landing page: what needs attention now, in each program the user takes part in (the programs'
    HOME panels, compliance_site.panels), then the recent activity."""
    now = timezone.now()
    context = {"now": now, **panel_context(panels_for(HOME, request.user), user=request.user, now=now)}
    if has_capability(request.user, "audit.view"):
        context["recent_events"] = list(events_visible_to(request.user)[:8])
        context["recent_events_table"] = event_table(context["recent_events"], compact=True)
    return render(request, "dashboard.html", context)


@require_GET
def healthz(request):
    """For the load balancer and docker compose: the process is up and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# The handlers of compliance_site.urls: the app's own pages whenever DEBUG is off (`make run` included).


def bad_request(request, exception=None):
    return render(request, "errors/400.html", {"status": 400}, status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No request context and no context processors: the failure may be in them or in the database, so the
    # template is self-contained (it extends nothing and reads nothing).
    return HttpResponseServerError(loader.get_template("errors/500.html").render())


@login_required
@require_GET
def glossary(request):
    """The terms of the clawback and Regulation FD programs in plain words, each with the provision it comes
    from, one anchor per term (the `term` template tag links to them)."""
    return render(request, "glossary.html")
