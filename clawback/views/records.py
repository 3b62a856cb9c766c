"""Records pages: executives, measures, awards and restatements, their lists, details and forms, and
the recovery worksheet. Reading needs clawback.view, changing clawback.manage; every change is one
service call (clawback.services.records)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from compliance_site.accounts.permissions import capability_required, has_capability
from compliance_site.company.selectors import current_company, policy_in_force
from compliance_site.lib.timefmt import EXCHANGE_TZ, in_zone

from ..forms.records import (
    AcknowledgementForm,
    AwardForm,
    ExecutiveForm,
    MeasureForm,
    MeasureValueFormSet,
    OfficerPeriodFormSet,
    RestatementEventForm,
    RestatementForm,
    measure_values_from,
    officer_periods_from,
)
from ..models import Award, Measure, Restatement
from ..recovery import RestatementEvent as EngineEvent
from ..recovery import required_to_prepare
from ..selectors import (
    award_detail,
    awards_visible_to,
    executive_detail,
    executive_list_rows,
    executives_visible_to,
    is_recused,
    measure_detail,
    measure_list_rows,
    measures_visible_to,
    restatement_for_change,
    restatement_full_detail,
    restatement_worksheet,
    restatements_visible_to,
    search_awards,
    search_executives,
    search_measures,
    search_restatements,
)
from ..services import records as services


def _today():
    # The exchange's calendar day: "the policy in force today" is a New York date.
    return in_zone(timezone.now(), EXCHANGE_TZ).date()


def _company():
    company = current_company()
    if company is None:
        raise Http404("No company profile yet: an administrator creates it first.")
    return company


def _add_errors(form, exc: ValidationError, *, also=()) -> None:
    """A service's ValidationError on the form: known fields on themselves, the rest at the top."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    for field, messages_ in errors.items():
        for message in messages_:
            if field in form.fields:
                form.add_error(field, message)
            else:
                label = "" if field in ("__all__", *also) else f"{field.replace('_', ' ').capitalize()}: "
                form.add_error(None, f"{label}{message}")


# --- Restatements ---------------------------------------------------------------------------------


@capability_required("clawback.view")
def restatement_list(request):
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    # Explicit order: the event-count annotation groups rows, and a grouped query ignores Meta.ordering.
    qs = search_restatements(restatements_visible_to(request.user), q=q, status=status).order_by(
        "-created_at", "-id"
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "clawback/restatement_list.html",
        {"page": page, "q": q, "status": status, "statuses": Restatement.Status.choices},
    )


@capability_required("clawback.view")
def restatement_detail_view(request, pk):
    restatement = restatement_full_detail(request.user, pk)
    events = list(restatement.events.all())
    required = required_to_prepare(EngineEvent(kind=e.kind, date=e.date) for e in events)
    return render(
        request,
        "clawback/restatement_detail.html",
        {
            "restatement": restatement,
            "events": events,
            "required_on": required,
            "recused": is_recused(request.user, restatement),
            "can_manage": has_capability(request.user, "clawback.manage"),
        },
    )


def _restatement_form(request, *, data=None, initial=None, signed_off=False):
    return RestatementForm(
        data,
        initial=initial,
        executives=executives_visible_to(request.user).order_by("name"),
        measures=measures_visible_to(request.user).order_by("name"),
        signed_off=signed_off,
    )


@capability_required("clawback.manage")
def restatement_create(request):
    company = _company()
    today = _today()
    if request.method == "POST":
        form = _restatement_form(request, data=request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                restatement = services.record_restatement(
                    actor=request.user,
                    company=company,
                    today=today,
                    title=data["title"],
                    kind=data["kind"],
                    description=data["description"],
                    periods_restated=data["periods_restated"],
                    measures_restated=list(data["measures_restated"]),
                    covered_executives=list(data["covered_executives"]),
                    policy_version=data["policy_version"],
                    administering_body=data["administering_body"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, "Restatement recorded. Record its events next.")
                return redirect("clawback:restatement-detail", pk=restatement.pk)
    else:
        policy = policy_in_force("clawback", on=today)
        form = _restatement_form(
            request,
            initial={
                "policy_version": policy.pk if policy else None,
                "covered_executives": list(executives_visible_to(request.user)),
            },
        )
    return render(request, "clawback/restatement_form.html", {"form": form, "restatement": None})


@capability_required("clawback.manage")
def restatement_edit(request, pk):
    restatement = restatement_for_change(request.user, pk)
    signed_off = restatement.is_signed_off()
    if request.method == "POST":
        form = _restatement_form(request, data=request.POST, signed_off=signed_off)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_restatement(
                    actor=request.user,
                    restatement=restatement,
                    title=data["title"],
                    kind=data["kind"],
                    description=data["description"],
                    periods_restated=data["periods_restated"],
                    measures_restated=list(data["measures_restated"]),
                    covered_executives=list(data["covered_executives"]),
                    policy_version=data["policy_version"],
                    administering_body=data["administering_body"],
                    reason=data.get("reason", ""),
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, "Restatement updated.")
                return redirect("clawback:restatement-detail", pk=pk)
    else:
        form = _restatement_form(
            request, initial=RestatementForm.initial_for(restatement), signed_off=signed_off
        )
    return render(request, "clawback/restatement_form.html", {"form": form, "restatement": restatement})


@capability_required("clawback.manage")
def restatement_event_add(request, pk):
    restatement = restatement_for_change(request.user, pk)
    signed_off = restatement.is_signed_off()
    form = RestatementEventForm(request.POST or None, signed_off=signed_off)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_restatement_event(actor=request.user, restatement=restatement, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Event recorded.")
            return redirect("clawback:restatement-detail", pk=pk)
    return render(
        request,
        "clawback/restatement_event_form.html",
        {"form": form, "restatement": restatement, "event": None},
    )


@capability_required("clawback.manage")
def restatement_event_edit(request, pk, event_pk):
    restatement = restatement_for_change(request.user, pk)
    event = get_object_or_404(restatement.events.all(), pk=event_pk)
    signed_off = restatement.is_signed_off()
    initial = {"kind": event.kind, "date": event.date, "rationale": event.rationale}
    form = RestatementEventForm(request.POST or None, initial=initial, signed_off=signed_off)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_restatement_event(actor=request.user, event=event, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Event updated.")
            return redirect("clawback:restatement-detail", pk=pk)
    return render(
        request,
        "clawback/restatement_event_form.html",
        {"form": form, "restatement": restatement, "event": event},
    )


@capability_required("clawback.view")
def restatement_worksheet_view(request, pk):
    restatement = restatement_full_detail(request.user, pk)
    worksheet = restatement_worksheet(restatement, today=_today())
    can_manage = has_capability(request.user, "clawback.manage")
    ack_form = None
    if can_manage and worksheet.policy is not None:
        ack_form = AcknowledgementForm(executives=_unacknowledged(worksheet))
    return render(
        request,
        "clawback/worksheet.html",
        {"restatement": restatement, "worksheet": worksheet, "can_manage": can_manage, "ack_form": ack_form},
    )


def _unacknowledged(worksheet):
    from ..models import Executive

    ids = [
        a.executive.pk
        for a in worksheet.acknowledgements
        if a.acknowledged_at is None and a.executive.user_id
    ]
    return Executive.objects.filter(pk__in=ids).order_by("name")


@capability_required("clawback.manage")
@require_POST
def restatement_acknowledge(request, pk):
    """Record a covered executive's acknowledgement of the clawback policy version in force."""
    restatement = restatement_full_detail(request.user, pk)
    worksheet = restatement_worksheet(restatement, today=_today())
    if worksheet.policy is None:
        messages.error(request, "No clawback policy version is recorded for this case or in force.")
        return redirect("clawback:restatement-worksheet", pk=pk)
    form = AcknowledgementForm(request.POST, executives=_unacknowledged(worksheet))
    if form.is_valid():
        try:
            services.record_policy_acknowledgement(
                actor=request.user,
                policy=worksheet.policy,
                executive=form.cleaned_data["executive"],
                acknowledged_at=form.cleaned_data["acknowledged_at"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Acknowledgement recorded.")
            return redirect("clawback:restatement-worksheet", pk=pk)
    return render(
        request,
        "clawback/worksheet.html",
        {"restatement": restatement, "worksheet": worksheet, "can_manage": True, "ack_form": form},
        status=400,
    )


# --- Executives -----------------------------------------------------------------------------------


@capability_required("clawback.view")
def executive_list(request):
    q = request.GET.get("q", "").strip()
    qs = search_executives(executive_list_rows(request.user), q=q)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "clawback/executive_list.html", {"page": page, "q": q})


@capability_required("clawback.view")
def executive_detail_view(request, pk):
    executive = executive_detail(request.user, pk)
    awards = awards_visible_to(request.user).filter(executive=executive)
    return render(
        request,
        "clawback/executive_detail.html",
        {
            "executive": executive,
            "awards": awards,
            "can_manage": has_capability(request.user, "clawback.manage"),
        },
    )


def _executive_form(request, *, executive=None):
    company = executive.company if executive else _company()
    data = request.POST if request.method == "POST" else None
    if executive is None:
        form = ExecutiveForm(data, company=company)
        periods = OfficerPeriodFormSet(data, prefix="periods")
    else:
        form = ExecutiveForm(data, company=company, initial=ExecutiveForm.initial_for(executive))
        periods = OfficerPeriodFormSet(
            data,
            prefix="periods",
            initial=[
                {"start": p.start, "end": p.end, "title": p.title} for p in executive.officer_periods.all()
            ],
        )
    return company, form, periods


def _save_executive(request, *, executive=None):
    company, form, periods = _executive_form(request, executive=executive)
    if request.method == "POST" and form.is_valid() and periods.is_valid():
        data = dict(form.cleaned_data, officer_periods=officer_periods_from(periods))
        try:
            if executive is None:
                executive = services.create_executive(actor=request.user, company=company, **data)
            else:
                executive = services.update_executive(actor=request.user, executive=executive, **data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"{executive.name} saved.")
            return redirect("clawback:executive-detail", pk=executive.pk)
    return render(
        request, "clawback/executive_form.html", {"form": form, "periods": periods, "executive": executive}
    )


@capability_required("clawback.manage")
def executive_create(request):
    return _save_executive(request)


@capability_required("clawback.manage")
def executive_edit(request, pk):
    return _save_executive(request, executive=executive_detail(request.user, pk))


# --- Measures -------------------------------------------------------------------------------------


@capability_required("clawback.view")
def measure_list(request):
    q = request.GET.get("q", "").strip()
    category = request.GET.get("category", "")
    qs = search_measures(measure_list_rows(request.user), q=q, category=category)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "clawback/measure_list.html",
        {"page": page, "q": q, "category": category, "categories": Measure.Category.choices},
    )


@capability_required("clawback.view")
def measure_detail_view(request, pk):
    measure = measure_detail(request.user, pk)
    awards = awards_visible_to(request.user).filter(measure=measure)
    return render(
        request,
        "clawback/measure_detail.html",
        {"measure": measure, "awards": awards, "can_manage": has_capability(request.user, "clawback.manage")},
    )


def _save_measure(request, *, measure=None):
    data = request.POST if request.method == "POST" else None
    if measure is None:
        company = _company()
        form = MeasureForm(data)
        values = MeasureValueFormSet(data, prefix="values")
    else:
        company = measure.company
        form = MeasureForm(
            data, initial={"key": measure.key, "name": measure.name, "category": measure.category}
        )
        values = MeasureValueFormSet(
            data,
            prefix="values",
            initial=[
                {
                    "period_label": v.period_label,
                    "original": v.original,
                    "restated": v.restated,
                    "source": v.source,
                }
                for v in measure.values.all()
            ],
        )
    if request.method == "POST" and form.is_valid() and values.is_valid():
        kwargs = dict(form.cleaned_data, values=measure_values_from(values))
        try:
            if measure is None:
                measure = services.create_measure(actor=request.user, company=company, **kwargs)
            else:
                measure = services.update_measure(actor=request.user, measure=measure, **kwargs)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"{measure.name} saved.")
            return redirect("clawback:measure-detail", pk=measure.pk)
    return render(request, "clawback/measure_form.html", {"form": form, "values": values, "measure": measure})


@capability_required("clawback.manage")
def measure_create(request):
    return _save_measure(request)


@capability_required("clawback.manage")
def measure_edit(request, pk):
    return _save_measure(request, measure=measure_detail(request.user, pk))


# --- Awards ---------------------------------------------------------------------------------------


@capability_required("clawback.view")
def award_list(request):
    q = request.GET.get("q", "").strip()
    award_type = request.GET.get("type", "")
    basis = request.GET.get("basis", "")
    qs = search_awards(awards_visible_to(request.user), q=q, award_type=award_type, basis=basis)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "clawback/award_list.html",
        {
            "page": page,
            "q": q,
            "type": award_type,
            "basis": basis,
            "types": Award.Type.choices,
            "bases": Award.Basis.choices,
        },
    )


@capability_required("clawback.view")
def award_detail_view(request, pk):
    award = award_detail(request.user, pk)
    return render(
        request,
        "clawback/award_detail.html",
        {"award": award, "can_manage": has_capability(request.user, "clawback.manage")},
    )


def _save_award(request, *, award=None):
    data = request.POST if request.method == "POST" else None
    initial = (
        AwardForm.initial_for(award) if award is not None else {"executive": request.GET.get("executive")}
    )
    form = AwardForm(
        data,
        initial=initial,
        executives=executives_visible_to(request.user).order_by("name"),
        measures=measures_visible_to(request.user).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        try:
            if award is None:
                award = services.create_award(
                    actor=request.user, executive=form.cleaned_data["executive"], **kwargs
                )
            else:
                award = services.update_award(
                    actor=request.user, award=award, executive=form.cleaned_data["executive"], **kwargs
                )
        except ValidationError as exc:
            form.add_service_errors(
                exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            )
        else:
            messages.success(request, f"Award {award.key} saved.")
            return redirect("clawback:award-detail", pk=award.pk)
    return render(request, "clawback/award_form.html", {"form": form, "award": award})


@capability_required("clawback.manage")
def award_create(request):
    _company()
    return _save_award(request)


@capability_required("clawback.manage")
def award_edit(request, pk):
    return _save_award(request, award=award_detail(request.user, pk))
