"""The library of the company's public statements (docs/regfd-rules §2.9): the list with its search, a
statement's page, adding one from its file, and voiding one added by mistake; and, from an incident, searching
the library for the information disclosed, attaching what matches as evidence that it was already public, and
removing it again with a reason.

The library is read by the program's officers (regfd.view) and kept by the Corporate Secretary, counsel and
administrators (regfd.statements), who attach from it. Who sees which incident is regfd.selectors'.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from compliance_site.accounts.permissions import capability_required, has_capability
from compliance_site.registers.views import Action, Filter, RecordDetail, RecordForm, RecordList, ServiceCall

from .. import selectors_statements as sel
from ..forms.public_statements import (
    AttachStatementForm,
    PublicStatementForm,
    VoidEvidenceForm,
    VoidStatementForm,
)
from ..models import PublicStatement, StatementEvidence
from ..selectors import incident_detail as incident_for_page
from ..services import public_statements as services
from .common import NEW_YORK
from .incidents import add_errors, incident_page_context

KEEPERS = services.CAPABILITY
# The search from an incident reads this much of its query (the information disclosed can be pages long),
# and shows this many of the best matches.
QUERY_MAX, BEST = 1_000, 20
# A statement's page shows this much of its text; the file holds the rest.
TEXT_SHOWN = 100_000


def _with_snippets(rows, q: str) -> None:
    """Each row's `snippet_parts`: [(text, is a match)], read for the rows at once."""
    parts = sel.snippets(rows, q)
    for row in rows:
        row.snippet_parts = parts.get(row.pk, [])


# ---- The library ----------------------------------------------------------------------------------------


class _Statements:
    register, urls, capability = sel.STATEMENTS, "regfd:statement", "regfd.view"
    context_object_name = "statement"


class StatementList(_Statements, RecordList):
    template_name = "regfd/statement_list.html"
    filters = (Filter("kind", "Kind", PublicStatement.Kind.choices, "Any kind"),)
    voided_toggle = True

    def get_context(self):
        return {
            "can_keep": has_capability(self.request.user, KEEPERS),
            "full_text": sel.uses_full_text_search(PublicStatement.objects.all()),
        }

    def get_page_context(self, page, *, q):
        _with_snippets(list(page), q)
        return {}


class StatementDetail(_Statements, RecordDetail):
    template_name = "regfd/statement_detail.html"

    def get_object(self):
        statement = sel.statement_detail(self.request.user, self.kwargs["pk"])
        if statement is None:
            raise Http404("No such statement")
        return statement

    def get_context(self, statement, **extra):
        can_void = not statement.is_voided and has_capability(self.request.user, KEEPERS)
        evidence = (
            StatementEvidence.all_objects.filter(statement=statement)
            .select_related("incident", "attached_by", "voided_by")
            .order_by("attached_at", "id")
        )
        return {
            "evidence": list(evidence),
            "text_shown": statement.text[:TEXT_SHOWN],
            "text_cut": len(statement.text) > TEXT_SHOWN,
            "can_void": can_void,
            "void_form": extra.get("void_form") or (VoidStatementForm() if can_void else None),
        }


class StatementImport(_Statements, RecordForm):
    capability = KEEPERS
    template_name = "regfd/statement_form.html"
    form_class, initial = PublicStatementForm, NEW_YORK
    call = ServiceCall(services.import_public_statement, now=True)
    submit_label = "Add to the library"
    message = "Added to the library: {object.title}."
    invalid_status = 400

    def get_forms(self, record):
        posted = self.request.method == "POST"
        form = self.form_class(
            self.request.POST if posted else None,
            self.request.FILES if posted else None,
            initial=self.get_initial(record),
        )
        return {"form": form}


statement_list = StatementList.as_view()
statement_detail = StatementDetail.as_view()
statement_import = StatementImport.as_view()
statement_void = StatementDetail.as_view(
    capability=KEEPERS,
    action=Action(
        services.void_public_statement,
        record="statement",
        form=VoidStatementForm,
        form_name="void_form",
        now=True,
        message="Statement voided: it is no longer in the library, and stays in its history.",
    ),
)


# ---- From an incident -----------------------------------------------------------------------------------


def _incident_or_404(request, pk):
    incident = incident_for_page(request.user, pk)
    if incident is None:
        raise Http404("No such incident")
    return incident


def _finder(request, incident, *, q: str, bound: AttachStatementForm | None = None, status: int = 200):
    """The search of the library from an incident: the best matches of `q`, each with when it was made
    public beside the disclosure, and a form to attach it (or the word that it already is)."""
    q = " ".join(q.split())[:QUERY_MAX]
    rows = []
    if q:
        rows = list(sel.search_statements(sel.statements_visible_to(request.user), q=q)[:BEST])
        _with_snippets(rows, q)
    attached = set(incident.statement_evidence.values_list("statement_id", flat=True))
    bound_pk = bound.data.get("statement") if bound is not None else None
    results = [
        {
            "statement": row,
            "before_disclosure": row.published_at <= incident.disclosed_at,
            "attached": row.pk in attached,
            "form": bound
            if bound is not None and str(row.pk) == str(bound_pk)
            else AttachStatementForm(statement=row),
        }
        for row in rows
    ]
    context = {
        "incident": incident,
        "q": q,
        "results": results,
        "best": BEST,
        "full_text": sel.uses_full_text_search(PublicStatement.objects.all()),
        "errors": _refusals(bound),
    }
    return render(request, "regfd/incident_statements.html", context, status=status)


def _refusals(bound: AttachStatementForm | None) -> list[str]:
    """A refused attachment's errors said above the results: the statement is a hidden field."""
    if bound is None:
        return []
    return [*bound.non_field_errors(), *bound.errors.get("statement", [])]


@capability_required(KEEPERS)
def incident_statements(request, pk):
    """GET: the library searched for the incident's information (the query box starts with it)."""
    incident = _incident_or_404(request, pk)
    q = request.GET["q"] if "q" in request.GET else incident.information
    return _finder(request, incident, q=q)


@capability_required(KEEPERS)
@require_POST
def incident_attach_statement(request, pk):
    incident = _incident_or_404(request, pk)
    form = AttachStatementForm(request.POST)
    if form.is_valid():
        statement = form.cleaned_data["statement"]
        try:
            services.attach_public_statement(
                actor=request.user,
                now=timezone.now(),
                incident=incident,
                statement=statement,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"Attached as evidence: {statement.title}.")
            return redirect("regfd:incident-detail", pk=incident.pk)
    return _finder(request, incident, q=request.POST.get("q", ""), bound=form, status=400)


@capability_required(KEEPERS)
@require_POST
def incident_remove_statement(request, pk, evidence_pk):
    """Void a statement's link to the incident, with the reason; the incident page lists it as removed."""
    incident = _incident_or_404(request, pk)
    evidence = get_object_or_404(StatementEvidence.all_objects, pk=evidence_pk, incident=incident)
    form = VoidEvidenceForm(request.POST, evidence=evidence)
    if form.is_valid():
        try:
            services.void_statement_evidence(
                actor=request.user, evidence=evidence, reason=form.cleaned_data["reason"], now=timezone.now()
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"Removed from the evidence: {evidence.statement.title}.")
            return redirect("regfd:incident-detail", pk=incident.pk)
    incident = _incident_or_404(request, pk)
    context = incident_page_context(request, incident, evidence_form=form, evidence_form_for=evidence.pk)
    return render(request, "regfd/incident_detail.html", context, status=400)
