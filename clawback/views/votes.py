"""Pages of a vote of the body: opening it from the case, the decision page where each member votes for
themselves, the secretary records a vote given at a meeting, and the chair and the secretary sign."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from compliance_site.accounts.mfa import fresh_second_factor_required
from compliance_site.accounts.permissions import capability_required, has_capability
from compliance_site.confirm import confirmation_page, needs_confirmation, quoted

from ..forms.votes import CastVoteForm, OpenVoteForm, RecordVoteForm, SignForm, WithdrawVoteForm
from ..models import Decision, DecisionSignature
from ..selectors import is_recused, restatement_detail, restatements_visible_to
from ..services import voting
from .determinations import _add_errors, refuse

TEMPLATE = "clawback/decision_detail.html"


def _decision(user, pk) -> Decision:
    return get_object_or_404(
        Decision.objects.select_related("restatement__company", "recorded_by")
        .prefetch_related(
            "members_present", "eligible", "votes__member", "votes__recorded_by", "votes__minutes"
        )
        .prefetch_related("signatures__signer")
        .filter(restatement__in=restatements_visible_to(user)),
        pk=pk,
    )


def _context(request, decision: Decision, *, bound=None) -> dict:
    user, now = request.user, timezone.now()
    case = decision.restatement
    voted = {v.member_id for v in decision.votes.all()}
    eligible = list(decision.eligible.all())
    waiting = [m for m in eligible if m.pk not in voted]
    recused = is_recused(user, case)
    context = {
        "decision": decision,
        "case": case,
        "eligible": eligible,
        "waiting": waiting,
        "tally": voting.current_tally(decision, now=now) if decision.eligible.exists() else None,
        "required_signatures": [
            DecisionSignature.Capacity(c).label for c in voting.signatures_required(decision)
        ],
        "next_signature": voting.next_signature(decision),
    }
    forms = {}
    if decision.is_open and not recused:
        if user in waiting:
            forms["cast_form"] = CastVoteForm(initial={"determination_sha256": decision.determination_sha256})
        if has_capability(user, "clawback.secretary") and waiting:
            forms["record_form"] = RecordVoteForm(decision=decision, waiting=waiting)
        if has_capability(user, "clawback.manage"):
            forms["withdraw_form"] = WithdrawVoteForm()
    capacity = context["next_signature"]
    if capacity and not recused and voting.may_sign_as(user, decision, capacity):
        forms["sign_form"] = SignForm(initial={"determination_sha256": decision.determination_sha256})
        context["signing_as"] = DecisionSignature.Capacity(capacity).label
    forms.update(bound or {})
    return {**context, **forms}


@capability_required("clawback.view")
def decision_detail(request, pk):
    return render(request, TEMPLATE, _context(request, _decision(request.user, pk)))


def _refused(request, decision, exc, bound) -> object:
    for form in bound.values():
        _add_errors(form, exc)
    decision = _decision(request.user, decision.pk)
    return render(request, TEMPLATE, _context(request, decision, bound=bound), status=400)


def _back(request, decision, message: str):
    messages.success(request, message)
    return redirect(reverse("clawback:decision-detail", args=[decision.pk]))


def _outcome(decision: Decision) -> str:
    decision.refresh_from_db()
    if decision.status == Decision.Status.OPEN:
        return ""
    return f" The vote is decided: {decision.outcome_reason}"


def _run(request, decision, *, name, form, invalid, action, message, confirm=None):
    """One action posted on the decision page: check the form, ask first where `confirm` gives the title,
    statement and button of the confirmation page, call the service, then the success `message` (a string,
    or made from what `action` returned). A refusal shows the page again with the reasons on `form` (400)."""
    bound = {name: form}
    if not form.is_valid():
        return _refused(request, decision, ValidationError(invalid), bound)
    if confirm is not None and needs_confirmation(request):
        return confirmation_page(
            request,
            **confirm(),
            cancel_url=reverse("clawback:decision-detail", args=[decision.pk]),
            form=form,
        )
    try:
        result = action()
    except ValidationError as exc:
        return _refused(request, decision, exc, bound)
    return _back(request, decision, message(result) if callable(message) else message)


@capability_required("clawback.vote")
@require_POST
@fresh_second_factor_required  # a vote binds the member who casts it
def decision_vote(request, pk):
    decision = _decision(request.user, pk)
    form = CastVoteForm(request.POST)
    return _run(
        request,
        decision,
        name="cast_form",
        form=form,
        invalid="Choose your vote.",
        action=lambda: voting.cast_vote(
            actor=request.user, decision=decision, now=timezone.now(), **form.cleaned_data
        ),
        message=lambda _: "Your vote is recorded." + _outcome(decision),
    )


def _record_vote_confirmation(form) -> dict:
    data = form.cleaned_data
    member = data["member"].get_full_name() or data["member"]
    choice = dict(form.fields["choice"].choices)[data["choice"]]
    return {
        "title": "Record this vote from the minutes?",
        "statement": (
            f"{member}'s vote “{choice}” will be recorded as given at the meeting of "
            f"{data['meeting_on']:%B %-d, %Y}, from the minutes {data['minutes'].original_name}. "
            "It will show everywhere as recorded by you from the minutes."
        ),
        "action_label": "Record the vote",
    }


@capability_required("clawback.secretary")
@require_POST
@fresh_second_factor_required
def decision_record_vote(request, pk):
    decision = _decision(request.user, pk)
    voted = {v.member_id for v in decision.votes.all()}
    waiting = [m for m in decision.eligible.all() if m.pk not in voted]
    form = RecordVoteForm(request.POST, decision=decision, waiting=waiting)
    return _run(
        request,
        decision,
        name="record_form",
        form=form,
        invalid="Check the vote.",
        confirm=lambda: _record_vote_confirmation(form),
        action=lambda: voting.record_vote_from_minutes(
            actor=request.user, decision=decision, now=timezone.now(), **form.cleaned_data
        ),
        message=lambda _: "The vote is recorded from the minutes." + _outcome(decision),
    )


def _may_sign(user) -> bool:
    return has_capability(user, "clawback.vote") or has_capability(user, "clawback.secretary")


@capability_required("clawback.view")
@require_POST
@fresh_second_factor_required  # a signature binds the signer
def decision_sign(request, pk):
    if not _may_sign(request.user):
        raise PermissionDenied("Only the chair of the body and the Corporate Secretary sign a decision.")
    decision = _decision(request.user, pk)
    form = SignForm(request.POST)
    return _run(
        request,
        decision,
        name="sign_form",
        form=form,
        invalid="Reload the page and sign again.",
        action=lambda: voting.sign_decision(
            actor=request.user, decision=decision, now=timezone.now(), **form.cleaned_data
        ),
        message=lambda signature: f"Signed as {signature.get_capacity_display()}.",
    )


@capability_required("clawback.manage")
@require_POST
def decision_withdraw(request, pk):
    decision = _decision(request.user, pk)
    form = WithdrawVoteForm(request.POST)
    return _run(
        request,
        decision,
        name="withdraw_form",
        form=form,
        invalid="Say why the vote is withdrawn.",
        confirm=lambda: {
            "title": "Withdraw the vote?",
            "statement": (
                f"The vote on “{decision.get_kind_display()}” closes now without a decision; votes already "
                f"cast are kept on record. Reason: {quoted(form.cleaned_data['reason'])}"
            ),
            "action_label": "Withdraw the vote",
        },
        action=lambda: voting.withdraw_vote(
            actor=request.user, decision=decision, now=timezone.now(), **form.cleaned_data
        ),
        message="The vote is withdrawn.",
    )


@capability_required("clawback.manage")
@require_POST
@fresh_second_factor_required
def case_open_vote(request, pk):
    case, now = restatement_detail(request.user, pk), timezone.now()
    kinds = [Decision.Kind.APPROVE_DETERMINATION, Decision.Kind.IMPRACTICABILITY]
    form = OpenVoteForm(request.POST, case=case, kinds=kinds)
    bound = {"vote_form": form}
    if not form.is_valid():
        return refuse(request, case, now=now, exc=ValidationError("Check the vote."), bound=bound)
    data = form.cleaned_data
    if needs_confirmation(request):
        return confirmation_page(
            request,
            title="Open the vote?",
            statement=(
                f"The {dict(form.fields['body'].choices)[data['body']]} will be asked to vote on "
                f"{quoted(data['resolution'])} Each member who may vote is notified and votes for themselves "
                f"until {timezone.localtime(data['closes_at']):%B %-d, %Y %-I:%M %p} (your time)."
            ),
            action_label="Open the vote",
            cancel_url=reverse("clawback:case-workflow", args=[case.pk]) + "#case-workflow",
            form=form,
        )
    try:
        decision = voting.open_vote(actor=request.user, case=case, now=now, **data)
    except ValidationError as exc:
        return refuse(request, case, now=now, exc=exc, bound=bound)
    return _back(request, decision, "The vote is open: the members are notified.")
