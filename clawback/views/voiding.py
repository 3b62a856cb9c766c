"""Voiding a record made by mistake, recording what was already recovered, and a case's own restated values.

Voiding is one page for every record type: it says what will happen, asks for the reason, and calls the
record's void service; the record leaves every list and computation and stays in its history
(docs/architecture.md, "Voiding: void, never delete")."""

from collections.abc import Callable
from dataclasses import dataclass
from inspect import signature

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from compliance_site.accounts.mfa import fresh_second_factor_required
from compliance_site.accounts.permissions import capability_required, has_capability
from compliance_site.registers import ServiceCall

from ..forms.records import CreditForm, RestatedValueFormSet, VoidForm, restated_values_from
from ..models import (
    AwardComponent,
    AwardCredit,
    MeasureValue,
    OfficerPeriod,
    PriceSet,
    ReasonableEstimate,
    RecoveryEvent,
    RestatedValue,
    RestatementEvent,
)
from ..selectors import (
    award_detail,
    event_studies_visible_to,
    executive_detail,
    measure_detail,
    measures_visible_to,
    restatement_for_change,
    restatements_for_change,
)
from ..services import records as services
from ..services.event_studies import void_price_set, void_study
from ..services.recovery import reverse_recovery_event
from ..services.walls import check_may_change_inputs
from .common import MANAGE, ChangePage, add_errors, company, refused, report_rechecks


@dataclass(frozen=True)
class Voidable:
    """How one record type is found for a user, voided, and where it is listed."""

    noun: str
    find: Callable  # (user, pk) -> record, 404 when not visible
    void: Callable  # the service
    back: Callable  # record -> url of the page it is listed on
    capability: str = MANAGE
    engine_input: bool = True  # the recovery engine reads it, so an approval may rest on it

    @property
    def keyword(self) -> str:
        """The service's keyword for the record: every void service takes it beside actor, reason and now."""
        return next(
            name for name in signature(self.void).parameters if name not in ("actor", "reason", "now")
        )


def _listed_on(page: str, attribute: str) -> Callable:
    return lambda record: reverse(f"clawback:{page}", args=[getattr(record, attribute)])


def _own(noun: str, find, void) -> Voidable:
    """A record with its own page (`<noun>-detail`), voided from it."""
    return Voidable(noun, find, void, _listed_on(f"{noun}-detail", "pk"))


def _row(model, parent: str, void, noun: str) -> Voidable:
    """A row listed on the page of its parent, the record the user must be able to see."""
    parent_find = {"executive": executive_detail, "measure": measure_detail, "award": award_detail}[parent]

    def find(user, pk):
        record = get_object_or_404(model.objects.select_related(parent), pk=pk)
        parent_find(user, getattr(record, f"{parent}_id"))  # 404 unless the user may see the parent
        return record

    return Voidable(noun, find, void, _listed_on(f"{parent}-detail", f"{parent}_id"))


def _of_case(model, void, noun: str, page="restatement-detail", capability=MANAGE) -> Voidable:
    """A record of a case, found for those the case is open to (who may change it is the wall's to say)."""

    def find(user, pk):
        record = get_object_or_404(model.objects, pk=pk)
        restatement_for_change(user, record.restatement_id)  # 404 unless the user may see the case
        return record

    return Voidable(noun, find, void, _listed_on(page, "restatement_id"), capability)


VOIDABLE = {
    "executive": _own("executive", executive_detail, services.void_executive),
    "officer-period": _row(OfficerPeriod, "executive", services.void_officer_period, "period of service"),
    "measure": _own("measure", measure_detail, services.void_measure),
    "measure-value": _row(MeasureValue, "measure", services.void_measure_value, "value"),
    "award": _own("award", award_detail, services.void_award),
    "award-goal": _row(AwardComponent, "award", services.void_award_component, "goal"),
    "award-credit": _row(AwardCredit, "award", services.void_award_credit, "amount already recovered"),
    "event": _of_case(RestatementEvent, services.void_restatement_event, "event"),
    "restated-value": _of_case(RestatedValue, services.void_restated_value, "restated value"),
    "estimate": _of_case(ReasonableEstimate, services.void_estimate, "reasonable estimate", "case-workflow"),
    # Not an input of the engine (the estimate adopted from it is): no approval rests on it.
    "event-study": Voidable(
        "event study",
        lambda user, pk: get_object_or_404(event_studies_visible_to(user).live(), pk=pk),
        void_study,
        _listed_on("case-event-studies", "restatement_id"),
        engine_input=False,
    ),
    # The company's market data, read by studies of any case: walled from no one, voided by any manager.
    "price-set": Voidable(
        "price set",
        lambda user, pk: get_object_or_404(PriceSet.objects.filter(company=company()), pk=pk),
        void_price_set,
        lambda record: reverse("clawback:price-set-list"),
        engine_input=False,
    ),
}

# What the confirmation names, by kind (`r` the record).
WHAT = {
    "executive": "the executive {r.name}",
    "officer-period": "{r.executive.name}'s period of service from {r.start:%B %-d, %Y}",
    "measure": "the measure {r.name}",
    "measure-value": "the {r.period_label} value of {r.measure.name}",
    "award": "the award {r.key} of {r.executive.name}",
    "award-goal": "a goal of the award {r.award.key} ({r})",
    "award-credit": "the amount already recovered of the award {r.award.key} on {r.recovered_on:%B %-d, %Y}",
    "event": "the event “{r}” of the case “{r.restatement}”",
    "event-study": "event study {r.pk} of the case “{r.restatement}”",
    "price-set": "the prices “{r.name}” ({r.file_name}, imported {r.imported_at:%B %-d, %Y})",
    "restated-value": (
        "the restated {r.value.measure.name} {r.value.period_label} of the case “{r.restatement}”"
    ),
    "estimate": "the committee's estimate for the award {r.award.key}",
}


def _reason_page(
    request,
    template: str,
    context: dict,
    *,
    act: Callable,
    message: str,
    done: str,
    help_text="",
    rechecks=True,
):
    """A step that cannot be taken back, asked first: GET says what it does and asks why; POST runs
    `act(reason=, now=)`, says which cases it sent back to review (`rechecks`) and goes to `done`.
    Refused, the page again with the service's reasons (400)."""
    form = VoidForm(request.POST or None)
    if help_text:
        form.fields["reason"].help_text = help_text
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        try:
            act(reason=form.cleaned_data["reason"], now=now)
        except ValidationError as exc:
            add_errors(form, exc)
        except PermissionDenied as exc:
            return refused(request, exc)
        else:
            messages.success(request, message)
            if rechecks:
                report_rechecks(request, now)
            return redirect(done)
    return render(request, template, {"form": form, **context}, status=400 if form.errors else 200)


@login_required
def void_record_view(request, kind, pk):
    """GET: what voiding will do, and the reason asked. POST: void it (the reason required)."""
    spec = VOIDABLE.get(kind)
    if spec is None:
        raise Http404("No such record type.")
    if not has_capability(request.user, spec.capability):
        raise PermissionDenied
    try:
        record = spec.find(request.user, pk)
        # Voiding an input is a change of it: not asked of someone walled from a case reading it.
        check_may_change_inputs(request.user, record)
    except PermissionDenied as exc:
        return refused(request, exc)
    what, back = WHAT[kind].format(r=record), spec.back(record)
    return _reason_page(
        request,
        "clawback/void_confirm.html",
        {"spec": spec, "record": record, "what": what, "back": back},
        act=lambda **given: spec.void(actor=request.user, **{spec.keyword: record}, **given),
        message=f"{what[:1].upper()}{what[1:]} was voided.",
        done=back,
    )


class CreditAdd(ChangePage):
    """An amount of the award already recovered before this case, recorded from the award's page."""

    urls, context_object_name = "clawback:award", "award"
    template_name = "clawback/award_credit_form.html"
    invalid_status = 400

    def get_object(self):
        return award_detail(self.request.user, self.kwargs["pk"])

    def get_forms(self, award):
        return {"form": CreditForm(self.data, cases=restatements_for_change(self.request.user))}

    def get_message(self, credit):
        return f"Amount already recovered recorded on the award {self.record.key}."

    def success_url(self, credit):
        return self.url("detail", self.record.pk)

    def get_context(self):
        return {}


award_credit_add = CreditAdd.as_view(call=ServiceCall(services.record_award_credit, record="award"))


@capability_required(MANAGE)
def restated_values_edit(request, pk):
    """The case's own restated figures: rows on record are changed, new rows added; none removed here."""
    case = restatement_for_change(request.user, pk)
    try:
        check_may_change_inputs(request.user, case)
    except PermissionDenied as exc:
        return refused(request, exc)
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
            report_rechecks(request, now)
            return redirect("clawback:restatement-detail", pk=case.pk)
    return render(
        request,
        "clawback/restated_values_form.html",
        {"restatement": case, "formset": formset, "reason_form": reason_form, "rows": rows},
        status=400 if request.method == "POST" else 200,
    )


@capability_required(MANAGE)
@fresh_second_factor_required
def recovery_event_reverse(request, pk):
    """A mistaken recovery entry is reversed, never changed: GET says what the reversal does and asks why."""
    event = get_object_or_404(RecoveryEvent.objects.select_related("claim__executive"), pk=pk)
    case = restatement_for_change(request.user, event.claim.restatement_id)
    amount = f"${event.amount:,.2f}" + (f" and {event.units.normalize():,f} units" if event.units else "")
    back = reverse("clawback:case-workflow", args=[case.pk])
    return _reason_page(
        request,
        "clawback/recovery_reverse_confirm.html",
        {"event": event, "case": case, "amount": amount, "back": back},
        act=lambda **given: reverse_recovery_event(actor=request.user, event=event, **given),
        message=f"The recovery entry of {event.occurred_on:%Y-%m-%d} was reversed.",
        done=f"{reverse('clawback:restatement-detail', args=[case.pk])}#case-workflow",
        help_text="Why the entry was a mistake. Both entries stay on the ledger.",
        rechecks=False,  # a recovery entry is no input of a determination
    )
