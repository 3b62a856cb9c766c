"""Voiding a record made by mistake, recording what was already recovered, and a case's own restated values.

Voiding is one page for every record type: it says what will happen, asks for the reason, and calls the
record's void service; the record leaves every list and computation and stays in its history."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from compliance_site.accounts.permissions import capability_required, has_capability

from ..forms.records import CreditForm, RestatedValueFormSet, VoidForm, restated_values_from
from ..models import (
    AwardComponent,
    AwardCredit,
    MeasureValue,
    OfficerPeriod,
    ReasonableEstimate,
    RecoveryEvent,
    RestatedValue,
    RestatementEvent,
)
from ..selectors import (
    award_detail,
    executive_detail,
    is_recused,
    measure_detail,
    measures_visible_to,
    restatement_for_change,
    restatements_for_change,
)
from ..services import records as services
from ..services.recovery import reverse_recovery_event
from .records import _add_errors, _report_rechecks


@dataclass(frozen=True)
class Voidable:
    """How one record type is found for a user, voided and described."""

    noun: str
    find: Callable  # (user, pk) -> record, 404 when not visible
    void: Callable  # the service
    keyword: str  # the service's keyword for the record
    back: Callable  # record -> url of the page it is listed on
    describe: Callable  # record -> what the confirmation names
    capability: str = "clawback.manage"


def _child(model, parent_find, parent_field):
    def find(user, pk):
        record = get_object_or_404(model.objects.select_related(), pk=pk)
        parent_find(user, getattr(record, f"{parent_field}_id"))  # 404 unless the user may see the parent
        return record

    return find


def _case_child(model):
    def find(user, pk):
        record = get_object_or_404(model.objects, pk=pk)
        case = restatement_for_change(user, record.restatement_id)
        if is_recused(user, case):
            raise PermissionDenied("You are recused from this case.")
        return record

    return find


VOIDABLE = {
    "executive": Voidable(
        noun="executive",
        find=lambda user, pk: executive_detail(user, pk),
        void=services.void_executive,
        keyword="executive",
        back=lambda r: reverse("clawback:executive-detail", args=[r.pk]),
        describe=lambda r: f"the executive {r.name}",
    ),
    "officer-period": Voidable(
        noun="period of service",
        find=_child(OfficerPeriod, executive_detail, "executive"),
        void=services.void_officer_period,
        keyword="period",
        back=lambda r: reverse("clawback:executive-detail", args=[r.executive_id]),
        describe=lambda r: f"{r.executive.name}'s period of service from {r.start:%B %-d, %Y}",
    ),
    "measure": Voidable(
        noun="measure",
        find=lambda user, pk: measure_detail(user, pk),
        void=services.void_measure,
        keyword="measure",
        back=lambda r: reverse("clawback:measure-detail", args=[r.pk]),
        describe=lambda r: f"the measure {r.name}",
    ),
    "measure-value": Voidable(
        noun="value",
        find=_child(MeasureValue, measure_detail, "measure"),
        void=services.void_measure_value,
        keyword="value",
        back=lambda r: reverse("clawback:measure-detail", args=[r.measure_id]),
        describe=lambda r: f"the {r.period_label} value of {r.measure.name}",
    ),
    "award": Voidable(
        noun="award",
        find=lambda user, pk: award_detail(user, pk),
        void=services.void_award,
        keyword="award",
        back=lambda r: reverse("clawback:award-detail", args=[r.pk]),
        describe=lambda r: f"the award {r.key} of {r.executive.name}",
    ),
    "award-goal": Voidable(
        noun="goal",
        find=_child(AwardComponent, award_detail, "award"),
        void=services.void_award_component,
        keyword="component",
        back=lambda r: reverse("clawback:award-detail", args=[r.award_id]),
        describe=lambda r: f"a goal of the award {r.award.key} ({r})",
    ),
    "award-credit": Voidable(
        noun="amount already recovered",
        find=_child(AwardCredit, award_detail, "award"),
        void=services.void_award_credit,
        keyword="credit",
        back=lambda r: reverse("clawback:award-detail", args=[r.award_id]),
        describe=lambda r: (
            f"the amount already recovered of the award {r.award.key} on {r.recovered_on:%B %-d, %Y}"
        ),
    ),
    "event": Voidable(
        noun="event",
        find=_case_child(RestatementEvent),
        void=services.void_restatement_event,
        keyword="event",
        back=lambda r: reverse("clawback:restatement-detail", args=[r.restatement_id]),
        describe=lambda r: f"the event “{r}” of the case “{r.restatement}”",
    ),
    "restated-value": Voidable(
        noun="restated value",
        find=_case_child(RestatedValue),
        void=services.void_restated_value,
        keyword="restated",
        back=lambda r: reverse("clawback:restatement-detail", args=[r.restatement_id]),
        describe=lambda r: (
            f"the restated {r.value.measure.name} {r.value.period_label} of the case “{r.restatement}”"
        ),
    ),
    "estimate": Voidable(
        noun="reasonable estimate",
        find=_case_child(ReasonableEstimate),
        void=services.void_estimate,
        keyword="estimate",
        back=lambda r: reverse("clawback:case-workflow", args=[r.restatement_id]),
        describe=lambda r: f"the committee's estimate for the award {r.award.key}",
        capability="clawback.view",
    ),
}


@login_required
def void_record_view(request, kind, pk):
    """GET: what voiding will do, and the reason asked. POST: void it (the reason required)."""
    spec = VOIDABLE.get(kind)
    if spec is None:
        raise Http404("No such record type.")
    if not has_capability(request.user, spec.capability):
        raise PermissionDenied
    record = spec.find(request.user, pk)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        try:
            spec.void(
                actor=request.user, reason=form.cleaned_data["reason"], now=now, **{spec.keyword: record}
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, f"{spec.describe(record)[:1].upper()}{spec.describe(record)[1:]} was voided."
            )
            _report_rechecks(request, now)
            return redirect(spec.back(record))
    return render(
        request,
        "clawback/void_confirm.html",
        {
            "form": form,
            "spec": spec,
            "record": record,
            "what": spec.describe(record),
            "back": spec.back(record),
        },
        status=400 if form.errors else 200,
    )


@capability_required("clawback.manage")
def award_credit_add(request, pk):
    award = award_detail(request.user, pk)
    form = CreditForm(request.POST or None, cases=restatements_for_change(request.user))
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        try:
            services.record_award_credit(actor=request.user, award=award, now=now, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"Amount already recovered recorded on the award {award.key}.")
            _report_rechecks(request, now)
            return redirect("clawback:award-detail", pk=award.pk)
    return render(
        request,
        "clawback/award_credit_form.html",
        {"form": form, "award": award},
        status=400 if form.errors else 200,
    )


@capability_required("clawback.manage")
def restated_values_edit(request, pk):
    """The case's own restated figures: rows on record are changed, new rows added; none removed here."""
    case = restatement_for_change(request.user, pk)
    if is_recused(request.user, case):
        raise PermissionDenied("You are recused from this case.")
    rows = list(case.restated_values.select_related("value__measure"))
    measures = measures_visible_to(request.user).filter(company=case.company).order_by("name")
    data = request.POST if request.method == "POST" else None
    formset = RestatedValueFormSet(
        data,
        prefix="restated",
        measures=measures,
        initial=[{"measure_value": r.value_id, "restated": r.restated, "source": r.source} for r in rows],
    )
    reason_form = VoidForm(data) if case.is_signed_off() else None
    if reason_form is not None:
        reason_form.fields["reason"].help_text = "The case is signed off: say why this change is made."
    if request.method == "POST" and all([formset.is_valid(), reason_form is None or reason_form.is_valid()]):
        now = timezone.now()
        try:
            services.set_restated_values(
                actor=request.user,
                restatement=case,
                values=restated_values_from(formset),
                reason=reason_form.cleaned_data["reason"] if reason_form is not None else "",
                now=now,
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            from django.forms.utils import ErrorList

            formset._non_form_errors = ErrorList(
                [*formset.non_form_errors(), *(m for ms in errors.values() for m in ms)]
            )
        else:
            messages.success(request, "Restated values saved.")
            _report_rechecks(request, now)
            return redirect("clawback:restatement-detail", pk=case.pk)
    return render(
        request,
        "clawback/restated_values_form.html",
        {"restatement": case, "formset": formset, "reason_form": reason_form, "rows": rows},
        status=400 if request.method == "POST" else 200,
    )


@capability_required("clawback.view")
def recovery_event_reverse(request, pk):
    """A mistaken recovery entry is reversed, never changed: GET says what the reversal does and asks why."""
    event = get_object_or_404(RecoveryEvent.objects.select_related("claim__executive"), pk=pk)
    case = restatement_for_change(request.user, event.claim.restatement_id)
    form = VoidForm(request.POST or None)
    form.fields["reason"].help_text = "Why the entry was a mistake. Both entries stay on the ledger."
    back = reverse("clawback:case-workflow", args=[case.pk])
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        try:
            reverse_recovery_event(
                actor=request.user, event=event, reason=form.cleaned_data["reason"], now=now
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"The recovery entry of {event.occurred_on:%Y-%m-%d} was reversed.")
            return redirect(f"{reverse('clawback:restatement-detail', args=[case.pk])}#case-workflow")
    amount = f"${event.amount:,.2f}" + (f" and {event.units.normalize():,f} units" if event.units else "")
    return render(
        request,
        "clawback/recovery_reverse_confirm.html",
        {"form": form, "event": event, "case": case, "amount": amount, "back": back},
        status=400 if form.errors else 200,
    )
