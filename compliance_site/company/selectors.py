from datetime import date

from .models import Company, FiscalPeriod, PolicyVersion


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
