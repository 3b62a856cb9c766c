"""Reg FD policy records: the landing page, requests for MNPI, communications with Specified Persons,
earnings checklists, Regulation G reviews, the other records, and the policy's distribution. Each view
parses, calls one service, and renders or redirects; visibility comes from regfd.selectors_records."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from compliance_site.accounts.permissions import capability_required, has_capability
from compliance_site.accounts.roles import CAPABILITIES
from compliance_site.lib.timefmt import EXCHANGE_TZ

from .. import selectors_records as sel
from ..forms.records import (
    RECORD_FORMS,
    AnswerForm,
    CancelForm,
    CommunicationForm,
    CommunicationHeldForm,
    DebriefForm,
    EarningsForm,
    InformationRequestForm,
    InformationResponseForm,
    NonGaapForm,
)
from ..models import Communication, PolicyRecord
from ..services import policy as policy_services
from ..services import records as services
from ..services.spokespersons import is_authorized_officer, spokesperson_status

MANAGE_OR_APPROVE = ("regfd.manage", "regfd.approve")
ACKNOWLEDGEMENT_REPORT = ("regfd.manage", "regfd.export")
PER_PAGE = 25


# ---- Helpers shared by the records views ---------------------------------------------------------------


def any_capability_required(*capabilities: str):
    """Like capability_required, for an action open to the holders of any of several capabilities."""
    for capability in capabilities:
        CAPABILITIES[capability]  # fail at import time for a misspelt capability

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not any(has_capability(request.user, c) for c in capabilities):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_capabilities = capabilities
        return wrapped

    return decorator


def can_any(user, capabilities) -> bool:
    return any(has_capability(user, c) for c in capabilities)


def add_service_error(form, exc: ValidationError) -> None:
    """Show a service's refusal on the form: on its field when the form has one, else above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def page_of(request, qs):
    return Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))


def today_et():
    return timezone.now().astimezone(EXCHANGE_TZ).date()


def _choice(value: str, choices) -> str:
    return value if value in {v for v, _ in choices} else ""


# ---- Landing page --------------------------------------------------------------------------------------


@capability_required("regfd.access")
def records_home(request):
    user = request.user
    policy = sel.current_regfd_policy(on=today_et())
    distributed = policy is not None and sel.is_distributed(policy)
    context = {
        "policy": policy,
        "needs_acknowledgement": distributed and sel.acknowledgement_of(user, policy) is None,
        "sees_all": has_capability(user, "regfd.view"),
        "can_schedule": can_any(user, MANAGE_OR_APPROVE),
        "is_officer": is_authorized_officer(user),
        "can_report": has_capability(user, "regfd.report"),
        "can_ack_report": can_any(user, ACKNOWLEDGEMENT_REPORT),
        "routed_to_me": sel.requests_visible_to(user)
        .filter(routed_to=user, responded_at__isnull=True)
        .count(),
    }
    if context["sees_all"]:
        context["awaiting_debrief"] = sel.communications_visible_to(user).filter(status="held").count()
        context["pending_reviews"] = (
            sel.nongaap_reviews_visible_to(user).filter(signed_off_at__isnull=True).count()
        )
        context["open_questions"] = (
            sel.policy_records_visible_to(user).filter(kind="question", answered_at__isnull=True).count()
        )
    return render(request, "regfd/records_home.html", context)


# ---- Requests for MNPI (policy I.A) --------------------------------------------------------------------


@capability_required("regfd.access")
def request_list(request):
    q = request.GET.get("q", "").strip()
    state = _choice(request.GET.get("state", ""), [("open", ""), ("answered", "")])
    qs = sel.search_requests(sel.requests_visible_to(request.user), q=q, state=state)
    return render(
        request,
        "regfd/request_list.html",
        {"page": page_of(request, qs), "q": q, "state": state},
    )


@capability_required("regfd.report")
def request_log(request):
    form = InformationRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "time_zone"}
        try:
            item = services.log_information_request(actor=request.user, now=timezone.now(), **data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, f"Request logged and routed to {item.routed_to}. Do not answer it yourself."
            )
            return redirect("regfd:request-detail", pk=item.pk)
    return render(request, "regfd/request_form.html", {"form": form})


def _request_context(request, item, form=None):
    may_respond = (
        item.responded_at is None
        and item.routed_to_id == request.user.pk
        and item.received_by_id != request.user.pk
        and has_capability(request.user, "regfd.approve")
    )
    return {
        "item": item,
        "may_respond": may_respond,
        "form": form or (InformationResponseForm() if may_respond else None),
    }


@capability_required("regfd.access")
def request_detail(request, pk):
    item = get_object_or_404(sel.requests_visible_to(request.user), pk=pk)
    return render(request, "regfd/request_detail.html", _request_context(request, item))


@capability_required("regfd.approve")
@require_POST
def request_respond(request, pk):
    item = get_object_or_404(sel.requests_visible_to(request.user), pk=pk)
    form = InformationResponseForm(request.POST)
    if form.is_valid():
        try:
            services.record_information_response(
                actor=request.user,
                information_request=item,
                response=form.cleaned_data["response"],
                now=timezone.now(),
            )
        except ValidationError as exc:
            if item.routed_to_id != request.user.pk:
                raise PermissionDenied from exc
            add_service_error(form, exc)
        else:
            messages.success(request, "Response recorded.")
            return redirect("regfd:request-detail", pk=pk)
    return render(request, "regfd/request_detail.html", _request_context(request, item, form), status=400)


# ---- Communications with Specified Persons (policy II.F) -----------------------------------------------


@capability_required("regfd.access")
def communication_list(request):
    q = request.GET.get("q", "").strip()
    status = _choice(request.GET.get("status", ""), Communication.Status.choices)
    kind = _choice(request.GET.get("kind", ""), Communication.Kind.choices)
    qs = sel.search_communications(sel.communications_visible_to(request.user), q=q, status=status, kind=kind)
    return render(
        request,
        "regfd/communication_list.html",
        {
            "page": page_of(request, qs),
            "q": q,
            "status": status,
            "kind": kind,
            "statuses": Communication.Status.choices,
            "kinds": Communication.Kind.choices,
            "can_schedule": can_any(request.user, MANAGE_OR_APPROVE),
        },
    )


@any_capability_required(*MANAGE_OR_APPROVE)
def communication_schedule(request):
    form = CommunicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "time_zone"}
        try:
            communication = services.schedule_communication(actor=request.user, now=timezone.now(), **data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            if communication.spokesperson_authorized:
                messages.success(request, "Communication scheduled.")
            else:
                messages.error(
                    request,
                    f"Scheduled, but the spokesperson is not authorized: {communication.authorization_note}",
                )
            return redirect("regfd:communication-detail", pk=communication.pk)
    return render(request, "regfd/communication_form.html", {"form": form})


def _communication_context(request, communication, **forms):
    can_act = can_any(request.user, MANAGE_OR_APPROVE)
    live_authorized, live_note = spokesperson_status(communication.spokesperson, communication.scheduled_at)
    context = {
        "communication": communication,
        "can_act": can_act,
        "live_authorized": live_authorized,
        "live_note": live_note,
        "incidents": list(communication.incidents.all())
        if has_capability(request.user, "regfd.view")
        else [],
        "held_form": None,
        "debrief_form": None,
        "cancel_form": None,
    }
    if can_act and communication.status == Communication.Status.SCHEDULED:
        context["held_form"] = forms.get("held_form") or CommunicationHeldForm()
        context["cancel_form"] = forms.get("cancel_form") or CancelForm()
    if can_act and communication.status == Communication.Status.HELD:
        context["debrief_form"] = forms.get("debrief_form") or DebriefForm(
            initial={"time_zone": "America/New_York"}
        )
    return context


@capability_required("regfd.access")
def communication_detail(request, pk):
    communication = get_object_or_404(sel.communications_visible_to(request.user), pk=pk)
    return render(request, "regfd/communication_detail.html", _communication_context(request, communication))


@any_capability_required(*MANAGE_OR_APPROVE)
@require_POST
def communication_held(request, pk):
    communication = get_object_or_404(sel.communications_visible_to(request.user), pk=pk)
    form = CommunicationHeldForm(request.POST)
    if form.is_valid():
        try:
            services.record_communication_held(
                actor=request.user, communication=communication, now=timezone.now(), **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Record of the communication saved. Debrief it next.")
            return redirect("regfd:communication-detail", pk=pk)
    context = _communication_context(request, communication, held_form=form)
    return render(request, "regfd/communication_detail.html", context, status=400)


@any_capability_required(*MANAGE_OR_APPROVE)
@require_POST
def communication_debrief(request, pk):
    communication = get_object_or_404(sel.communications_visible_to(request.user), pk=pk)
    form = DebriefForm(request.POST)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "time_zone"}
        try:
            communication, incident = services.debrief_communication(
                actor=request.user, communication=communication, now=timezone.now(), **data
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            if incident is not None:
                messages.warning(
                    request,
                    f"Possible MNPI: incident {incident.reference} opened; its disclosure clock is running.",
                )
                return redirect("regfd:incident-detail", pk=incident.pk)
            messages.success(request, "Debrief recorded.")
            return redirect("regfd:communication-detail", pk=pk)
    context = _communication_context(request, communication, debrief_form=form)
    return render(request, "regfd/communication_detail.html", context, status=400)


@any_capability_required(*MANAGE_OR_APPROVE)
@require_POST
def communication_cancel(request, pk):
    communication = get_object_or_404(sel.communications_visible_to(request.user), pk=pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.cancel_communication(
                actor=request.user, communication=communication, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Communication cancelled.")
            return redirect("regfd:communication-detail", pk=pk)
    context = _communication_context(request, communication, cancel_form=form)
    return render(request, "regfd/communication_detail.html", context, status=400)


# ---- Earnings releases and calls (policy I.C, II.C–E) --------------------------------------------------


@capability_required("regfd.view")
def earnings_list(request):
    q = request.GET.get("q", "").strip()
    qs = sel.search_earnings(sel.earnings_visible_to(request.user), q=q)
    return render(
        request,
        "regfd/earnings_list.html",
        {"page": page_of(request, qs), "q": q, "can_edit": can_any(request.user, MANAGE_OR_APPROVE)},
    )


@any_capability_required(*MANAGE_OR_APPROVE)
def earnings_create(request):
    form = EarningsForm(request.POST or None, initial={"time_zone": "America/New_York"})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "time_zone"}
        try:
            event = services.create_earnings_event(actor=request.user, **data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"Checklist for {event.period_label} opened.")
            return redirect("regfd:earnings-detail", pk=event.pk)
    return render(request, "regfd/earnings_form.html", {"form": form, "event": None})


@any_capability_required(*MANAGE_OR_APPROVE)
def earnings_edit(request, pk):
    event = get_object_or_404(sel.earnings_visible_to(request.user), pk=pk)
    form = EarningsForm(request.POST or None, initial=EarningsForm.initial_for(event))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "time_zone"}
        try:
            services.update_earnings_event(actor=request.user, event=event, data=data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Checklist updated.")
            return redirect("regfd:earnings-detail", pk=pk)
    return render(request, "regfd/earnings_form.html", {"form": form, "event": event})


@capability_required("regfd.view")
def earnings_detail(request, pk):
    event = get_object_or_404(sel.earnings_visible_to(request.user), pk=pk)
    checklist = services.earnings_checklist(event, today=today_et())
    return render(
        request,
        "regfd/earnings_detail.html",
        {
            "event": event,
            "checklist": checklist,
            "all_green": all(item.ok is not False for item in checklist),
            "nyse_notice_missing": any(item.key == "nyse_notice" and item.ok is False for item in checklist),
            "reviews": list(event.reviews.select_related("signed_off_by").order_by("measure")),
            "can_edit": can_any(request.user, MANAGE_OR_APPROVE),
        },
    )


# ---- Regulation G reviews (policy I.F) -----------------------------------------------------------------


@capability_required("regfd.view")
def nongaap_list(request):
    q = request.GET.get("q", "").strip()
    state = _choice(request.GET.get("state", ""), [("pending", ""), ("signed_off", "")])
    qs = sel.search_nongaap_reviews(sel.nongaap_reviews_visible_to(request.user), q=q, state=state)
    return render(
        request,
        "regfd/nongaap_list.html",
        {
            "page": page_of(request, qs),
            "q": q,
            "state": state,
            "can_edit": can_any(request.user, MANAGE_OR_APPROVE),
        },
    )


@any_capability_required(*MANAGE_OR_APPROVE)
def nongaap_create(request):
    form = NonGaapForm(request.POST or None, initial={"time_zone": "America/New_York"})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "time_zone"}
        try:
            review = services.create_nongaap_review(actor=request.user, **data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, "Review opened. Attach the reconciliation schedule, then ask the CFO to sign off."
            )
            return redirect("regfd:nongaap-detail", pk=review.pk)
    return render(request, "regfd/nongaap_form.html", {"form": form, "review": None})


@any_capability_required(*MANAGE_OR_APPROVE)
def nongaap_edit(request, pk):
    review = get_object_or_404(sel.nongaap_reviews_visible_to(request.user), pk=pk)
    if review.is_signed_off():
        messages.error(request, "This review is signed off and can no longer be changed.")
        return redirect("regfd:nongaap-detail", pk=pk)
    form = NonGaapForm(request.POST or None, initial=NonGaapForm.initial_for(review))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "time_zone"}
        try:
            services.update_nongaap_review(actor=request.user, review=review, data=data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Review updated.")
            return redirect("regfd:nongaap-detail", pk=pk)
    return render(request, "regfd/nongaap_form.html", {"form": form, "review": review})


def _nongaap_context(request, review, errors=None):
    return {
        "review": review,
        "can_edit": can_any(request.user, MANAGE_OR_APPROVE) and not review.is_signed_off(),
        "can_sign_off": is_authorized_officer(request.user) and not review.is_signed_off(),
        "errors": errors or [],
    }


@capability_required("regfd.view")
def nongaap_detail(request, pk):
    review = get_object_or_404(sel.nongaap_reviews_visible_to(request.user), pk=pk)
    return render(request, "regfd/nongaap_detail.html", _nongaap_context(request, review))


@capability_required("regfd.approve")
@require_POST
def nongaap_sign_off(request, pk):
    review = get_object_or_404(sel.nongaap_reviews_visible_to(request.user), pk=pk)
    try:
        services.sign_off_nongaap_review(actor=request.user, review=review, now=timezone.now())
    except ValidationError as exc:
        context = _nongaap_context(request, review, errors=exc.messages)
        return render(request, "regfd/nongaap_detail.html", context, status=400)
    messages.success(request, "Signed off.")
    return redirect("regfd:nongaap-detail", pk=pk)


# ---- The other records (policy I.D, I.E, II.H, II.I) ---------------------------------------------------

# Who may add each kind of record: rumors and corrections by the program's managers and the authorized
# officers; analyst-report reviews by the authorized officers themselves; questions by anyone.
RECORD_CAPABILITIES = {
    PolicyRecord.Kind.RUMOR: MANAGE_OR_APPROVE,
    PolicyRecord.Kind.CORRECTION: MANAGE_OR_APPROVE,
    PolicyRecord.Kind.ANALYST_REVIEW: ("regfd.approve",),
    PolicyRecord.Kind.QUESTION: ("regfd.report",),
}
RECORD_SERVICES = {
    PolicyRecord.Kind.RUMOR: services.log_market_rumor,
    PolicyRecord.Kind.CORRECTION: services.log_correction,
    PolicyRecord.Kind.ANALYST_REVIEW: services.log_analyst_review,
    PolicyRecord.Kind.QUESTION: services.ask_secretary_question,
}


@capability_required("regfd.access")
def policyrecord_list(request):
    q = request.GET.get("q", "").strip()
    kind = _choice(request.GET.get("kind", ""), PolicyRecord.Kind.choices)
    qs = sel.search_policy_records(sel.policy_records_visible_to(request.user), q=q, kind=kind)
    creatable = [
        (value, label)
        for value, label in PolicyRecord.Kind.choices
        if can_any(request.user, RECORD_CAPABILITIES[value])
    ]
    return render(
        request,
        "regfd/policyrecord_list.html",
        {
            "page": page_of(request, qs),
            "q": q,
            "kind": kind,
            "kinds": PolicyRecord.Kind.choices,
            "creatable": creatable,
        },
    )


def _policyrecord_create(request, kind):
    if not can_any(request.user, RECORD_CAPABILITIES[kind]):
        raise PermissionDenied
    form_class = RECORD_FORMS[kind]
    form = form_class(request.POST or None, initial={"time_zone": "America/New_York"})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "time_zone"}
        try:
            record = RECORD_SERVICES[kind](actor=request.user, now=timezone.now(), **data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"{record.get_kind_display()} recorded.")
            return redirect("regfd:policyrecord-detail", pk=record.pk)
    return render(
        request,
        "regfd/policyrecord_form.html",
        {"form": form, "kind": kind, "kind_label": PolicyRecord.Kind(kind).label},
    )


@capability_required("regfd.access")
def policyrecord_rumor(request):
    return _policyrecord_create(request, PolicyRecord.Kind.RUMOR)


@capability_required("regfd.access")
def policyrecord_correction(request):
    return _policyrecord_create(request, PolicyRecord.Kind.CORRECTION)


@capability_required("regfd.access")
def policyrecord_analyst_review(request):
    return _policyrecord_create(request, PolicyRecord.Kind.ANALYST_REVIEW)


@capability_required("regfd.access")
def policyrecord_question(request):
    return _policyrecord_create(request, PolicyRecord.Kind.QUESTION)


def _policyrecord_context(request, record, form=None):
    may_answer = (
        record.kind == PolicyRecord.Kind.QUESTION
        and record.answered_at is None
        and has_capability(request.user, "regfd.manage")
    )
    return {
        "record": record,
        "may_answer": may_answer,
        "form": form or (AnswerForm() if may_answer else None),
    }


@capability_required("regfd.access")
def policyrecord_detail(request, pk):
    record = get_object_or_404(sel.policy_records_visible_to(request.user), pk=pk)
    return render(request, "regfd/policyrecord_detail.html", _policyrecord_context(request, record))


@capability_required("regfd.manage")
@require_POST
def policyrecord_answer(request, pk):
    record = get_object_or_404(sel.policy_records_visible_to(request.user), pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_secretary_question(
                actor=request.user, record=record, answer=form.cleaned_data["answer"], now=timezone.now()
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Answer recorded.")
            return redirect("regfd:policyrecord-detail", pk=pk)
    return render(
        request, "regfd/policyrecord_detail.html", _policyrecord_context(request, record, form), status=400
    )


# ---- Distribution of the policy to all employees -------------------------------------------------------


@capability_required("regfd.access")
def distribution_home(request):
    policy = sel.current_regfd_policy(on=today_et())
    distributions = []
    acknowledgement = None
    distributed = False
    if policy is not None:
        distributions = list(
            sel.distributions()
            .annotate(acknowledged=Count("policy__acknowledgements", distinct=True))
            .order_by("-distributed_at")[:20]
        )
        distributed = sel.is_distributed(policy)
        acknowledgement = sel.acknowledgement_of(request.user, policy)
    return render(
        request,
        "regfd/distribution_home.html",
        {
            "policy": policy,
            "distributed": distributed,
            "acknowledgement": acknowledgement,
            "distributions": distributions,
            "can_distribute": has_capability(request.user, "regfd.manage"),
            "can_report": can_any(request.user, ACKNOWLEDGEMENT_REPORT),
        },
    )


def _current_policy_or_404():
    policy = sel.current_regfd_policy(on=today_et())
    if policy is None:
        raise Http404("No Reg FD policy version is in force.")
    return policy


@capability_required("regfd.manage")
@require_POST
def distribution_distribute(request):
    policy = _current_policy_or_404()
    try:
        distribution = policy_services.distribute_policy(
            actor=request.user, policy=policy, now=timezone.now()
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"{policy} distributed to {distribution.recipients} users.")
    return redirect("regfd:distribution-home")


@capability_required("regfd.access")
@require_POST
def distribution_acknowledge(request):
    policy = _current_policy_or_404()
    try:
        policy_services.acknowledge_policy(user=request.user, policy=policy, now=timezone.now())
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Thank you: your acknowledgement of {policy} is recorded.")
    return redirect("regfd:distribution-home")


@any_capability_required(*ACKNOWLEDGEMENT_REPORT)
def distribution_outstanding(request):
    policy = sel.current_regfd_policy(on=today_et())
    q = request.GET.get("q", "").strip()
    people = sel.users_not_acknowledged(policy) if policy is not None else None
    if people is not None and q:
        people = people.filter(
            Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
        )
    return render(
        request,
        "regfd/distribution_outstanding.html",
        {
            "policy": policy,
            "distributed": policy is not None and sel.is_distributed(policy),
            "page": page_of(request, people) if people is not None else None,
            "q": q,
        },
    )
