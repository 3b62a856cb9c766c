"""Imports (CSV/XLSX records with a dry run, scenario files as draft cases) and exports (every list in
CSV/XLSX, a case as a scenario file)."""

import hashlib
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from compliance_site.accounts.permissions import capability_required
from compliance_site.company.selectors import current_company

from ..forms.imports import RecordsImportForm, ScenarioImportForm
from ..models import RestatedValue
from ..scenario import ScenarioError
from ..selectors import (
    awards_visible_to,
    executives_visible_to,
    measures_visible_to,
    restatement_for_change,
    restatements_for_change,
    restatements_visible_to,
)
from ..services import exports
from ..services import imports as services
from .common import refused

LABELS = {
    "executives": "Executives",
    "measures": "Measures",
    "restated_values": "Restated values of a case",
    "awards": "Awards",
    "award_goals": "Scorecard goals of awards",
    "award_credits": "Amounts already recovered",
}
LIST_URLS = {
    "executives": "clawback:executive-list",
    "measures": "clawback:measure-list",
    "awards": "clawback:award-list",
    "award_goals": "clawback:award-list",
    "award_credits": "clawback:award-list",
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


def _stage(request, *, kind: str, data: dict, case) -> str:
    """Keep the checked file (and an awards file's goals file) for the import; the session holds which user
    checked it, for which kind and case, and each file's SHA-256."""
    directory = _staging_dir()
    directory.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - STAGED_MAX_AGE_SECONDS
    for old in directory.glob("*.upload"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    meta = {"kind": kind, "case": case.pk if case is not None else None, "files": {}}
    for part, upload in (("file", data), ("goals", data.get("goals"))):
        if upload is None:
            continue
        (directory / f"{token}.{part}.upload").write_bytes(upload["content"])
        meta["files"][part] = {
            "fmt": upload["fmt"],
            "name": upload["name"],
            "sha256": hashlib.sha256(upload["content"]).hexdigest(),
        }
    request.session[f"clawback-import:{token}"] = meta
    return token


def _staged(request, *, kind: str, token: str, case) -> dict | None:
    """{part: {fmt, name, content}} of the files this user checked for this kind (and case), or None."""
    meta = request.session.get(f"clawback-import:{token}")
    if not meta or meta.get("kind") != kind or meta.get("case") != (case.pk if case is not None else None):
        return None
    staged = {}
    for part, info in meta.get("files", {}).items():
        path = _staging_dir() / f"{token}.{part}.upload"
        if not path.is_file():
            return None
        content = path.read_bytes()
        if hashlib.sha256(content).hexdigest() != info["sha256"]:
            return None
        staged[part] = {"fmt": info["fmt"], "name": info["name"], "content": content}
    return staged if "file" in staged else None


def _unstage(request, token: str) -> None:
    request.session.pop(f"clawback-import:{token}", None)
    for path in _staging_dir().glob(f"{token}.*.upload"):
        path.unlink(missing_ok=True)


# --- Records imports ---------------------------------------------------------------------------------


@capability_required("clawback.manage")
def import_index(request):
    return render(
        request,
        "clawback/import_index.html",
        {"kinds": [(kind, LABELS[kind], services.COLUMNS[kind]) for kind in services.KINDS]},
    )


def _cases(request, company):
    return restatements_for_change(request.user).filter(company=company)


@capability_required("clawback.manage")
def import_records(request, kind):
    """GET: the upload form (a restated values import starts from a case: `?case=`). POST `check`: a dry
    run listing every problem, nothing changed; POST `import`: every row applied, or none."""
    if kind not in services.COLUMNS:
        raise Http404("Unknown import")
    company = _company()
    cases = _cases(request, company) if kind == "restated_values" else None
    initial = {}
    if cases is not None and request.GET.get("case", "").isdigit():
        initial["case"] = cases.filter(pk=int(request.GET["case"])).first()
    form = RecordsImportForm(
        request.POST or None, request.FILES or None, kind=kind, cases=cases, initial=initial
    )
    context = {
        "kind": kind,
        "label": LABELS[kind],
        "columns": services.COLUMNS[kind],
        "goal_columns": services.COLUMNS["award_goals"] if kind == "awards" else (),
        "form": form,
    }
    if request.method != "POST":
        return render(request, "clawback/import_form.html", context)
    if not form.is_valid():
        return render(request, "clawback/import_form.html", context, status=400)
    commit = request.POST.get("action") == "import"
    token = form.cleaned_data.get("token") or ""
    case = form.cleaned_data.get("case")
    if form.cleaned_data.get("file") is not None:
        files = {"file": form.cleaned_data}
        if form.cleaned_data.get("goals"):
            files["goals"] = form.cleaned_data["goals"]
    else:
        files = _staged(request, kind=kind, token=token, case=case)
        if files is None:
            form.add_error(None, "That checked file is no longer available: choose it again.")
            return render(request, "clawback/import_form.html", context, status=400)
    main, goals = files["file"], files.get("goals")
    try:
        report = _import(request, company, kind, main, goals, form=form, commit=commit, case=case)
    except PermissionDenied as exc:
        # A file changing an input of a case the user is walled from: refused as a whole, nothing written.
        return refused(request, exc)
    if report.committed:
        if token:
            _unstage(request, token)
        counts = f"{len(report.created)} created, {len(report.updated)} updated"
        if report.unchanged:
            counts += f", {len(report.unchanged)} already recorded"
        messages.success(request, f"{main['name']}: {counts} from {report.rows} rows.")
        for title in report.approvals_withdrawn:
            messages.warning(
                request,
                f"The approval of “{title}” was withdrawn: the file changed its inputs. The case is back "
                "under committee review and needs a new decision.",
            )
        if case is not None:
            return redirect("clawback:restatement-detail", pk=case.pk)
        return redirect(LIST_URLS[kind])
    context["report"] = report
    if report.ok and not commit:
        context["token"] = _stage(request, kind=kind, data=files["file"] | {"goals": goals}, case=case)
        context["case"] = case
        context["reason"] = form.cleaned_data.get("reason") or ""
    return render(request, "clawback/import_form.html", context, status=200 if report.ok else 400)


def _import(request, company, kind, main, goals, *, form, commit, case):
    return services.import_records(
        actor=request.user,
        company=company,
        kind=kind,
        content=main["content"],
        fmt=main["fmt"],
        file_name=main["name"],
        commit=commit,
        now=timezone.now(),
        restatement=case,
        reason=form.cleaned_data.get("reason") or "",
        goals_content=goals["content"] if goals else None,
        goals_fmt=goals["fmt"] if goals else "csv",
        goals_file_name=goals["name"] if goals else "",
    )


@capability_required("clawback.manage")
@require_GET
def import_template(request, kind, fmt):
    if kind not in services.COLUMNS or fmt not in services.FORMATS:
        raise Http404("Unknown template")
    return _download(
        exports.template_file(kind, fmt=fmt), services.FORMATS[fmt], f"clawback-{kind}-template.{fmt}"
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
    except PermissionDenied as exc:
        return refused(request, exc)
    messages.success(request, f"Imported as the draft case “{case.title}”.")
    return redirect("clawback:restatement-detail", pk=case.pk)


# --- Exports -----------------------------------------------------------------------------------------

_EXPORT_QUERYSETS = {
    "executives": executives_visible_to,
    "measures": measures_visible_to,
    "awards": awards_visible_to,
    "award_goals": awards_visible_to,
    "award_credits": awards_visible_to,
    "restatements": restatements_visible_to,
}


@capability_required("clawback.export")
@require_GET
def list_export(request, kind, fmt):
    """Every record of a list the user may see (the list's search is not applied: the whole list); a case's
    restated values with `?case=`."""
    if fmt not in services.FORMATS or (kind not in _EXPORT_QUERYSETS and kind != "restated_values"):
        raise Http404("Unknown export")
    restatement = None
    if kind == "restated_values":
        if not request.GET.get("case", "").isdigit():
            raise Http404("Choose the case whose restated values to export.")
        restatement = restatement_for_change(request.user, int(request.GET["case"]))
        queryset = RestatedValue.objects.filter(restatement=restatement)
    else:
        queryset = _EXPORT_QUERYSETS[kind](request.user)
    content, media_type, filename = exports.export_list(
        actor=request.user,
        company=current_company(),
        kind=kind,
        fmt=fmt,
        queryset=queryset,
        restatement=restatement,
    )
    return _download(content, media_type, filename)


@capability_required("clawback.export")
@require_GET
def case_scenario_export(request, pk):
    """The case as a clawback-scenario/2 file: re-evaluating it gives the worksheet's result."""
    restatement = restatement_for_change(request.user, pk)
    try:
        content = exports.export_case_scenario(actor=request.user, restatement=restatement)
    except ScenarioError:
        messages.error(request, "The case cannot be exported yet: complete its records (problems below).")
        return redirect("clawback:restatement-worksheet", pk=pk)
    return _download(content, "application/json", f"clawback-case-{restatement.pk}.scenario.json")
