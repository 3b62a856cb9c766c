"""The recovery stage of a case: recovery events, who recovery is sought from, impracticability. The forms
live in the case's workflow panel; each names the claim it is about. Recording money recovered or forgone
asks first (`confirm_step`)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.views.decorators.http import require_POST

from compliance_site.accounts.mfa import fresh_second_factor_required
from compliance_site.accounts.permissions import capability_required
from compliance_site.lib.numbers import num, usd

from ..forms.recovery import ClaimPartyForm, ImpracticabilityForm, RecoveryEventForm
from ..models import Decision, Impracticability, RecoveryEvent
from ..services import recovery as recovery_service
from ..services.recovery import claim_position_of
from .determinations import _claims, _manage, run_step, sought_from


def _outstanding_after(claim, amount, *, field: str):
    """What the claim will still be owed once `amount` is recovered or forgone; the service's own refusal
    when it is more than is outstanding (the statement could not be made)."""
    outstanding = claim_position_of(claim, as_of=date.max).outstanding
    if amount > outstanding:
        raise ValidationError({field: [f"{usd(amount)} is more than the {usd(outstanding)} outstanding."]})
    return outstanding - amount


def _event_statement(form) -> str:
    data = form.cleaned_data
    claim, amount, units = data["claim"], data["amount"], data["units"] or 0
    after = _outstanding_after(claim, amount, field="amount")
    recovered = usd(amount) + (f" and {num(units)} shares or units" if units else "")
    return (
        f"Recording this recovery enters {recovered} recovered from {sought_from(claim)} on "
        f"{data['occurred_on']:%Y-%m-%d} by {RecoveryEvent.Method(data['method']).label} against the claim "
        f"of {usd(claim.amount_owed)} on {claim.executive.name}. {usd(after)} will then remain outstanding "
        "on that claim."
    )


def _impracticability_statement(form) -> str:
    data = form.cleaned_data
    claim, decision = data["claim"], data["decision"]
    after = _outstanding_after(claim, data["amount_forgone"], field="amount_forgone")
    ground = Impracticability.Ground(data["ground"]).label.lower()
    return (
        f"Recording this determination forgoes {usd(data['amount_forgone'])} of the claim on "
        f"{claim.executive.name} as impracticable to recover (ground: {ground}), "
        f"on the decision of the {decision.get_body_display()} of {decision.held_on:%Y-%m-%d}. That amount "
        f"is no longer sought and is disclosed under Item 402(w)(1)(ii); {usd(after)} will then remain "
        "outstanding on the claim."
    )


@capability_required("clawback.manage")
@require_POST
@fresh_second_factor_required
def recovery_record_event(request, pk):
    case, now = _manage(request, pk)
    form = RecoveryEventForm(request.POST, claims=_claims(case))

    def record():
        data = form.cleaned_data
        recovery_service.record_recovery_event(
            actor=request.user, now=now, **{**data, "units": data["units"] or 0}
        )

    return run_step(
        request,
        case,
        now=now,
        name="event_form",
        form=form,
        invalid="Check the recovery.",
        statement=lambda: _event_statement(form),
        action=record,
        message=lambda _: (
            f"Recovery of {usd(form.cleaned_data['amount'])} recorded for "
            f"{form.cleaned_data['claim'].executive.name}."
        ),
    )


@capability_required("clawback.manage")
@require_POST
def recovery_set_party(request, pk):
    case, now = _manage(request, pk)
    form = ClaimPartyForm(request.POST, claims=_claims(case))
    return run_step(
        request,
        case,
        now=now,
        name="party_form",
        form=form,
        invalid="Check the party.",
        action=lambda: recovery_service.set_claim_party(actor=request.user, now=now, **form.cleaned_data),
        message="The party recovery is sought from is recorded.",
    )


@capability_required("clawback.manage")
@require_POST
@fresh_second_factor_required
def recovery_determine_impracticable(request, pk):
    case, now = _manage(request, pk)
    # Any decision of the case may be named; the service says why one does not qualify.
    form = ImpracticabilityForm(
        request.POST, claims=_claims(case), decisions=Decision.objects.filter(restatement=case)
    )
    return run_step(
        request,
        case,
        now=now,
        name="impracticability_form",
        form=form,
        invalid="Check the impracticability determination.",
        statement=lambda: _impracticability_statement(form),
        action=lambda: recovery_service.determine_impracticable(
            actor=request.user, claim=form.cleaned_data["claim"], now=now, **form.service_kwargs()
        ),
        message="Impracticability determination recorded; the amount forgone is disclosed.",
    )
