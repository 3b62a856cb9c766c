"""The event study's pages: price sets and their import (with a dry run), a case's studies, a study with its
result and the committee's answer per award (docs/clawback-rules §1.7a)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from compliance_site.accounts.permissions import capability_required, has_capability
from compliance_site.paging import CappedCountPaginator as Paginator

from ..documents.event_study import event_study_csv, price_chart_svg
from ..forms.event_studies import AnswerForm, ApplyForm, PriceImportForm, StudyForm
from ..models import Award, EventStudy, EventStudyAward, PriceSet
from ..selectors import event_studies_visible_to, restatement_detail, restatements_visible_to
from ..services import event_studies as services
from ..services.estimates import needs_estimate
from .common import MANAGE, VIEW, company
from .imports import _stage, _staged, _unstage

KIND = "prices"


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- prices -----------------------------------------------------------------------------------------------


@capability_required(VIEW)
@require_GET
def price_set_list(request):
    current = company()
    sets = PriceSet.objects.filter(company=current).select_related("imported_by")
    page = Paginator(sets, 25).get_page(request.GET.get("page"))
    voided = PriceSet.all_objects.filter(company=current, voided_at__isnull=False).select_related("voided_by")
    return render(
        request, "clawback/event_studies/price_set_list.html", {"page": page, "voided_sets": list(voided)}
    )


@capability_required(VIEW)
@require_GET
def price_set_detail(request, pk):
    price_set = get_object_or_404(
        PriceSet.all_objects.select_related("imported_by", "voided_by"), pk=pk, company=company()
    )
    page = Paginator(price_set.points.order_by("day"), 50).get_page(request.GET.get("page"))
    studies = price_set.studies.filter(restatement__in=restatements_visible_to(request.user)).select_related(
        "restatement"
    )
    return render(
        request,
        "clawback/event_studies/price_set_detail.html",
        {"price_set": price_set, "page": page, "studies": studies},
    )


@capability_required(MANAGE)
def price_import(request):
    """GET: the form. POST `check`: the dry run, nothing saved; POST `import`: the set saved, or nothing."""
    form = PriceImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "report": None}
    if request.method != "POST":
        return render(request, "clawback/event_studies/price_import.html", context)
    if not form.is_valid():
        return render(request, "clawback/event_studies/price_import.html", context, status=400)
    upload, token = form.cleaned_data.get("file"), form.cleaned_data.get("token") or ""
    if upload is not None:
        staged = {
            "content": upload.read(),
            "name": upload.name,
            "fmt": upload.name.rsplit(".", 1)[-1].lower(),
        }
    else:
        staged = (_staged(request, kind=KIND, token=token, case=None) or {}).get("file")
        if staged is None:
            form.add_error("file", "Choose the price file.")
            return render(request, "clawback/event_studies/price_import.html", context, status=400)
    try:
        if request.POST.get("action") == "import":
            price_set = services.import_prices(
                actor=request.user,
                company=company(),
                file_name=staged["name"],
                data=staged["content"],
                name=form.cleaned_data["name"],
                source=form.cleaned_data["source"],
                accept_warnings=form.cleaned_data["accept_warnings"],
                now=timezone.now(),
            )
            if token:
                _unstage(request, token)
            messages.success(request, f"Imported {price_set.row_count} trading days into “{price_set.name}”.")
            return redirect("clawback:price-set-detail", price_set.pk)
        report = services.check_prices(file_name=staged["name"], data=staged["content"])
    except ValidationError as exc:
        _form_errors(form, exc)
        report = None
        if "file" not in getattr(exc, "error_dict", {}):
            report = services.check_prices(file_name=staged["name"], data=staged["content"])
        context["report"] = report
        context["token"] = token or _stage(request, kind=KIND, data=staged, case=None)
        return render(request, "clawback/event_studies/price_import.html", context, status=400)
    context["report"] = report
    context["token"] = _stage(request, kind=KIND, data=staged, case=None)
    context["preview"] = report.rows[:5] + report.rows[-5:] if len(report.rows) > 10 else report.rows
    return render(request, "clawback/event_studies/price_import.html", context)


# --- a case's studies -------------------------------------------------------------------------------------


def _study(request, pk) -> EventStudy:
    """A study of a case the user may see (a covered executive never sees the case about their pay)."""
    return get_object_or_404(
        event_studies_visible_to(request.user).select_related("restatement", "price_set", "run_by"), pk=pk
    )


@capability_required(VIEW)
def case_event_studies(request, pk):
    """A case's studies, and (POST, managers) a new one run on a price set."""
    case = restatement_detail(request.user, pk)
    price_sets = PriceSet.objects.filter(company=case.company)
    asked = str(request.POST.get("price_set") or request.GET.get("price_set") or "")
    # Only to propose the events: a set that is not a number is left to the form to refuse.
    chosen = price_sets.filter(pk=int(asked)).first() if asked.isdigit() and len(asked) < 12 else None
    proposed = services.proposed_events(case, chosen or price_sets.first())
    form = StudyForm(request.POST or None, price_sets=price_sets, proposed=proposed)
    if request.method == "POST":
        if not has_capability(request.user, MANAGE):
            raise PermissionDenied
        if form.is_valid():
            try:
                study = services.run_event_study(
                    actor=request.user, case=case, now=timezone.now(), **form.service_arguments()
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, f"Event study {study.pk} run on “{study.price_set}”.")
                return redirect("clawback:event-study-detail", study.pk)
    studies = EventStudy.all_objects.filter(restatement=case).select_related("price_set", "run_by")
    return render(
        request,
        "clawback/event_studies/case_studies.html",
        {"restatement": case, "studies": studies, "form": form, "price_sets": price_sets},
        status=400 if form.is_bound and form.errors else 200,
    )


def _award_rows(study: EventStudy, apply_form=None, answer_forms=None):
    """Each award of the case that rests on an estimate: its result from this study (if applied) and the
    form that goes with it."""
    case = study.restatement
    results = {
        r.award_id: r
        for r in EventStudyAward.objects.filter(study=study).select_related("award", "decided_by", "estimate")
    }
    rows = []
    awards = Award.objects.filter(executive__in=case.covered_executives.all()).select_related(
        "executive", "measure"
    )
    for award in awards.prefetch_related("components__measure"):
        if not needs_estimate(award):
            continue
        result = results.get(award.pk)
        form = refusal = None
        try:
            goal = services.study_goal(award)
        except ValidationError as exc:
            goal, refusal = None, " ".join(exc.messages)
        if result is None:
            if not refusal:  # a scorecard the study cannot estimate shows the reason instead
                form = (apply_form or {}).get(award.pk) or ApplyForm(
                    initial={"measure_kind": services.default_measure_kind(award)}, prefix=f"a{award.pk}"
                )
        elif result.pk in (answer_forms or {}):  # sent back with the service's reasons
            form = answer_forms[result.pk]
        elif result.outcome == EventStudyAward.Outcome.PROPOSED:
            form = AnswerForm(prefix=f"r{result.pk}")
        rows.append({"award": award, "result": result, "form": form, "goal": goal, "refusal": refusal})
    return rows


def _detail(request, study, *, apply_forms=None, answer_forms=None, status=200):
    chart = price_chart_svg(study.result.get("series", []), study.result.get("events", []))
    return render(
        request,
        "clawback/event_studies/study_detail.html",
        {
            "study": study,
            "restatement": study.restatement,
            "result": study.result,
            "chart": mark_safe(chart),  # noqa: S308 - built by price_chart_svg, every text escaped there
            "awards": _award_rows(study, apply_forms, answer_forms),
        },
        status=status,
    )


@capability_required(VIEW)
@require_GET
def event_study_detail(request, pk):
    return _detail(request, _study(request, pk))


@capability_required(MANAGE)
@require_POST
def event_study_apply(request, pk, award_pk):
    study = _study(request, pk)
    award = get_object_or_404(Award, pk=award_pk)
    form = ApplyForm(request.POST, request.FILES, prefix=f"a{award.pk}")
    if form.is_valid():
        try:
            upload, source = form.cleaned_data["peer_file"], ""
            if upload is not None:
                peers, source = services.read_peer_file(file_name=upload.name, data=upload.read())
            else:
                peers = services.parse_peer_tsrs(form.cleaned_data["peer_tsrs"])
            services.apply_to_award(
                actor=request.user,
                study=study,
                award=award,
                measure_kind=form.cleaned_data["measure_kind"],
                averaging_days=form.cleaned_data["averaging_days"],
                peer_tsrs=peers,
                peer_source=source,
                now=timezone.now(),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, f"The study was carried to {award.key}: the committee can now answer it."
            )
            return redirect(f"{study_url(study)}#award-{award.pk}")
    return _detail(request, study, apply_forms={award.pk: form}, status=400)


@capability_required(MANAGE)
@require_POST
def event_study_answer(request, pk):
    result = get_object_or_404(
        EventStudyAward.objects.select_related("study__restatement", "study__price_set", "award"),
        pk=pk,
        study__restatement__in=restatements_visible_to(request.user),
    )
    form = AnswerForm(request.POST, prefix=f"r{result.pk}")
    if form.is_valid():
        try:
            services.answer_result(actor=request.user, result=result, now=timezone.now(), **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"Recorded: {form.cleaned_data['outcome']} for {result.award.key}.")
            return redirect(f"{study_url(result.study)}#award-{result.award_id}")
    return _detail(request, result.study, answer_forms={result.pk: form}, status=400)


@capability_required(VIEW)
@require_GET
def event_study_data(request, pk):
    study = _study(request, pk)
    response = HttpResponse(event_study_csv(study), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-study-{study.pk}.csv"'
    return response


def study_url(study) -> str:
    return reverse("clawback:event-study-detail", args=[study.pk])
