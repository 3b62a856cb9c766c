"""Records pages: executives, measures, awards and restatements, their lists, details and forms, and
the recovery worksheet. Reading needs clawback.view, changing clawback.manage; every change is one
service call (clawback.services.records)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms.utils import ErrorList
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
    CreditForm,
    ExecutiveForm,
    GoalForm,
    GoalFormSet,
    MeasureForm,
    MeasureValueFormSet,
    OfficerPeriodFormSet,
    RestatementEventForm,
    RestatementForm,
    goals_from,
    measure_values_from,
    officer_periods_from,
)
from ..models import (
    Award,
    AwardComponent,
    AwardCredit,
    Measure,
    MeasureValue,
    OfficerPeriod,
    RestatedValue,
    Restatement,
    RestatementEvent,
)
from ..recovery import LISTING_STANDARD_EFFECTIVE, required_to_prepare
from ..recovery import RestatementEvent as EngineEvent
from ..selectors import (
    acknowledgement_report,
    award_detail,
    awards_visible_to,
    clawback_policies,
    determinations_invalidated_at,
    executive_detail,
    executive_list_rows,
    executives_visible_to,
    is_recused,
    measure_detail,
    measure_list_rows,
    measures_visible_to,
    policy_applies_to,
    proposed_covered_executives,
    restatement_for_change,
    restatement_full_detail,
    restatement_list_rows,
    restatement_worksheet,
    restatements_for_change,
    restatements_visible_to,
    search_awards,
    search_executives,
    search_measures,
    search_restatements,
    voided_rows,
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


def _report_rechecks(request, now) -> None:
    """Say which cases the change just sent back to review (their approval rested on the old record), or
    whose determination under review was recomputed."""
    for determination in determinations_invalidated_at(request.user, now):
        case = determination.restatement
        if determination.decision_id:
            messages.warning(
                request,
                f"The approval of “{case}” was withdrawn: this change alters its inputs. The case is back "
                "under committee review and needs a new decision.",
            )
        else:
            messages.info(request, f"The determination under review for “{case}” was recomputed.")


def _approvals_at_stake(request, record) -> list[Restatement]:
    """The signed-off cases (approved, in recovery, closed) whose inputs include `record`: saving a change to
    it withdraws their approval, which the form says before anyone saves."""
    if record is None:
        return []
    return list(
        services.cases_affected_by(record)
        .filter(
            status__in=[Restatement.Status.APPROVED, Restatement.Status.RECOVERY, Restatement.Status.CLOSED],
            pk__in=restatements_visible_to(request.user).values("pk"),
        )
        .order_by("title")
    )


def _add_errors(form, exc: ValidationError, *, also=(), grid=None, grid_field="") -> None:
    """A service's ValidationError on the form: known fields on themselves, a grid's on the grid, the rest at
    the top."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    for field, messages_ in errors.items():
        for message in messages_:
            if grid is not None and field == grid_field:
                grid._non_form_errors = ErrorList([*grid.non_form_errors(), message])
            elif field in form.fields:
                form.add_error(field, message)
            else:
                label = "" if field in ("__all__", *also) else f"{field.replace('_', ' ').capitalize()}: "
                form.add_error(None, f"{label}{message}")


# --- Restatements ---------------------------------------------------------------------------------


@capability_required("clawback.view")
def restatement_list(request):
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    # Explicit order: pagination needs a stable one whatever the annotations.
    qs = search_restatements(restatement_list_rows(request.user), q=q, status=status).order_by(
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
            "restated_values": restatement.restated_values.select_related("value__measure").order_by(
                "value__measure__name", "value__period_label"
            ),
            "voided_events": voided_rows(RestatementEvent.all_objects, restatement=restatement),
            "voided_restated": voided_rows(
                RestatedValue.all_objects, related=("value__measure", "restatement"), restatement=restatement
            ),
            "required_on": required,
            "recused": is_recused(request.user, restatement),
            "can_manage": has_capability(request.user, "clawback.manage"),
        },
    )


def _restatement_form(request, *, data=None, initial=None, signed_off=False, restatement=None):
    executives = executives_visible_to(request.user).order_by("name")
    company = restatement.company if restatement is not None else _company()
    proposed = proposed_covered_executives(
        company,
        executives,
        events=list(restatement.events.all()) if restatement is not None else (),
        today=_today(),
    )
    return RestatementForm(
        data, initial=initial, executives=executives, proposed=proposed, signed_off=signed_off
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
                    covered_executives=list(data["covered_executives"]),
                    policy_version=data["policy_version"],
                    administering_body=data["administering_body"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request, "Restatement recorded. Record its events and its restated values next."
                )
                return redirect("clawback:restatement-detail", pk=restatement.pk)
    else:
        policy = policy_in_force("clawback", on=today)
        # No executive is ticked for the user: the form marks those proposed and the user confirms each.
        form = _restatement_form(request, initial={"policy_version": policy.pk if policy else None})
    return render(request, "clawback/restatement_form.html", {"form": form, "restatement": None})


@capability_required("clawback.manage")
def restatement_edit(request, pk):
    restatement = restatement_for_change(request.user, pk)
    signed_off = restatement.is_signed_off()
    now = timezone.now()
    if request.method == "POST":
        form = _restatement_form(request, data=request.POST, signed_off=signed_off, restatement=restatement)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_restatement(
                    actor=request.user,
                    restatement=restatement,
                    title=data["title"],
                    kind=data["kind"],
                    description=data["description"],
                    covered_executives=list(data["covered_executives"]),
                    policy_version=data["policy_version"],
                    administering_body=data["administering_body"],
                    reason=data.get("reason", ""),
                    now=now,
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, "Restatement updated.")
                _report_rechecks(request, now)
                return redirect("clawback:restatement-detail", pk=pk)
    else:
        form = _restatement_form(
            request,
            initial=RestatementForm.initial_for(restatement),
            signed_off=signed_off,
            restatement=restatement,
        )
    return render(request, "clawback/restatement_form.html", {"form": form, "restatement": restatement})


@capability_required("clawback.manage")
def restatement_event_add(request, pk):
    restatement = restatement_for_change(request.user, pk)
    signed_off = restatement.is_signed_off()
    form = RestatementEventForm(request.POST or None, signed_off=signed_off)
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        try:
            services.add_restatement_event(
                actor=request.user, restatement=restatement, now=now, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Event recorded.")
            _report_rechecks(request, now)
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
    initial = {"kind": event.kind, "label": event.label, "date": event.date, "rationale": event.rationale}
    form = RestatementEventForm(request.POST or None, initial=initial, signed_off=signed_off)
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        try:
            services.update_restatement_event(actor=request.user, event=event, now=now, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "Event updated.")
            _report_rechecks(request, now)
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
        ack_form = AcknowledgementForm(executives=_unacknowledged(worksheet.acknowledgements))
    return render(
        request,
        "clawback/worksheet.html",
        {
            "restatement": restatement,
            "worksheet": worksheet,
            "can_manage": can_manage,
            "ack_form": ack_form,
            **_frozen_comparison(restatement, worksheet),
        },
    )


def _frozen_comparison(restatement, worksheet) -> dict:
    """Whether the live figures are those of the case's live determination (the one under review, or the
    approved one): the worksheet computes now, the determination froze its inputs with their SHA-256."""
    from ..scenario import scenario_to_json
    from ..services.determinations import live_determination, same_inputs

    live = live_determination(restatement)
    if live is None or worksheet.scenario is None:
        return {"live": live, "live_matches": None}
    return {
        "live": live,
        "live_matches": same_inputs(live.inputs, scenario_to_json(worksheet.scenario)),
    }


def _unacknowledged(statuses):
    """The executives of `statuses` with no acknowledgement yet (with or without a sign-in: a paper
    acknowledgement is recorded for the executive)."""
    from ..models import Executive

    ids = [s.executive.pk for s in statuses if s.acknowledgement is None]
    return Executive.objects.filter(pk__in=ids).order_by("name")


def _record_acknowledgement(request, form, *, policy) -> bool:
    try:
        services.record_policy_acknowledgement(
            actor=request.user,
            policy=policy,
            executive=form.cleaned_data["executive"],
            acknowledged_at=form.cleaned_data["acknowledged_at"],
            evidence=form.cleaned_data["evidence"],
            now=timezone.now(),
        )
    except ValidationError as exc:
        _add_errors(form, exc)
        return False
    messages.success(request, f"Acknowledgement of {policy} by {form.cleaned_data['executive']} recorded.")
    return True


@capability_required("clawback.manage")
@require_POST
def restatement_acknowledge(request, pk):
    """Record a covered executive's acknowledgement of the case's clawback policy version."""
    restatement = restatement_full_detail(request.user, pk)
    worksheet = restatement_worksheet(restatement, today=_today())
    if worksheet.policy is None:
        messages.error(request, "No clawback policy version is recorded for this case or in force.")
        return redirect("clawback:restatement-worksheet", pk=pk)
    form = AcknowledgementForm(request.POST, executives=_unacknowledged(worksheet.acknowledgements))
    if form.is_valid() and _record_acknowledgement(request, form, policy=worksheet.policy):
        return redirect("clawback:restatement-worksheet", pk=pk)
    return render(
        request,
        "clawback/worksheet.html",
        {"restatement": restatement, "worksheet": worksheet, "can_manage": True, "ack_form": form},
        status=400,
    )


@capability_required("clawback.view")
def acknowledgement_list(request):
    """Policy acknowledgements: for one clawback policy version (`?policy=`, the version in force by
    default), every executive officer, whether they must acknowledge it and whether they have, missing ones
    first (policy "Other Recovery Rights"). A manager records an acknowledgement here (POST)."""
    policies = clawback_policies()
    chosen = request.POST.get("policy") or request.GET.get("policy") or ""
    if chosen:
        policy = policies.filter(pk=chosen).first() if chosen.isdigit() else None
        if policy is None:
            raise Http404("No such clawback policy version.")
    else:
        policy = policy_in_force("clawback", on=_today()) or policies.first()
    only_missing = request.GET.get("missing") == "1"
    can_manage = has_capability(request.user, "clawback.manage")
    statuses = acknowledgement_report(request.user, policy) if policy is not None else []
    form, status = None, 200
    if can_manage and policy is not None:
        executives = _unacknowledged(statuses)
        if request.method == "POST":
            form = AcknowledgementForm(request.POST, executives=executives)
            if form.is_valid() and _record_acknowledgement(request, form, policy=policy):
                return redirect(f"{request.path}?policy={policy.pk}")
            status = 400
        else:
            form = AcknowledgementForm(
                executives=executives, initial={"executive": request.GET.get("executive")}
            )
    elif request.method == "POST":
        raise PermissionDenied
    missing = [s for s in statuses if s.missing]
    return render(
        request,
        "clawback/acknowledgement_list.html",
        {
            "policy": policy,
            "policies": policies,
            "statuses": missing if only_missing else statuses,
            "only_missing": only_missing,
            "required": sum(1 for s in statuses if s.required),
            "missing": len(missing),
            "form": form,
        },
        status=status,
    )


# --- Executives -----------------------------------------------------------------------------------


@capability_required("clawback.view")
def executive_list(request):
    q = request.GET.get("q", "").strip()
    show_voided = request.GET.get("show_voided") == "1"
    qs = search_executives(executive_list_rows(request.user, include_voided=show_voided), q=q)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "clawback/executive_list.html", {"page": page, "q": q, "show_voided": show_voided})


@capability_required("clawback.view")
def executive_detail_view(request, pk):
    executive = executive_detail(request.user, pk, include_voided=True)
    awards = awards_visible_to(request.user).filter(executive=executive)
    return render(
        request,
        "clawback/executive_detail.html",
        {
            "executive": executive,
            "awards": awards,
            "voided_periods": voided_rows(
                OfficerPeriod.all_objects, related=("executive",), executive=executive
            ),
            "can_manage": has_capability(request.user, "clawback.manage") and not executive.is_voided,
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
                {"id": p.pk, "start": p.start, "end": p.end, "title": p.title}
                for p in executive.officer_periods.all()
            ],
        )
    return company, form, periods


def _save_executive(request, *, executive=None):
    company, form, periods = _executive_form(request, executive=executive)
    # Both validated, so every error of the page shows at once.
    if request.method == "POST" and all([form.is_valid(), periods.is_valid()]):
        data = dict(form.cleaned_data, officer_periods=officer_periods_from(periods))
        now = timezone.now()
        try:
            if executive is None:
                executive = services.create_executive(actor=request.user, company=company, **data)
            else:
                executive = services.update_executive(
                    actor=request.user, executive=executive, now=now, **data
                )
        except ValidationError as exc:
            _add_errors(form, exc, grid=periods, grid_field="officer_periods")
        else:
            messages.success(request, f"{executive.name} saved.")
            _report_rechecks(request, now)
            return redirect("clawback:executive-detail", pk=executive.pk)
    return render(
        request,
        "clawback/executive_form.html",
        {
            "form": form,
            "periods": periods,
            "executive": executive,
            "at_stake": _approvals_at_stake(request, executive),
        },
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
    show_voided = request.GET.get("show_voided") == "1"
    qs = search_measures(measure_list_rows(request.user, include_voided=show_voided), q=q, category=category)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "clawback/measure_list.html",
        {
            "page": page,
            "q": q,
            "category": category,
            "categories": Measure.Category.choices,
            "show_voided": show_voided,
        },
    )


@capability_required("clawback.view")
def measure_detail_view(request, pk):
    measure = measure_detail(request.user, pk, include_voided=True)
    awards = awards_visible_to(request.user).filter(measure=measure)
    return render(
        request,
        "clawback/measure_detail.html",
        {
            "measure": measure,
            "awards": awards,
            "voided_values": voided_rows(MeasureValue.all_objects, related=("measure",), measure=measure),
            "can_manage": has_capability(request.user, "clawback.manage") and not measure.is_voided,
        },
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
                {"id": v.pk, "period_label": v.period_label, "original": v.original, "source": v.source}
                for v in measure.values.all()
            ],
        )
    # Both validated, so every error of the page shows at once.
    if request.method == "POST" and all([form.is_valid(), values.is_valid()]):
        kwargs = dict(form.cleaned_data, values=measure_values_from(values))
        now = timezone.now()
        try:
            if measure is None:
                measure = services.create_measure(actor=request.user, company=company, **kwargs)
            else:
                measure = services.update_measure(actor=request.user, measure=measure, now=now, **kwargs)
        except ValidationError as exc:
            _add_errors(form, exc, grid=values, grid_field="values")
        else:
            messages.success(request, f"{measure.name} saved.")
            _report_rechecks(request, now)
            return redirect("clawback:measure-detail", pk=measure.pk)
    return render(
        request,
        "clawback/measure_form.html",
        {
            "form": form,
            "values": values,
            "measure": measure,
            "at_stake": _approvals_at_stake(request, measure),
        },
    )


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
    show_voided = request.GET.get("show_voided") == "1"
    qs = search_awards(
        awards_visible_to(request.user, include_voided=show_voided), q=q, award_type=award_type, basis=basis
    )
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
            "show_voided": show_voided,
        },
    )


@capability_required("clawback.view")
def award_detail_view(request, pk):
    award = award_detail(request.user, pk, include_voided=True)
    policy = policy_in_force("clawback", on=_today())
    can_manage = has_capability(request.user, "clawback.manage") and not award.is_voided
    return render(
        request,
        "clawback/award_detail.html",
        {
            "award": award,
            "can_manage": can_manage,
            "voided_goals": voided_rows(
                AwardComponent.all_objects, related=("award", "measure"), award=award
            ),
            "voided_credits": voided_rows(AwardCredit.all_objects, related=("award",), award=award),
            "credit_form": CreditForm(cases=restatements_for_change(request.user)) if can_manage else None,
            "policy": policy,
            "policy_applies": policy_applies_to(award, policy),
            "listing_effective": LISTING_STANDARD_EFFECTIVE,
        },
    )


def _save_award(request, *, award=None):
    data = request.POST if request.method == "POST" else None
    initial = (
        AwardForm.initial_for(award) if award is not None else {"executive": request.GET.get("executive")}
    )
    measures = measures_visible_to(request.user).order_by("name")
    form = AwardForm(
        data,
        initial=initial,
        executives=executives_visible_to(request.user).order_by("name"),
        measures=measures,
    )
    # The goals grid counts only for a scorecard award; any other award ignores it (and may omit it).
    scorecard = data is not None and data.get("formula_kind") == AwardForm.FORMULA_SCORECARD
    goals = GoalFormSet(
        data if scorecard else None,
        prefix="goals",
        measures=measures,
        initial=[GoalForm.initial_for(c) for c in award.components.all()] if award is not None else [],
    )
    # Both validated, so every error of the page shows at once.
    if request.method == "POST" and all([form.is_valid(), not scorecard or goals.is_valid()]):
        kwargs = form.service_kwargs()
        components = goals_from(goals) if form.cleaned_data["scorecard_target"] is not None else []
        now = timezone.now()
        try:
            if award is None:
                award = services.create_award(
                    actor=request.user,
                    executive=form.cleaned_data["executive"],
                    components=components,
                    now=now,
                    **kwargs,
                )
            else:
                award = services.update_award(
                    actor=request.user,
                    award=award,
                    executive=form.cleaned_data["executive"],
                    components=components,
                    now=now,
                    **kwargs,
                )
        except ValidationError as exc:
            form.add_service_errors(
                exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            )
        else:
            messages.success(request, f"Award {award.key} saved.")
            _report_rechecks(request, now)
            return redirect("clawback:award-detail", pk=award.pk)
    return render(
        request,
        "clawback/award_form.html",
        {"form": form, "goals": goals, "award": award, "at_stake": _approvals_at_stake(request, award)},
    )


@capability_required("clawback.manage")
def award_create(request):
    _company()
    return _save_award(request)


@capability_required("clawback.manage")
def award_edit(request, pk):
    return _save_award(request, award=award_detail(request.user, pk))
