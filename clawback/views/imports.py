"""Imports (CSV/XLSX records with a dry run, scenario files as draft cases) and exports (every list in
CSV/XLSX, a case as a scenario file)."""

import hashlib
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from compliance_site.accounts.permissions import capability_required
from compliance_site.company.selectors import current_company

from ..forms.imports import RecordsImportForm, ScenarioImportForm
from ..scenario import ScenarioError
from ..selectors import (
    awards_visible_to,
    executives_visible_to,
    measures_visible_to,
    restatement_for_change,
    restatements_visible_to,
)
from ..services import exports
from ..services import imports as services

LABELS = {"executives": "Executives", "measures": "Measures", "awards": "Awards"}
LIST_URLS = {
    "executives": "clawback:executive-list",
    "measures": "clawback:measure-list",
    "awards": "clawback:award-list",
}
STAGED_MAX_AGE_SECONDS = 24 * 3600


def _company():
    company = current_company()
    if company is None:
        raise Http404("No company profile yet.")
    return company


def _download(content: bytes, media_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Staged files: a file that passed its dry run, kept until imported (or a day has passed) ----------


def _staging_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "clawback-imports"


def _stage(request, *, kind: str, fmt: str, name: str, content: bytes) -> str:
    directory = _staging_dir()
    directory.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - STAGED_MAX_AGE_SECONDS
    for old in directory.glob("*.upload"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    (directory / f"{token}.upload").write_bytes(content)
    request.session[f"clawback-import:{token}"] = {
        "kind": kind,
        "fmt": fmt,
        "name": name,
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    return token


def _staged(request, *, kind: str, token: str):
    """(fmt, name, content) of a file this user staged for this kind, or None."""
    meta = request.session.get(f"clawback-import:{token}")
    path = _staging_dir() / f"{token}.upload"
    if not meta or meta.get("kind") != kind or not path.is_file():
        return None
    content = path.read_bytes()
    if hashlib.sha256(content).hexdigest() != meta["sha256"]:
        return None
    return meta["fmt"], meta["name"], content


def _unstage(request, token: str) -> None:
    request.session.pop(f"clawback-import:{token}", None)
    (_staging_dir() / f"{token}.upload").unlink(missing_ok=True)


# --- Records imports ---------------------------------------------------------------------------------


@capability_required("clawback.manage")
def import_index(request):
    return render(
        request,
        "clawback/import_index.html",
        {"kinds": [(kind, LABELS[kind], services.COLUMNS[kind]) for kind in services.KINDS]},
    )


@capability_required("clawback.manage")
def import_records(request, kind):
    """GET: the upload form. POST `check`: a dry run listing every problem, nothing changed; POST
    `import`: every row applied, or none."""
    if kind not in services.COLUMNS:
        raise Http404("Unknown import")
    company = _company()
    form = RecordsImportForm(request.POST or None, request.FILES or None)
    context = {"kind": kind, "label": LABELS[kind], "columns": services.COLUMNS[kind], "form": form}
    if request.method != "POST":
        return render(request, "clawback/import_form.html", context)
    if not form.is_valid():
        return render(request, "clawback/import_form.html", context, status=400)
    commit = request.POST.get("action") == "import"
    token = form.cleaned_data.get("token") or ""
    if form.cleaned_data.get("file") is not None:
        fmt, name, content = form.cleaned_data["fmt"], form.cleaned_data["name"], form.cleaned_data["content"]
    else:
        staged = _staged(request, kind=kind, token=token)
        if staged is None:
            form.add_error(None, "That checked file is no longer available: choose it again.")
            return render(request, "clawback/import_form.html", context, status=400)
        fmt, name, content = staged
    report = services.import_records(
        actor=request.user,
        company=company,
        kind=kind,
        content=content,
        fmt=fmt,
        file_name=name,
        commit=commit,
        now=timezone.now(),
    )
    if report.committed:
        if token:
            _unstage(request, token)
        messages.success(
            request,
            f"{name}: {len(report.created)} created, {len(report.updated)} updated from {report.rows} rows.",
        )
        for title in report.approvals_withdrawn:
            messages.warning(
                request,
                f"The approval of “{title}” was withdrawn: the file changed its inputs. The case is back "
                "under committee review and needs a new decision.",
            )
        return redirect(LIST_URLS[kind])
    context["report"] = report
    if report.ok and not commit:
        context["token"] = _stage(request, kind=kind, fmt=fmt, name=name, content=content)
    return render(request, "clawback/import_form.html", context, status=200 if report.ok else 400)


@capability_required("clawback.manage")
@require_GET
def import_template(request, kind, fmt):
    if kind not in services.COLUMNS or fmt not in services.FORMATS:
        raise Http404("Unknown template")
    return _download(
        services.template_file(kind, fmt=fmt), services.FORMATS[fmt], f"clawback-{kind}-template.{fmt}"
    )


@capability_required("clawback.manage")
def import_scenario(request):
    """Check a scenario file (its result, the records it would reuse), then import it as a draft case."""
    company = _company()
    form = ScenarioImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "errors": None, "preview": None}
    if request.method != "POST" or not form.is_valid():
        return render(request, "clawback/import_scenario.html", context, status=400 if form.is_bound else 200)
    text = form.cleaned_data["text"]
    try:
        preview = services.preview_scenario_import(company=company, text=text)
    except ScenarioError as exc:
        context["errors"] = exc.errors
        return render(request, "clawback/import_scenario.html", context, status=400)
    context["preview"] = preview
    if request.POST.get("action") != "import":
        # The checked scenario goes back into the text box, so "Import" needs no second upload.
        context["form"] = ScenarioImportForm(initial={"text": text, "title": form.cleaned_data["title"]})
        return render(request, "clawback/import_scenario.html", context)
    try:
        case = services.import_scenario_file(
            actor=request.user,
            company=company,
            text=text,
            title=form.cleaned_data["title"],
            now=timezone.now(),
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return render(request, "clawback/import_scenario.html", context, status=400)
    messages.success(request, f"Imported as the draft case “{case.title}”.")
    return redirect("clawback:restatement-detail", pk=case.pk)


# --- Exports -----------------------------------------------------------------------------------------

_EXPORT_QUERYSETS = {
    "executives": executives_visible_to,
    "measures": measures_visible_to,
    "awards": awards_visible_to,
    "restatements": restatements_visible_to,
}


@capability_required("clawback.export")
@require_GET
def list_export(request, kind, fmt):
    """Every record of a list the user may see (the list's search is not applied: the whole list)."""
    if kind not in _EXPORT_QUERYSETS or fmt not in services.FORMATS:
        raise Http404("Unknown export")
    content, media_type, filename = exports.export_list(
        actor=request.user,
        company=current_company(),
        kind=kind,
        fmt=fmt,
        queryset=_EXPORT_QUERYSETS[kind](request.user),
    )
    return _download(content, media_type, filename)


@capability_required("clawback.export")
@require_GET
def case_scenario_export(request, pk):
    """The case as a clawback-scenario/1 file: re-evaluating it gives the worksheet's result."""
    restatement = restatement_for_change(request.user, pk)
    try:
        content = exports.export_case_scenario(actor=request.user, restatement=restatement)
    except ScenarioError:
        messages.error(request, "The case cannot be exported yet: complete its records (problems below).")
        return redirect("clawback:restatement-worksheet", pk=pk)
    return _download(content, "application/json", f"clawback-case-{restatement.pk}.scenario.json")
