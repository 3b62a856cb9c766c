"""What the Reg FD program shows on the shared pages (compliance_site.panels; docs/architecture.md): the
incidents needing attention on the landing page, its dashboard, and the request forms of its documents.
Registered when RegfdConfig.ready imports this module."""

from datetime import timedelta

from compliance_site.accounts.visibility import visible_queryset
from compliance_site.documents.periods import recent_quarters
from compliance_site.panels import DASHBOARDS, DOCUMENTS, HOME, register_panel

from . import dashboards
from .models import Incident
from .selectors import incidents_visible_to


@register_panel(HOME, "regfd", template="panels/regfd/home.html", capability="regfd.access", order=10)
def home(*, user, now) -> dict:
    open_incidents = incidents_visible_to(user).filter(status=Incident.Status.OPEN)
    due_soon = open_incidents.filter(due_at__gte=now, due_at__lt=now + timedelta(hours=24))
    return {
        "overdue_incidents": list(open_incidents.filter(due_at__lt=now).order_by("due_at")[:10]),
        "due_soon_incidents": list(due_soon.order_by("due_at")[:10]),
        "open_incident_count": open_incidents.count(),
    }


@register_panel(
    DASHBOARDS, "regfd", template="panels/regfd/dashboards.html", capability="regfd.view", order=10
)
def dashboard(*, user, now) -> dict:
    data = dashboards.regfd_dashboard(now=now)
    return {"regfd": data, **dashboards.regfd_charts(data)}


@register_panel(
    DOCUMENTS, "regfd", template="panels/regfd/documents.html", capability="regfd.export", order=20
)
def document_requests(*, user, now) -> dict:
    # The 200 latest incidents as (id, label) pairs: built here, the page writes 200 options without
    # resolving three variables and a display method for each.
    status = dict(Incident.Status.choices)
    latest = visible_queryset(user, Incident).order_by("-learned_at", "-id")[:200]
    return {
        "incident_options": [
            (pk, f"{reference} — {title} ({status.get(code, code)})")
            for pk, reference, title, code in latest.values_list("pk", "reference", "title", "status")
        ],
        "quarters": recent_quarters(now),
    }
