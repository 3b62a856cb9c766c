"""Who sees which Reg FD records."""

from django.db.models import Q, QuerySet

from compliance_site.accounts.permissions import has_capability
from compliance_site.accounts.visibility import visible_to

from .models import Incident


@visible_to(Incident)
def incidents_visible_to(user) -> QuerySet[Incident]:
    """The program's officers see every incident; anyone else sees the reports they filed themselves."""
    qs = Incident.objects.select_related("reported_by")
    if has_capability(user, "regfd.view"):
        return qs
    if has_capability(user, "regfd.access"):
        return qs.filter(reported_by=user)
    return qs.none()


def search_incidents(qs: QuerySet[Incident], *, q: str = "", status: str = "") -> QuerySet[Incident]:
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(
            Q(reference__icontains=q)
            | Q(title__icontains=q)
            | Q(recipient_name__icontains=q)
            | Q(recipient_firm__icontains=q)
            | Q(disclosed_by__icontains=q)
        )
    return qs
