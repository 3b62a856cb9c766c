from datetime import date

from django.db.models import Q

from .models import BodyMembership, Company, FiscalPeriod, PolicyVersion


def current_company() -> Company | None:
    return Company.objects.order_by("id").first()


def fiscal_periods(company: Company):
    return FiscalPeriod.objects.filter(company=company).order_by("start")


def policy_in_force(kind: str, *, on: date) -> PolicyVersion | None:
    return (
        PolicyVersion.objects.filter(kind=kind, effective_date__lte=on, approved_on__isnull=False)
        .order_by("-effective_date", "-id")
        .first()
    )


def seats_held(company: Company, body: str, *, on: date, independent_only: bool = False):
    """The seats on `body` held on `on` (a seat's first and last days included), chair first."""
    seats = BodyMembership.objects.filter(company=company, body=body, starts_on__lte=on).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on)
    )
    if independent_only:
        seats = seats.filter(independent=True)
    return seats.select_related("member").order_by("-chair", "member__last_name", "member__first_name", "id")
