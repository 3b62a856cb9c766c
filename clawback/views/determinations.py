"""The determination workflow of a case: the panel on the case page, its transitions and forms, frozen
determinations, decisions and the Item 402(w) disclosure page. Thin views: parse, call one service,
redirect; a refused action re-renders the workflow with the reason (400)."""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from compliance_site.accounts.permissions import capability_required, has_capability

from ..forms.determinations import (
    ConfirmForm,
    DecisionForm,
    DesignateForm,
    EstimateForm,
    NoIndemnificationForm,
    ReopenForm,
)
from ..forms.recovery import ClaimPartyForm, ImpracticabilityForm, RecoveryEventForm
from ..models import Award, Decision, Determination, Recusal
from ..recovery import INCENTIVE_BASIS
from ..selectors import is_recused, restatement_detail, restatements_visible_to
from ..services import determinations as workflow
from ..services import disclosure as disclosure_service
from ..services.recovery import claim_position_of

S = workflow.S
PANEL = "clawback/determination_panel.html"
PAGE = "clawback/determination_workflow.html"


# --- The panel ---------------------------------------------------------------------------------------------


def _safe_next(request, case) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("clawback:case-workflow", args=[case.pk])


def _case_awards(case):
    return Award.objects.filter(executive__in=case.covered_executives.all()).select_related(
        "executive", "measure"
    )


def _claims(case):
    return case.claims.select_related("executive").prefetch_related("events", "impracticabilities__decision")


def _impracticability_decisions(case):
    return Decision.objects.filter(
        restatement=case,
        kind=Decision.Kind.IMPRACTICABILITY,
        adopted=True,
        impracticability__isnull=True,
        body__in=[Decision.Body.COMPENSATION_COMMITTEE, Decision.Body.INDEPENDENT_DIRECTORS],
    )


def _default_forms(case, *, recused_ids) -> dict:
    """The forms a manager may use in the case's status (the services enforce the same rules)."""
    awards = list(_case_awards(case))
    estimate_ids = [a.pk for a in awards if workflow.needs_estimate(a)]
    designate_ids = [
        a.pk for a in awards if a.basis == INCENTIVE_BASIS and a.measure_id and not workflow.needs_estimate(a)
    ]
    claims = _claims(case)
    forms = {}
    if case.status == S.DRAFT:
        forms["submit_form"] = ConfirmForm()
    if case.status in (S.DRAFT, S.REVIEW):
        forms["estimate_form"] = EstimateForm(awards=_case_awards(case).filter(pk__in=estimate_ids))
        forms["designate_form"] = DesignateForm(awards=_case_awards(case).filter(pk__in=designate_ids))
    if case.status == S.REVIEW:
        live = workflow.live_determination(case)
        forms["decision_form"] = DecisionForm(
            case=case,
            kinds=[Decision.Kind.APPROVE_DETERMINATION],
            recused_ids=recused_ids,
            initial={"determination": live.number if live else None},
        )
    if case.status in (S.APPROVED, S.RECOVERY):
        forms["decision_form"] = DecisionForm(
            case=case,
            kinds=[Decision.Kind.IMPRACTICABILITY],
            recused_ids=recused_ids,
            initial={"body": Decision.Body.COMPENSATION_COMMITTEE},
        )
        forms["party_form"] = ClaimPartyForm(claims=claims)
        forms["impracticability_form"] = ImpracticabilityForm(
            claims=claims, decisions=_impracticability_decisions(case)
        )
    if case.status in (S.REVIEW, S.APPROVED):
        forms["indemnification_form"] = NoIndemnificationForm()
    if case.status == S.APPROVED:
        forms["start_form"] = ConfirmForm()
    if case.status == S.RECOVERY:
        forms["event_form"] = RecoveryEventForm(claims=claims)
        forms["close_form"] = ConfirmForm()
    if case.status in (S.APPROVED, S.CLOSED):
        forms["reopen_form"] = ReopenForm()
    return forms


def workflow_context(request, case, *, now, check=None, bound=None) -> dict:
    user = request.user
    recused = is_recused(user, case)
    may_act = has_capability(user, "clawback.manage") and not recused
    recused_ids = set(Recusal.objects.filter(restatement=case).values_list("user_id", flat=True))
    if check is None:
        check = workflow.inputs_status(case)
    live = workflow.live_determination(case)
    approved = workflow.approved_determination(case)
    today = workflow.exchange_date(now)
    estimates = []
    for estimate in case.estimates.select_related("award__executive", "award__measure"):
        missing = [
            label
            for label, ok in (
                ("method", estimate.method.strip()),
                ("documents", estimate.documents.strip()),
                ("provided to the exchange", estimate.provided_to_exchange_on),
            )
            if not ok
        ]
        estimates.append({"estimate": estimate, "missing": missing})
    names = {x.key: x.name for x in case.covered_executives.all()}
    result_awards = [
        award | {"name": names.get(award["executive"], award["executive"])}
        for award in (live.result.get("awards", []) if live else [])
    ]
    claims = [
        {
            "claim": claim,
            "position": claim_position_of(claim, as_of=today),
            # Item 402(w)(1)(iii): a balance still outstanding on this day is disclosed for a NEO.
            "day_180": claim.determined_on + timedelta(days=180),
        }
        for claim in _claims(case)
    ]
    forms = _default_forms(case, recused_ids=recused_ids) if may_act else {}
    if may_act and bound:
        forms.update(bound)
    return {
        "restatement": case,
        "case": case,
        "check": check,
        "live": live,
        "approved": approved,
        "determinations": case.determinations.select_related("decision", "computed_by").order_by("-number"),
        "result_awards": result_awards,
        "pending_awards": [a for a in result_awards if a.get("status") == "reasonable_estimate_required"],
        "blockers": workflow.approval_blockers(case, live) if case.status == S.REVIEW else [],
        "estimates": estimates,
        "decisions": case.decisions.prefetch_related("members_present", "votes__member").select_related(
            "recorded_by"
        ),
        "claims": claims,
        "outstanding": sum((row["position"].outstanding for row in claims), Decimal("0.00")),
        "today": today,
        "recused": recused,
        "may_act": may_act,
        "actions": workflow.allowed_actions(case) if may_act else (),
        "checklist": workflow.NO_INDEMNIFICATION_CHECKLIST,
        "next": _safe_next(request, case),
        **forms,
    }


@capability_required("clawback.view")
@require_GET
def case_workflow(request, pk):
    """The workflow panel: loaded into the case page (htmx), or a page of its own without JavaScript."""
    case = restatement_detail(request.user, pk)
    now = timezone.now()
    check = workflow.check_inputs(actor=request.user, case=case, now=now)
    case.refresh_from_db()
    context = workflow_context(request, case, now=now, check=check)
    template = PANEL if request.headers.get("HX-Request") else PAGE
    return render(request, template, context)


def refuse(request, case, *, now, exc: ValidationError, bound: dict):
    """Show the workflow again with the service's reasons on the form that was sent (a real 400)."""
    for form in bound.values():
        _add_errors(form, exc)
    case.refresh_from_db()
    return render(request, PAGE, workflow_context(request, case, now=now, bound=bound), status=400)


def _add_errors(form, exc: ValidationError) -> None:
    # A service names its own fields; those the form does not have are shown above it.
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        for error in errors:
            for message in error.messages:
                if field in form.fields:
                    form.add_error(field, message)
                else:
                    form.add_error(None, message)


def done(request, case, message: str):
    messages.success(request, message)
    return redirect(_safe_next(request, case) + "#case-workflow")


def _manage(request, pk):
    return restatement_detail(request.user, pk), timezone.now()


# --- Transitions ------------------------------------------------------------------------------------------


@capability_required("clawback.manage")
@require_POST
def case_submit(request, pk):
    case, now = _manage(request, pk)
    try:
        determination = workflow.submit_for_review(actor=request.user, case=case, now=now)
    except ValidationError as exc:
        return refuse(request, case, now=now, exc=exc, bound={"submit_form": ConfirmForm(request.POST)})
    return done(request, case, f"Submitted for review: determination {determination.number} frozen.")


@capability_required("clawback.manage")
@require_POST
def case_record_estimate(request, pk):
    case, now = _manage(request, pk)
    form = EstimateForm(request.POST, awards=_case_awards(case))
    if form.is_valid():
        try:
            workflow.record_estimate(actor=request.user, case=case, now=now, **form.cleaned_data)
        except ValidationError as exc:
            return refuse(request, case, now=now, exc=exc, bound={"estimate_form": form})
        return done(request, case, f"Reasonable estimate recorded for {form.cleaned_data['award'].key}.")
    return refuse(
        request, case, now=now, exc=ValidationError("Check the estimate."), bound={"estimate_form": form}
    )


@capability_required("clawback.manage")
@require_POST
def case_designate(request, pk):
    case, now = _manage(request, pk)
    form = DesignateForm(request.POST, awards=_case_awards(case))
    if form.is_valid():
        try:
            workflow.designate_not_determinable(actor=request.user, case=case, now=now, **form.cleaned_data)
        except ValidationError as exc:
            return refuse(request, case, now=now, exc=exc, bound={"designate_form": form})
        return done(request, case, f"{form.cleaned_data['award'].key} now needs a reasonable estimate.")
    return refuse(
        request, case, now=now, exc=ValidationError("Check the designation."), bound={"designate_form": form}
    )


@capability_required("clawback.manage")
@require_POST
def case_record_decision(request, pk):
    case, now = _manage(request, pk)
    recused_ids = set(Recusal.objects.filter(restatement=case).values_list("user_id", flat=True))
    form = DecisionForm(request.POST, case=case, kinds=Decision.Kind.values, recused_ids=recused_ids)
    if form.is_valid():
        data = form.cleaned_data
        try:
            decision = workflow.record_decision(
                actor=request.user,
                case=case,
                kind=data["kind"],
                body=data["body"],
                held_on=data["held_on"],
                members_present=list(data["members_present"]),
                quorum=data["quorum"],
                resolution=data["resolution"],
                votes=form.votes(),
                determination_number=data.get("determination"),
                now=now,
            )
        except ValidationError as exc:
            return refuse(request, case, now=now, exc=exc, bound={"decision_form": form})
        outcome = "adopted" if decision.adopted else "not adopted"
        message = f"Decision recorded ({outcome})."
        if decision.adopted and decision.kind == Decision.Kind.APPROVE_DETERMINATION:
            message = "Decision adopted: the determination is approved and recovery claims are open."
        return done(request, case, message)
    return refuse(
        request, case, now=now, exc=ValidationError("Check the decision."), bound={"decision_form": form}
    )


@capability_required("clawback.manage")
@require_POST
def case_confirm_no_indemnification(request, pk):
    case, now = _manage(request, pk)
    form = NoIndemnificationForm(request.POST)
    if form.is_valid():
        try:
            workflow.confirm_no_indemnification(
                actor=request.user, case=case, now=now, confirmed=form.confirmed()
            )
        except ValidationError as exc:
            return refuse(request, case, now=now, exc=exc, bound={"indemnification_form": form})
        return done(request, case, "No-indemnification checklist confirmed.")
    return refuse(
        request,
        case,
        now=now,
        exc=ValidationError("Confirm every item of the checklist."),
        bound={"indemnification_form": form},
    )


@capability_required("clawback.manage")
@require_POST
def case_start_recovery(request, pk):
    case, now = _manage(request, pk)
    try:
        workflow.start_recovery(actor=request.user, case=case, now=now)
    except ValidationError as exc:
        return refuse(request, case, now=now, exc=exc, bound={"start_form": ConfirmForm(request.POST)})
    return done(request, case, "Recovery started.")


@capability_required("clawback.manage")
@require_POST
def case_close(request, pk):
    case, now = _manage(request, pk)
    try:
        workflow.close_case(actor=request.user, case=case, now=now)
    except ValidationError as exc:
        return refuse(request, case, now=now, exc=exc, bound={"close_form": ConfirmForm(request.POST)})
    return done(request, case, "Case closed: nothing is outstanding.")


@capability_required("clawback.manage")
@require_POST
def case_reopen(request, pk):
    case, now = _manage(request, pk)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            workflow.reopen_case(actor=request.user, case=case, reason=form.cleaned_data["reason"], now=now)
        except ValidationError as exc:
            return refuse(request, case, now=now, exc=exc, bound={"reopen_form": form})
        return done(request, case, "Case reopened: it is back under review and needs a new decision.")
    return refuse(
        request,
        case,
        now=now,
        exc=ValidationError("Say why the case is reopened."),
        bound={"reopen_form": form},
    )


# --- Reading ------------------------------------------------------------------------------------------------


@capability_required("clawback.view")
def determination_detail(request, pk):
    determination = get_object_or_404(
        Determination.objects.select_related("restatement", "decision", "computed_by").filter(
            restatement__in=restatements_visible_to(request.user)
        ),
        pk=pk,
    )
    return render(request, "clawback/determination_detail.html", {"determination": determination})


@capability_required("clawback.view")
def decision_detail(request, pk):
    decision = get_object_or_404(
        Decision.objects.select_related("restatement", "recorded_by")
        .prefetch_related("members_present", "votes__member")
        .filter(restatement__in=restatements_visible_to(request.user)),
        pk=pk,
    )
    recused_ids = set(
        Recusal.objects.filter(restatement=decision.restatement_id).values_list("user_id", flat=True)
    )
    return render(
        request, "clawback/decision_detail.html", {"decision": decision, "recused_ids": recused_ids}
    )


def _parse_date(value: str):
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@capability_required("clawback.view")
@require_GET
def disclosure_report(request):
    """Item 402(w) and the 10-K check boxes for one fiscal year: `?year=FY2026[&prepared_on=YYYY-MM-DD]`."""
    company = disclosure_service.default_company()
    years = disclosure_service.fiscal_years(company)
    label = request.GET.get("year", "").strip()
    context = {"years": years, "year": label, "report": None}
    if label:
        fiscal_period = years.filter(label=label).first()
        if fiscal_period is None:
            raise Http404("No such fiscal year.")
        prepared_on = _parse_date(request.GET.get("prepared_on", "")) or workflow.exchange_date(
            timezone.now()
        )
        context["report"] = disclosure_service.disclosure_for(
            user=request.user, fiscal_period=fiscal_period, prepared_on=prepared_on
        )
        context["prepared_on"] = prepared_on
    return render(request, "clawback/disclosure_report.html", context)
