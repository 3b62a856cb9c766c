"""Who sees which clawback records, decided once, with the joins each page needs."""

from django.db.models import Count, QuerySet

from compliance_site.accounts.permissions import has_capability
from compliance_site.accounts.visibility import visible_to

from .models import Award, Executive, Recusal, Restatement


@visible_to(Restatement)
def restatements_visible_to(user) -> QuerySet[Restatement]:
    """Everyone with clawback access, except a covered executive for the case about their own pay (policy
    "Administration"; an executive must never review their own recovery)."""
    if not has_capability(user, "clawback.view"):
        return Restatement.objects.none()
    return (
        Restatement.objects.exclude(covered_executives__user=user)
        .select_related("company")
        .annotate(event_count=Count("events", distinct=True))
    )


@visible_to(Executive)
def executives_visible_to(user) -> QuerySet[Executive]:
    if not has_capability(user, "clawback.view"):
        return Executive.objects.none()
    return Executive.objects.exclude(user=user).select_related("company")


@visible_to(Award)
def awards_visible_to(user) -> QuerySet[Award]:
    if not has_capability(user, "clawback.view"):
        return Award.objects.none()
    return Award.objects.exclude(executive__user=user).select_related("executive", "measure")


def restatement_detail(user, pk) -> Restatement:
    from django.shortcuts import get_object_or_404

    qs = restatements_visible_to(user).prefetch_related("events", "covered_executives", "recusals__user")
    return get_object_or_404(qs, pk=pk)


def is_recused(user, restatement: Restatement) -> bool:
    return Recusal.objects.filter(restatement=restatement, user=user).exists()
