"""What the clawback program shows on the shared pages (compliance_site.panels; docs/architecture.md): the
active cases on the landing page, the recovery dashboard, and the request forms of its documents.
Registered when ClawbackConfig.ready imports this module."""

from compliance_site.accounts.visibility import visible_queryset
from compliance_site.company.models import FiscalPeriod
from compliance_site.company.selectors import current_company
from compliance_site.documents.periods import today_et
from compliance_site.panels import DASHBOARDS, DOCUMENTS, HOME, register_panel

from . import dashboards
from .models import Restatement
from .selectors import restatements_visible_to


def _cases(user):
    return visible_queryset(user, Restatement).order_by("-created_at", "-id")


@register_panel(HOME, "clawback", template="panels/clawback/home.html", capability="clawback.view", order=20)
def home(*, user, now) -> dict:
    active = restatements_visible_to(user).exclude(status=Restatement.Status.CLOSED)
    return {"active_restatements": list(active[:10])}


@register_panel(
    DASHBOARDS, "clawback", template="panels/clawback/dashboards.html", capability="clawback.view", order=20
)
def dashboard(*, user, now) -> dict:
    data = dashboards.clawback_dashboard(restatements=_cases(user), now=now)
    return {"clawback": data, **dashboards.clawback_charts(data)}


@register_panel(
    DOCUMENTS, "clawback", template="panels/clawback/documents.html", capability="clawback.export", order=10
)
def document_requests(*, user, now) -> dict:
    company = current_company()
    fiscal_years = list(FiscalPeriod.objects.filter(company=company).order_by("-start")) if company else []
    today = today_et(now)
    return {
        "restatements": _cases(user),
        "fiscal_years": fiscal_years,
        # The last completed fiscal year is the one an Item 402(w) disclosure is usually about.
        "default_fiscal_year": next((fy for fy in fiscal_years if fy.end < today), None),
    }
