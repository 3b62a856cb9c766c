"""The recovery stage of a case: recovery events, who recovery is sought from, impracticability. The forms
live in the case's workflow panel; each names the claim it is about."""

from django.core.exceptions import ValidationError
from django.views.decorators.http import require_POST

from compliance_site.accounts.permissions import capability_required

from ..forms.recovery import ClaimPartyForm, ImpracticabilityForm, RecoveryEventForm
from ..models import Decision
from ..services import recovery as recovery_service
from .determinations import _claims, _manage, done, refuse


@capability_required("clawback.manage")
@require_POST
def recovery_record_event(request, pk):
    case, now = _manage(request, pk)
    form = RecoveryEventForm(request.POST, claims=_claims(case))
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["units"] = data["units"] or 0
        try:
            recovery_service.record_recovery_event(actor=request.user, now=now, **data)
        except ValidationError as exc:
            return refuse(request, case, now=now, exc=exc, bound={"event_form": form})
        return done(
            request, case, f"Recovery of {data['amount']} USD recorded for {data['claim'].executive.name}."
        )
    return refuse(
        request, case, now=now, exc=ValidationError("Check the recovery."), bound={"event_form": form}
    )


@capability_required("clawback.manage")
@require_POST
def recovery_set_party(request, pk):
    case, now = _manage(request, pk)
    form = ClaimPartyForm(request.POST, claims=_claims(case))
    if form.is_valid():
        try:
            recovery_service.set_claim_party(actor=request.user, now=now, **form.cleaned_data)
        except ValidationError as exc:
            return refuse(request, case, now=now, exc=exc, bound={"party_form": form})
        return done(request, case, "The party recovery is sought from is recorded.")
    return refuse(request, case, now=now, exc=ValidationError("Check the party."), bound={"party_form": form})


@capability_required("clawback.manage")
@require_POST
def recovery_determine_impracticable(request, pk):
    case, now = _manage(request, pk)
    # Any decision of the case may be named; the service says why one does not qualify.
    form = ImpracticabilityForm(
        request.POST, claims=_claims(case), decisions=Decision.objects.filter(restatement=case)
    )
    if form.is_valid():
        try:
            recovery_service.determine_impracticable(
                actor=request.user, claim=form.cleaned_data["claim"], now=now, **form.service_kwargs()
            )
        except ValidationError as exc:
            return refuse(request, case, now=now, exc=exc, bound={"impracticability_form": form})
        return done(
            request, case, "Impracticability determination recorded; the amount forgone is disclosed."
        )
    return refuse(
        request,
        case,
        now=now,
        exc=ValidationError("Check the impracticability determination."),
        bound={"impracticability_form": form},
    )
