"""The determination workflow of a case: the panel on the case page, its transitions and forms, frozen
determinations, decisions and the Item 402(w) disclosure page. Thin views: parse, call one service,
redirect; a refused action re-renders the workflow with the reason (400).

A step that freezes, approves, records money or closes asks first (`confirm_step`, compliance_site.confirm):
without confirmed=1 its valid form gets a page saying what will happen, and nothing is run."""

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from compliance_site.accounts.mfa import fresh_second_factor_required
from compliance_site.accounts.permissions import capability_required, has_capability
from compliance_site.confirm import confirmation_page, needs_confirmation, quoted
from compliance_site.lib.numbers import usd

from ..forms.determinations import (
    ConfirmForm,
    DecisionForm,
    DesignateForm,
    EstimateForm,
    NoIndemnificationForm,
    ReopenForm,
)
from ..forms.recovery import ClaimPartyForm, ImpracticabilityForm, RecoveryEventForm
from ..forms.votes import OpenVoteForm
from ..models import Award, Decision, DecisionSignature, Determination, Executive, Vote
from ..recovery import INCENTIVE_BASIS, required_to_prepare
from ..recovery import RestatementEvent as EngineEvent
from ..selectors import is_recused, restatement_detail, restatements_visible_to
from ..services import determinations as workflow
from ..services import disclosure as disclosure_service
from ..services.bodies import barred_from
from ..services.recovery import claim_position_of
from ..services.voting import next_signature
from ..steps import CaseFacts, case_steps, next_step

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


def _default_forms(case, *, barred) -> dict:
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
        forms["vote_form"] = OpenVoteForm(case=case, kinds=[Decision.Kind.APPROVE_DETERMINATION])
        forms["decision_form"] = DecisionForm(
            case=case,
            kinds=[Decision.Kind.APPROVE_DETERMINATION],
            barred=barred,
            initial={"determination": live.number if live else None},
        )
    if case.status in (S.APPROVED, S.RECOVERY):
        forms["vote_form"] = OpenVoteForm(case=case, kinds=[Decision.Kind.IMPRACTICABILITY])
        forms["decision_form"] = DecisionForm(
            case=case,
            kinds=[Decision.Kind.IMPRACTICABILITY],
            barred=barred,
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
    forms = _default_forms(case, barred=barred_from(case)) if may_act else {}
    if may_act and bound:
        forms.update(bound)
    pending_awards = [a for a in result_awards if a.get("status") == "reasonable_estimate_required"]
    outstanding = sum((row["position"].outstanding for row in claims), Decimal("0.00"))
    guide = _guide(
        case, live=live, approved=approved, pending=pending_awards, outstanding=outstanding, forms=forms
    )
    return {
        **guide,
        "restatement": case,
        "case": case,
        "check": check,
        "live": live,
        "approved": approved,
        "determinations": case.determinations.select_related("decision", "computed_by").order_by("-number"),
        "result_awards": result_awards,
        "pending_awards": pending_awards,
        "blockers": workflow.approval_blockers(case, live) if case.status == S.REVIEW else [],
        "estimates": estimates,
        "decisions": case.decisions.prefetch_related("members_present", "votes__member").select_related(
            "recorded_by"
        ),
        "claims": claims,
        "outstanding": outstanding,
        "today": today,
        "recused": recused,
        "may_act": may_act,
        "checklist": workflow.NO_INDEMNIFICATION_CHECKLIST,
        "next": _safe_next(request, case),
        **forms,
    }


# --- The guide: where the case stands, its next step first ---------------------------------------------

# The panel's sections after the determination, in the order the steps reach them: (key, title, template).
SECTIONS = (
    ("estimates", "Reasonable estimates", "clawback/workflow/estimates.html"),
    ("decisions", "Decisions", "clawback/workflow/decisions.html"),
    ("indemnification", "No indemnification", "clawback/workflow/indemnification.html"),
    ("recovery", "Recovery", "clawback/recovery_claims.html"),
    ("reopen", "Reopen", "clawback/workflow/reopen.html"),
)
# The status changes, each a one-button form shown in the bar above the determination (unless it is next).
TRANSITIONS = (
    ("submit", "submit_form", "clawback/workflow/submit.html"),
    ("start", "start_form", "clawback/workflow/start.html"),
    ("close", "close_form", "clawback/workflow/close.html"),
)
# Which panel part holds the form of each step (the case's own records are kept on the case page).
STEP_PART = {
    "restatement": "case_inputs",
    "figures": "case_inputs",
    "executives": "case_inputs",
    "estimates": "estimates",
    "review": "submit",
    "decision": "decisions",
    "signatures": "signatures",
    "indemnification": "indemnification",
    "start": "start",
    "recover": "recovery",
    "close": "close",
}
PART_TEMPLATE = {
    "case_inputs": "clawback/workflow/case_inputs.html",
    "signatures": "clawback/workflow/signatures.html",
    **{key: template for key, _, template in SECTIONS},
    **{key: template for key, _, template in TRANSITIONS},
}


def _estimates_pending(case, live, pending) -> int:
    if live is not None:
        return len(pending)
    # Before the first determination: the awards that need an estimate and have none recorded.
    estimated = {e.award_id for e in case.estimates.all()}
    awards = _case_awards(case).prefetch_related("components__measure")
    return sum(1 for a in awards if workflow.needs_estimate(a) and a.pk not in estimated)


def _guide(case, *, live, approved, pending, outstanding, forms) -> dict:
    waiting = next_signature(approved.decision) if approved is not None and approved.decision else None
    facts = CaseFacts(
        status=case.status,
        required_on_known=required_to_prepare(
            EngineEvent(kind=e.kind, date=e.date) for e in case.events.all()
        )
        is not None,
        restated_values=case.restated_values.count(),
        covered_executives=case.covered_executives.count(),
        estimates_pending=_estimates_pending(case, live, pending),
        vote_open=case.decisions.filter(status=Decision.Status.OPEN).exists(),
        signature_waiting=DecisionSignature.Capacity(waiting).label if waiting else "",
        no_indemnification=case.no_indemnification_confirmed_at is not None,
        outstanding=outstanding,
    )
    steps = case_steps(facts)
    step = next_step(steps)
    part = STEP_PART[step.key] if step else None
    sections = [
        {"key": key, "title": title, "template": template}
        for key, title, template in SECTIONS
        if key != "reopen" or "reopen_form" in forms
    ]
    return {
        "steps": steps,
        "next_step": step,
        "next_template": PART_TEMPLATE.get(part),
        "current_section": part,
        "sections": sections,
        "other_transitions": [t for key, form, t in TRANSITIONS if form in forms and key != part],
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


def run_step(request, case, *, now, name, form, action, message, invalid=None, statement=None):
    """One workflow step posted from the panel: check the form, ask first where the step is one of ASK's,
    call the service, then the success `message` (a string, or made from what `action` returned).

    `invalid` is what an invalid form is refused with (None: a form with nothing to type is not checked);
    `statement` says what confirming will do (None: the step does not ask first). Any ValidationError of
    the service re-renders the workflow with its reasons on `form` (a real 400)."""
    bound = {name: form}
    if invalid is not None and not form.is_valid():
        return refuse(request, case, now=now, exc=ValidationError(invalid), bound=bound)
    if statement is not None and needs_confirmation(request):
        return confirm_step(request, case, now=now, bound=bound, statement=statement)
    try:
        result = action()
    except ValidationError as exc:
        return refuse(request, case, now=now, exc=exc, bound=bound)
    return done(request, case, message(result) if callable(message) else message)


# --- Asking first -----------------------------------------------------------------------------------------

# The steps that freeze, approve, record money or close, by the panel form that starts them: the heading of
# the confirmation page and what its button confirms ("Confirm: …").
ASK = {
    "submit_form": ("Submit the case for review?", "Submit for review"),
    "decision_form": ("Record the decision?", "Record decision"),
    "indemnification_form": ("Confirm the no-indemnification checklist?", "Confirm the checklist"),
    "start_form": ("Start recovery?", "Start recovery"),
    "event_form": ("Record the recovery?", "Record recovery"),
    "impracticability_form": ("Record that recovery is impracticable?", "Record impracticability"),
    "close_form": ("Close the case?", "Close the case"),
    "reopen_form": ("Reopen the case?", "Reopen the case"),
}


def confirm_step(request, case, *, now, bound: dict, statement):
    """The confirmation page of the step whose (valid) form is `bound`; nothing is run.

    Asked only where the panel offers the step: a recused member is refused as the service would refuse
    them (403); a step the case's status does not offer, or whose `statement()` cannot truthfully be made
    (it raises ValidationError: say, something is still outstanding), is refused on the page (400)."""
    if is_recused(request.user, case):
        raise PermissionDenied("You are recused from this case.")
    ((name, form),) = bound.items()
    title, action_label = ASK[name]
    try:
        if name not in _default_forms(case, barred={}):
            raise ValidationError(f"Not possible now: the case is {case.get_status_display().lower()}.")
        text = statement()
    except ValidationError as exc:
        return refuse(request, case, now=now, exc=exc, bound=bound)
    return confirmation_page(
        request,
        title=title,
        statement=text,
        action_label=action_label,
        cancel_url=_safe_next(request, case) + "#case-workflow",
        form=form,
    )


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _owed_by_executive(case, result: dict) -> list[tuple[str, Decimal]]:
    """(name, USD) of each executive a determination's result finds an excess for (the claims it opens)."""
    names = dict(Executive.objects.filter(company=case.company).values_list("key", "name"))
    rows = [
        (names.get(row["id"], row["id"]), Decimal(row["excess_usd"])) for row in result.get("executives", [])
    ]
    return sorted((name, amount) for name, amount in rows if amount > 0)


def _listing(owed: list[tuple[str, Decimal]]) -> str:
    """Each name and amount, and the sum when there are several: A $1.00; B $2.00 ($3.00 in all)."""
    text = "; ".join(f"{name} {usd(amount)}" for name, amount in owed)
    return f"{text} ({usd(sum(amount for _, amount in owed))} in all)" if len(owed) > 1 else text


def _submit_statement(case) -> str:
    result = workflow.compute(case).result_json  # read-only; the service refuses the same error
    owed = _owed_by_executive(case, result)
    amounts = (
        f"{plural(len(owed), 'executive')}, {usd(sum(a for _, a in owed))} recoverable"
        if owed
        else "no amount recoverable"
    )
    pending = result.get("totals", {}).get("pending_estimates") or 0
    if pending:
        amounts += f", {plural(pending, 'award')} still awaiting a reasonable estimate"
    return (
        f"Submitting freezes the determination inputs and results for case “{case.title}”: {amounts}. "
        f"The {case.get_administering_body_display()} can then review it and vote. Any later change to an "
        "input replaces the frozen determination and withdraws any approval."
    )


def _decision_statement(case, form) -> str:
    data = form.cleaned_data
    tally = Counter(form.votes().values())
    adopted = tally[Vote.Choice.FOR] > tally[Vote.Choice.AGAINST]
    meeting = (
        f"the {Decision.Body(data['body']).label} at its meeting of {data['held_on']:%Y-%m-%d} "
        f"({len(data['members_present'])} present, quorum {data['quorum']}; votes: "
        f"{tally[Vote.Choice.FOR]} for, {tally[Vote.Choice.AGAINST]} against, "
        f"{tally[Vote.Choice.ABSTAIN]} abstaining)"
    )
    lead = f"Recording the decision of {meeting}"
    if data["kind"] == Decision.Kind.APPROVE_DETERMINATION:
        live = workflow.live_determination(case)
        number = live.number if live else "—"
        if not adopted:
            return f"{lead} records it as not adopted: determination {number} stays under review, unapproved."
        reviewed = data.get("determination")
        if reviewed is not None and (live is None or live.number != reviewed):
            # What the body reviewed is not what it would approve: the service refuses it the same way.
            raise ValidationError(
                {"determination": [f"Determination {reviewed} is not the one under review ({number})."]}
            )
        owed = _owed_by_executive(case, live.result) if live else []
        claims = (
            f"recovery claims open for {_listing(owed)}, owed from {data['held_on']:%Y-%m-%d}"
            if owed
            else "no recovery claim opens (nothing is owed)"
        )
        return (
            f"{lead} adopts it and approves determination {number} as frozen: {claims}. The decision and "
            "its votes are recorded in the case's audit trail."
        )
    if not adopted:
        return f"{lead} records it as not adopted: no recovery may be forgone on it."
    return (
        f"{lead} adopts a determination that recovery is impracticable. It can then support recording an "
        "amount of a claim as impracticable to recover; nothing is forgone until that is recorded."
    )


def _indemnification_statement(case) -> str:
    count = case.covered_executives.count()
    text = (
        "Confirming records, under your name and with today's date, that no indemnification, insurance or "
        "premium reimbursement covers the loss of erroneously awarded compensation for the "
        f"{plural(count, 'covered executive')} of case “{case.title}” (policy “No Indemnification”)."
    )
    if case.no_indemnification_confirmed_at:
        text += (
            f" It replaces the confirmation of {case.no_indemnification_confirmed_at:%Y-%m-%d} by "
            f"{case.no_indemnification_confirmed_by}."
        )
    return text + (
        " Recovery can then be started."
        if case.status == S.APPROVED
        else " Recovery can start once the determination is approved."
    )


def sought_from(claim) -> str:
    """Who a claim is sought from, in words: the executive, or their successor by name."""
    if claim.sought_from == claim.Party.EXECUTIVE:
        return claim.executive.name
    party = claim.get_sought_from_display().lower()
    return f"{claim.executive.name}'s {party} {claim.party_name}".rstrip()


def _start_statement(case) -> str:
    if case.no_indemnification_confirmed_at is None:
        raise ValidationError("Confirm the no-indemnification checklist first (policy 'No Indemnification').")
    owed = sorted((sought_from(c), c.amount_owed) for c in _claims(case) if c.amount_owed > 0)
    amounts = f"from each executive: {_listing(owed)}" if owed else "although nothing is owed"
    return (
        f"Starting recovery for case “{case.title}” seeks the amounts owed {amounts}. Recoveries and "
        "impracticability determinations can then be recorded; the case cannot be reopened until it is "
        "closed."
    )


def _close_statement(case, *, now) -> str:
    today = workflow.exchange_date(now)
    claims = sorted(_claims(case), key=lambda claim: claim.executive.name)
    positions = [(claim, claim_position_of(claim, as_of=today)) for claim in claims]
    outstanding = [
        f"{c.executive.name} ({usd(p.outstanding)} outstanding)" for c, p in positions if p.outstanding > 0
    ]
    if outstanding:
        raise ValidationError(
            "Recovery is not complete: " + "; ".join(outstanding) + ". Record recoveries, or an "
            "impracticability determination, first."
        )
    recovered = sum((p.recovered for _, p in positions), Decimal("0.00"))
    forgone = sum((p.forgone for _, p in positions), Decimal("0.00"))
    return (
        f"Closing case “{case.title}” ends its recovery: {usd(recovered)} recovered and {usd(forgone)} "
        "forgone as impracticable, nothing outstanding. Reopening it later needs a reason and withdraws "
        "the approval."
    )


def _reopen_statement(case, form) -> str:
    approved = workflow.approved_determination(case)
    withdrawn = (
        f"withdraws the approval of determination {approved.number} (approved at the meeting of "
        f"{approved.decision.held_on:%Y-%m-%d}) and puts"
        if approved
        else "puts"
    )
    return (
        f"Reopening case “{case.title}” {withdrawn} the case back under review: a new determination is "
        f"computed and frozen, and the {case.get_administering_body_display()} must approve it again. Your "
        f"reason is recorded: {quoted(form.cleaned_data['reason'])}"
    )


# --- Transitions ------------------------------------------------------------------------------------------


@capability_required("clawback.manage")
@require_POST
def case_submit(request, pk):
    case, now = _manage(request, pk)
    return run_step(
        request,
        case,
        now=now,
        name="submit_form",
        form=ConfirmForm(request.POST),
        statement=lambda: _submit_statement(case),
        action=lambda: workflow.submit_for_review(actor=request.user, case=case, now=now),
        message=lambda determination: f"Submitted for review: determination {determination.number} frozen.",
    )


@capability_required("clawback.manage")
@require_POST
def case_record_estimate(request, pk):
    case, now = _manage(request, pk)
    form = EstimateForm(request.POST, awards=_case_awards(case))
    return run_step(
        request,
        case,
        now=now,
        name="estimate_form",
        form=form,
        invalid="Check the estimate.",
        action=lambda: workflow.record_estimate(actor=request.user, case=case, now=now, **form.cleaned_data),
        message=lambda _: f"Reasonable estimate recorded for {form.cleaned_data['award'].key}.",
    )


@capability_required("clawback.manage")
@require_POST
def case_designate(request, pk):
    case, now = _manage(request, pk)
    form = DesignateForm(request.POST, awards=_case_awards(case))
    return run_step(
        request,
        case,
        now=now,
        name="designate_form",
        form=form,
        invalid="Check the designation.",
        action=lambda: workflow.designate_not_determinable(
            actor=request.user, case=case, now=now, **form.cleaned_data
        ),
        message=lambda _: f"{form.cleaned_data['award'].key} now needs a reasonable estimate.",
    )


def _decision_message(decision) -> str:
    if decision.adopted and decision.kind == Decision.Kind.APPROVE_DETERMINATION:
        return "Decision adopted: the determination is approved and recovery claims are open."
    return f"Decision recorded ({'adopted' if decision.adopted else 'not adopted'})."


@capability_required("clawback.manage")
@require_POST
@fresh_second_factor_required  # a decision carries the members' votes
def case_record_decision(request, pk):
    case, now = _manage(request, pk)
    form = DecisionForm(request.POST, case=case, kinds=Decision.Kind.values, barred=barred_from(case))

    def record():
        data = form.cleaned_data
        return workflow.record_decision(
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
            minutes=data["minutes"],
            now=now,
        )

    return run_step(
        request,
        case,
        now=now,
        name="decision_form",
        form=form,
        invalid="Check the decision.",
        statement=lambda: _decision_statement(case, form),
        action=record,
        message=_decision_message,
    )


@capability_required("clawback.manage")
@require_POST
def case_confirm_no_indemnification(request, pk):
    case, now = _manage(request, pk)
    form = NoIndemnificationForm(request.POST)
    return run_step(
        request,
        case,
        now=now,
        name="indemnification_form",
        form=form,
        invalid="Confirm every item of the checklist.",
        statement=lambda: _indemnification_statement(case),
        action=lambda: workflow.confirm_no_indemnification(
            actor=request.user, case=case, now=now, confirmed=form.confirmed()
        ),
        message="No-indemnification checklist confirmed.",
    )


@capability_required("clawback.manage")
@require_POST
def case_start_recovery(request, pk):
    case, now = _manage(request, pk)
    return run_step(
        request,
        case,
        now=now,
        name="start_form",
        form=ConfirmForm(request.POST),
        statement=lambda: _start_statement(case),
        action=lambda: workflow.start_recovery(actor=request.user, case=case, now=now),
        message="Recovery started.",
    )


@capability_required("clawback.manage")
@require_POST
def case_close(request, pk):
    case, now = _manage(request, pk)
    return run_step(
        request,
        case,
        now=now,
        name="close_form",
        form=ConfirmForm(request.POST),
        statement=lambda: _close_statement(case, now=now),
        action=lambda: workflow.close_case(actor=request.user, case=case, now=now),
        message="Case closed: nothing is outstanding.",
    )


@capability_required("clawback.manage")
@require_POST
def case_reopen(request, pk):
    case, now = _manage(request, pk)
    form = ReopenForm(request.POST)
    return run_step(
        request,
        case,
        now=now,
        name="reopen_form",
        form=form,
        invalid="Say why the case is reopened.",
        statement=lambda: _reopen_statement(case, form),
        action=lambda: workflow.reopen_case(
            actor=request.user, case=case, reason=form.cleaned_data["reason"], now=now
        ),
        message="Case reopened: it is back under review and needs a new decision.",
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


def _parse_date(value: str):
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@capability_required("clawback.view")
@require_GET
def disclosure_report(request):
    """Item 402(w) and the 10-K check boxes for one fiscal year: `?year=FY2026[&prepared_on=YYYY-MM-DD]`.
    The company's figures, the same for everyone allowed them; someone walled off from any of its cases
    gets a 403 saying why, never a disclosure that leaves a case out (docs/clawback-rules §1.10)."""
    company = disclosure_service.default_company()
    years = disclosure_service.fiscal_years(company)
    label = request.GET.get("year", "").strip()
    context = {"years": years, "year": label, "report": None}
    try:
        if company is not None and not disclosure_service.sees_every_case(request.user, company.pk):
            raise disclosure_service.DisclosureRefused(disclosure_service.WALLED_MESSAGE)
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
    except disclosure_service.DisclosureRefused as refusal:
        context = {"refusal": str(refusal), "year": label}
        return render(request, "clawback/disclosure_report.html", context, status=403)
    return render(request, "clawback/disclosure_report.html", context)
