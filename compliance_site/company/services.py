"""Company profile, fiscal calendar and policy versions."""

from django.core.exceptions import ValidationError
from django.db import transaction

from compliance_site.audit.recorder import audit_context, save_audited

from .models import Company, FiscalPeriod, PolicyVersion


@transaction.atomic
def update_company(*, actor, company: Company, data: dict, reason: str = "") -> Company:
    for field, value in data.items():
        setattr(company, field, value)
    return save_audited(company, actor=actor, reason=reason)


@transaction.atomic
def add_fiscal_period(
    *, actor, company: Company, label: str, start, end, transition: bool = False
) -> FiscalPeriod:
    """Add a fiscal year or transition period; periods never overlap (the look-back window of
    docs/clawback-rules §1.5 depends on it)."""
    period = FiscalPeriod(company=company, label=label, start=start, end=end, transition=transition)
    period.full_clean()
    overlapping = FiscalPeriod.objects.filter(company=company, start__lte=end, end__gte=start).first()
    if overlapping is not None:
        raise ValidationError({"start": f"Overlaps {overlapping}."})
    with audit_context(actor=actor):
        period.save()
    return period


@transaction.atomic
def add_policy_version(
    *,
    actor,
    kind: str,
    version: str,
    title: str,
    text: str,
    effective_date,
    approved_on=None,
    approved_by: str = "",
    approval_record: str = "",
) -> PolicyVersion:
    """Record a new version of a policy. Versions are never edited: a change is a new version."""
    policy = PolicyVersion(
        kind=kind,
        version=version,
        title=title,
        text=text,
        effective_date=effective_date,
        approved_on=approved_on,
        approved_by=approved_by,
        approval_record=approval_record,
        created_by=actor,
    )
    return save_audited(policy, actor=actor)
