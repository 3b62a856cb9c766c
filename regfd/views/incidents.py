"""Reg FD incident pages: the list, the report form, the incident page and its actions.

Each action view parses one form, calls one service and redirects; on a refusal it renders the incident page
again with the form's errors (400). Who sees which incident is decided in regfd.selectors.

Recording the public disclosure, closing as not required and counsel's conclusion ask first
(compliance_site.confirm): without confirmed=1 a valid form gets a page saying what will happen, and nothing
is run.
"""

from collections.abc import Callable
from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from compliance_site.accounts.permissions import capability_required, has_capability
from compliance_site.accounts.roles import Role
from compliance_site.confirm import confirmation_page, needs_confirmation, quoted
from compliance_site.lib import timefmt
from compliance_site.paging import CappedCountPaginator
from compliance_site.registers import ServiceCall
from compliance_site.registers.views import service_data

from .. import services
from ..forms.incidents import (
    CloseNotRequiredForm,
    CorrectLearnedAtForm,
    CounselConclusionForm,
    ExclusionForm,
    IncidentReportForm,
    MaterialityForm,
    PublicDisclosureForm,
)
from ..models import MATERIAL_CATEGORIES, Incident
from ..models.incidents import OPEN_FIRST
from ..selectors import incident_detail as incident_for_page
from ..selectors import incidents_visible_to, search_incidents
from ..selectors_statements import evidence_of

# "due", the default, is the Corporate Secretary's working order: open incidents by deadline, soonest (or most
# overdue) first, then the closed ones.
SORTS = {
    "due": (OPEN_FIRST, "due_at"),
    "-due": ("-due_at",),
    "reported": ("-reported_at",),
    "reference": ("reference",),
}
CATEGORY_LABELS = dict(MATERIAL_CATEGORIES)


def add_errors(form, exc: ValidationError) -> None:
    """A service's ValidationError on the form: errors for the form's fields on them, the rest at the top."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    for field, texts in errors.items():
        for text in texts:
            if field in form.fields:
                form.add_error(field, text)
            elif field in ("__all__", "non_field_errors"):
                form.add_error(None, text)
            else:
                form.add_error(None, f"{field.replace('_', ' ').capitalize()}: {text}")


def _incident_or_404(request, pk) -> Incident:
    incident = incident_for_page(request.user, pk)
    if incident is None:
        raise Http404("No such incident")
    return incident


def incident_page_context(request, incident: Incident, **bound) -> dict:
    """The incident page: read-only for its reporter and readers; the Corporate Secretary's forms while it
    is open; counsel's conclusion form for counsel. `bound` replaces a blank form by the one with errors."""
    user = request.user
    can_manage = has_capability(user, "regfd.manage")
    can_conclude = has_capability(user, "regfd.conclude")
    is_open = incident.status == Incident.Status.OPEN
    manage_open = can_manage and is_open

    hidden_errors = []  # a refused action whose form the page no longer shows (the incident closed)

    def form(name, factory, allowed):
        if not allowed:
            if name in bound:
                hidden_errors.extend(bound[name].non_field_errors())
            return None
        return bound.get(name) or factory()

    context = {
        "incident": incident,
        "can_manage": can_manage,
        "can_conclude": can_conclude,
        "material_labels": [CATEGORY_LABELS.get(code, code) for code in incident.material_categories or []],
        "exclusions": incident.exclusions.all(),
        "deadline_history": incident.deadline_history.all(),
        "materiality_form": form(
            "materiality_form",
            lambda: MaterialityForm(
                initial={
                    "material_categories": incident.material_categories,
                    "in_doubt": incident.in_doubt,
                    "materiality_assessment": incident.materiality_assessment,
                }
            ),
            manage_open,
        ),
        "conclusion_form": form(
            "conclusion_form", lambda: CounselConclusionForm(incident=incident), can_conclude
        ),
        "exclusion_form": form("exclusion_form", ExclusionForm, manage_open),
        "correct_form": form("correct_form", CorrectLearnedAtForm, manage_open),
        "disclosure_form": form("disclosure_form", PublicDisclosureForm, manage_open),
        "close_form": form("close_form", CloseNotRequiredForm, manage_open),
    }
    context["action_errors"] = hidden_errors
    # The public statements attached as evidence that the information was already public (docs/regfd-rules
    # §2.9), for the program's officers, who read the library; with a refused removal's form.
    context["evidence"], context["evidence_removed"] = (
        evidence_of(incident) if has_capability(user, "regfd.view") else ([], [])
    )
    context["can_keep_library"] = has_capability(user, "regfd.statements")
    context["evidence_form"] = bound.get("evidence_form")
    context["evidence_form_for"] = bound.get("evidence_form_for")
    return context


class Ask(NamedTuple):
    """A step asked about first: the confirmation page's heading, what its button confirms ("Confirm: …"),
    and `statement(incident, cleaned_data)`, what will happen in plain words (a ValidationError when it
    cannot truthfully be made: the action is then refused on the page, as the service would refuse it)."""

    title: str
    action_label: str
    statement: Callable[[Incident, dict], str]


def _act(request, pk, *, form_class, form_name: str, call: ServiceCall, success: str, ask: Ask | None = None):
    """Run one incident action: parse the form, call the service, redirect to the incident page; or show
    the page again with the errors. With `ask`, a valid form without confirmed=1 gets the confirmation page
    instead of the call."""
    incident = _incident_or_404(request, pk)
    # A form whose choices are the incident's own (the statements a conclusion may cite) is built with it.
    per_incident = {"incident": incident} if getattr(form_class, "per_incident", False) else {}
    form = form_class(request.POST, **per_incident)
    if form.is_valid():
        try:
            if ask is not None and needs_confirmation(request):
                return confirmation_page(
                    request,
                    title=ask.title,
                    statement=ask.statement(incident, form.cleaned_data),
                    action_label=ask.action_label,
                    cancel_url=reverse("regfd:incident-detail", args=[incident.pk]),
                    form=form,
                )
            call(actor=request.user, record=incident, data=service_data(form))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("regfd:incident-detail", pk=incident.pk)
    incident = _incident_or_404(request, pk)
    return render(
        request,
        "regfd/incident_detail.html",
        incident_page_context(request, incident, **{form_name: form}),
        status=400,
    )


def _when(instant) -> str:
    """An instant in words: ET, and the viewer's zone beside it when different (as the `dual_time` tag)."""
    et = timefmt.label(instant, timefmt.EXCHANGE_TZ)
    zone = timezone.get_current_timezone()
    if getattr(zone, "key", None) == timefmt.EXCHANGE_TZ.key:
        return et
    return f"{et} ({timefmt.label(instant, zone)}, your zone)"


def _still_open(incident: Incident) -> None:
    if incident.status != Incident.Status.OPEN:
        raise ValidationError("This incident is already closed.")


def _disclosure_statement(incident: Incident, data) -> str:
    _still_open(incident)
    made_public = data["disclosed_at"]
    # "On time" cannot be said of a time that has not come, nor of one before the selective disclosure.
    if made_public > timezone.now():
        raise ValidationError({"disclosed_at": "The public disclosure time is in the future."})
    if made_public < incident.disclosed_at:
        raise ValidationError(
            {"disclosed_at": "The public disclosure cannot precede the selective disclosure."}
        )
    timing = "on time" if made_public <= incident.due_at else "late"
    reference = f" (reference {data['reference']})" if data["reference"] else ""
    method = Incident.DisclosureMethod(data["method"]).label
    return (
        f"Recording the public disclosure closes incident {incident.reference} as disclosed {timing}: made "
        f"public {_when(made_public)} by {method}{reference}, against the working deadline of "
        f"{_when(incident.due_at)}. The deadline countdown stops and the incident's other actions are no "
        "longer offered."
    )


def _close_statement(incident: Incident, data) -> str:
    _still_open(incident)
    text = (
        f"Closing incident {incident.reference} as “public disclosure not required” ends it without a public "
        f"disclosure. The reason is recorded with your name: {quoted(data['reason'])}"
    )
    if incident.presumed_material:
        text += " Note: the information is presumed material (policy II.B)."
    return text


_NO_LONGER_PRESUMED = (
    "The information is then no longer presumed material, whatever the assessment or a doubt recorded."
)
_CONCLUSION_EFFECT = {
    Incident.CounselConclusion.MATERIAL: "The information is then presumed material.",
    Incident.CounselConclusion.NOT_MATERIAL: _NO_LONGER_PRESUMED,
    Incident.CounselConclusion.ALREADY_PUBLIC: _NO_LONGER_PRESUMED,
}


def _conclusion_statement(incident: Incident, data) -> str:
    conclusion = Incident.CounselConclusion(data["conclusion"])
    text = (
        f"Recording counsel's conclusion on incident {incident.reference}: “{conclusion.label}”, with your "
        "name, the time and the rationale, in the incident's audit trail."
    )
    cited = list(data.get("cited_statements") or [])
    if cited:
        text += " It cites " + "; ".join(f"“{statement.title}”" for statement in cited) + "."
    if incident.counsel_conclusion != Incident.CounselConclusion.PENDING:
        text += (
            f" It replaces the conclusion “{incident.get_counsel_conclusion_display()}” recorded by "
            f"{incident.counsel_concluded_by or '—'}"
            + (f" at {_when(incident.counsel_concluded_at)}." if incident.counsel_concluded_at else ".")
        )
    return f"{text} {_CONCLUSION_EFFECT[conclusion]}"


@capability_required("regfd.access")
def incident_list(request):
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    sort = request.GET.get("sort", "due")
    qs = search_incidents(
        incidents_visible_to(request.user), q=q, status=status if status in Incident.Status.values else ""
    ).order_by(*SORTS.get(sort, SORTS["due"]), "id")
    page = CappedCountPaginator(qs, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "regfd/incident_list.html",
        {
            "page": page,
            "q": q,
            "status": status,
            "sort": sort,
            "statuses": Incident.Status.choices,
            "can_edit_calendar": has_capability(request.user, "accounts.manage"),
        },
    )


@capability_required("regfd.access")
def incident_detail(request, pk):
    return render(
        request, "regfd/incident_detail.html", incident_page_context(request, _incident_or_404(request, pk))
    )


def _secretaries() -> list:
    """Who a new report goes to: the active Corporate Secretaries, whose open-incident list it joins and who
    are reminded before its deadline (regfd/reminders.py)."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, roles__role=Role.SECRETARY)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def _names(people) -> str:
    names = [str(person) for person in people]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def report_confirmation(incident: Incident, *, notified: list) -> str:
    """What the reporter reads after submitting: who was told, by role and name, and what happens next (the
    public-disclosure deadline and who acts; policy I.B, II.I)."""
    if notified:
        told = (
            f"The Corporate Secretary, {_names(notified)}, "
            f"{'has' if len(notified) == 1 else 'have'} been notified: your report is on their list of open "
            f"incidents now, and they are reminded before the deadline."
        )
    else:
        told = (
            "No Corporate Secretary is set up to receive reports: tell the Corporate Secretary or an "
            "authorized officer (the CEO or CFO) directly, now."
        )
    due = _when(incident.due_at)
    if incident.intentional:
        deadline = (
            f"Because it was shared on purpose, it had to be made public at the same time ({due}): the "
            f"Corporate Secretary acts at once to make it public."
        )
    else:
        deadline = (
            f"Next, the Corporate Secretary and counsel decide whether the information is material. If it "
            f"is, the Corporate Secretary makes it public, by press release or Form 8-K, by {due}."
        )
    return (
        f"Thank you: {incident.reference} is reported. {told} {deadline} If that time passes, the authorized "
        f"officers (the CEO and CFO) and counsel are alerted. You need do nothing more unless they ask you."
    )


@capability_required("regfd.report")
def incident_report(request):
    form = IncidentReportForm(request.POST or None, zone=request.user.time_zone)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.open_incident(actor=request.user, now=timezone.now(), **service_data(form))
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, report_confirmation(incident, notified=_secretaries()))
            return redirect("regfd:incident-detail", pk=incident.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "regfd/incident_form.html", {"form": form}, status=status)


def _step(
    service,
    form_class,
    form_name: str,
    success: str,
    *,
    now: bool = False,
    ask: Ask | None = None,
    capability: str = "regfd.manage",
):
    """One incident action's view: POST only, for holders of `capability` (see _act)."""
    call = ServiceCall(service, record="incident", now=now)

    @capability_required(capability)
    @require_POST
    def step(request, pk):
        return _act(
            request, pk, form_class=form_class, form_name=form_name, call=call, success=success, ask=ask
        )

    return step


incident_record_disclosure = _step(
    services.record_public_disclosure,
    PublicDisclosureForm,
    "disclosure_form",
    "Public disclosure recorded.",
    now=True,
    ask=Ask("Record the public disclosure?", "Record public disclosure", _disclosure_statement),
)
incident_close = _step(
    services.close_not_required,
    CloseNotRequiredForm,
    "close_form",
    "Incident closed: public disclosure not required.",
    ask=Ask("Close the incident as not required?", "Close as not required", _close_statement),
)
incident_assess_materiality = _step(
    services.assess_materiality, MaterialityForm, "materiality_form", "Materiality assessment recorded."
)
incident_conclude = _step(
    services.conclude_materiality,
    CounselConclusionForm,
    "conclusion_form",
    "Counsel's conclusion recorded.",
    now=True,
    ask=Ask("Record counsel's conclusion?", "Record conclusion", _conclusion_statement),
    capability="regfd.conclude",
)
incident_claim_exclusion = _step(
    services.claim_exclusion,
    ExclusionForm,
    "exclusion_form",
    "Exclusion claimed. Attach the evidence under Documents.",
)
incident_correct_learned_at = _step(
    services.correct_learned_at,
    CorrectLearnedAtForm,
    "correct_form",
    "T0 corrected; the deadline was recomputed (see the deadline history).",
    now=True,
)
