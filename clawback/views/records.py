"""Records pages: executives, measures, awards and restatements, their lists, details and forms, and
the recovery worksheet. Reading needs clawback.view, changing clawback.manage; every change is one
service call (clawback.services.records).

The lists, record pages and forms are registers (docs/architecture.md, "Registers"): each declares its
selector, template and service, on `RecordList`, `RecordDetail` and `ChangePage`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from compliance_site.accounts.permissions import capability_required, has_capability
from compliance_site.company.selectors import policy_in_force
from compliance_site.registers import Register, ServiceCall
from compliance_site.registers.views import Filter, RecordDetail, RecordList

from ..documents.snapshots import final_refusal
from ..forms.records import (
    AwardForm,
    CreditForm,
    ExecutiveForm,
    GoalForm,
    GoalFormSet,
    MeasureForm,
    MeasureValueFormSet,
    OfficerPeriodFormSet,
    goals_from,
    measure_values_from,
    officer_periods_from,
)
from ..forms.restatements import AcknowledgementForm, RestatementEventForm, RestatementForm
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
    search_awards,
    search_executives,
    search_measures,
    search_restatements,
    voided_rows,
)
from ..services import records as services
from ..services.walls import check_may_change_inputs
from .common import MANAGE, VIEW, ChangePage, add_errors, company, refused, today

# Explicit order for the cases: pagination needs a stable one whatever the annotations.
RESTATEMENTS = Register(restatement_list_rows, search_restatements, ("-created_at", "-id"))
EXECUTIVES = Register(executive_list_rows, search_executives)
MEASURES = Register(measure_list_rows, search_measures)
AWARDS = Register(awards_visible_to, search_awards)


class _Found:
    """The record through its detail selector (`find`): a voided one only on its own page, never to
    change."""

    include_voided = False

    def get_object(self):
        return self.find(self.request.user, self.kwargs["pk"], include_voided=self.include_voided)


class _Listed(RecordList):
    """A list of records a person can void: voided ones are listed too on request."""

    capability = VIEW
    voided_toggle = True


class _Shown(_Found, RecordDetail):
    """A record's page: managers may change it while it is not voided."""

    capability = VIEW
    include_voided = True
    attachments_label = "Attachments"

    def get_context(self, record, **extra):
        return {"can_manage": has_capability(self.request.user, MANAGE) and not record.is_voided}


class _WithRows(_Found, ChangePage):
    """A record of the company edited with the grid of its rows (periods of service, values), posted
    together: a row on record comes back with its id, a new one from the blank row. The rows are the
    record's `grid_field` and the service's keyword for them; `rows_from(formset)` reads them."""

    formset = None
    row_fields: tuple[str, ...] = ()

    def form_kwargs(self) -> dict:
        return {}

    def get_forms(self, record):
        self.company = record.company if record else company()
        initial = self.form_class.initial_for(record) if record else None
        rows = getattr(record, self.grid_field).all() if record else ()
        return {
            "form": self.form_class(self.data, initial=initial, **self.form_kwargs()),
            self.grid: self.formset(
                self.data,
                prefix=self.grid,
                initial=[{"id": row.pk, **{f: getattr(row, f) for f in self.row_fields}} for row in rows],
            ),
        }

    def service_data(self, record, forms):
        data = dict(forms["form"].cleaned_data, **{self.grid_field: self.rows_from(forms[self.grid])})
        return data if record else dict(data, company=self.company)


# --- Restatements ---------------------------------------------------------------------------------


class _Restatements:
    register, urls, context_object_name = RESTATEMENTS, "clawback:restatement", "restatement"


class RestatementList(_Restatements, RecordList):
    capability = VIEW
    template_name = "clawback/restatement_list.html"
    filters = (Filter("status", "Status", Restatement.Status.choices, "Any status"),)


class RestatementDetail(_Restatements, RecordDetail):
    capability = VIEW
    template_name = "clawback/restatement_detail.html"

    def get_object(self):
        return restatement_full_detail(self.request.user, self.kwargs["pk"])

    def get_context(self, restatement, **extra):
        events = list(restatement.events.all())
        return {
            "events": events,
            "restated_values": restatement.restated_values.select_related("value__measure").order_by(
                "value__measure__name", "value__period_label"
            ),
            "voided_events": voided_rows(RestatementEvent.all_objects, restatement=restatement),
            "voided_restated": voided_rows(
                RestatedValue.all_objects, related=("value__measure", "restatement"), restatement=restatement
            ),
            "required_on": required_to_prepare(EngineEvent(kind=e.kind, date=e.date) for e in events),
            "recused": is_recused(self.request.user, restatement),
            "can_manage": has_capability(self.request.user, MANAGE),
            "final_refusal": final_refusal(restatement) if restatement.is_signed_off() else None,
        }


class RestatementEdit(_Restatements, ChangePage):
    template_name = "clawback/restatement_form.html"

    def get_object(self):
        return restatement_for_change(self.request.user, self.kwargs["pk"])

    def get_forms(self, restatement):
        executives = executives_visible_to(self.request.user).order_by("name")
        self.company = restatement.company if restatement is not None else company()
        events = list(restatement.events.all()) if restatement is not None else ()
        proposed = proposed_covered_executives(self.company, executives, events=events, today=today())
        if restatement is not None:
            initial = RestatementForm.initial_for(restatement)
        else:
            # No executive is ticked for the user: the form marks those proposed and the user confirms each.
            policy = policy_in_force("clawback", on=today())
            initial = {"policy_version": policy.pk if policy else None}
        signed_off = restatement is not None and restatement.is_signed_off()
        form = RestatementForm(
            self.data, initial=initial, executives=executives, proposed=proposed, signed_off=signed_off
        )
        return {"form": form}

    def service_data(self, restatement, forms):
        data = forms["form"].cleaned_data
        data = dict(data, covered_executives=list(data["covered_executives"]))
        if restatement is None:
            return dict(data, company=self.company, today=today())
        return {"reason": "", **data}

    def get_context(self):
        return {}


class EventEdit(ChangePage):
    """An event of a case: recorded (routed with the case) or changed (routed with the case and the
    event)."""

    template_name = "clawback/restatement_event_form.html"
    context_object_name = "event"
    form_class = RestatementEventForm

    def get(self, request, *args, **kwargs):
        self.case = restatement_for_change(request.user, kwargs["pk"])
        if "event_pk" not in kwargs:
            # A new event is a change of the case: the form is refused to someone walled from it.
            try:
                check_may_change_inputs(request.user, self.case)
            except PermissionDenied as exc:
                return refused(request, exc)
        return super().get(request, *args, **kwargs)

    post = get

    def get_object(self):
        if "event_pk" not in self.kwargs:
            return None
        return get_object_or_404(self.case.events.all(), pk=self.kwargs["event_pk"])

    def get_forms(self, event):
        initial = RestatementEventForm.initial_for(event) if event is not None else None
        return {
            "form": RestatementEventForm(self.data, initial=initial, signed_off=self.case.is_signed_off())
        }

    def service_data(self, event, forms):
        return dict(forms["form"].cleaned_data, **({"restatement": self.case} if event is None else {}))

    def success_url(self, event):
        return reverse("clawback:restatement-detail", args=[self.case.pk])

    cancel_url = success_url

    def get_context(self):
        return {"restatement": self.case}


restatement_list = RestatementList.as_view()
restatement_detail_view = RestatementDetail.as_view()
restatement_create = RestatementEdit.as_view(
    call=ServiceCall(services.record_restatement),
    message="Restatement recorded. Record its events and its restated values next.",
)
restatement_edit = RestatementEdit.as_view(
    call=ServiceCall(services.update_restatement, record="restatement"),
    message="Restatement updated.",
)
restatement_event_add = EventEdit.as_view(
    call=ServiceCall(services.add_restatement_event), message="Event recorded."
)
restatement_event_edit = EventEdit.as_view(
    call=ServiceCall(services.update_restatement_event, record="event"), message="Event updated."
)


@capability_required(VIEW)
def restatement_worksheet_view(request, pk):
    restatement = restatement_full_detail(request.user, pk)
    worksheet = restatement_worksheet(restatement, today=today())
    can_manage = has_capability(request.user, MANAGE)
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
        add_errors(form, exc)
        return False
    messages.success(request, f"Acknowledgement of {policy} by {form.cleaned_data['executive']} recorded.")
    return True


@capability_required(MANAGE)
@require_POST
def restatement_acknowledge(request, pk):
    """Record a covered executive's acknowledgement of the case's clawback policy version."""
    restatement = restatement_full_detail(request.user, pk)
    worksheet = restatement_worksheet(restatement, today=today())
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


@capability_required(VIEW)
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
        policy = policy_in_force("clawback", on=today()) or policies.first()
    only_missing = request.GET.get("missing") == "1"
    can_manage = has_capability(request.user, MANAGE)
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


class _Executives:
    register, urls, context_object_name = EXECUTIVES, "clawback:executive", "executive"
    find = staticmethod(executive_detail)


class ExecutiveList(_Executives, _Listed):
    template_name = "clawback/executive_list.html"


class ExecutiveDetail(_Executives, _Shown):
    template_name = "clawback/executive_detail.html"

    def get_context(self, executive, **extra):
        return {
            "awards": awards_visible_to(self.request.user).filter(executive=executive),
            "voided_periods": voided_rows(
                OfficerPeriod.all_objects, related=("executive",), executive=executive
            ),
            **super().get_context(executive),
        }


class ExecutiveEdit(_Executives, _WithRows):
    template_name = "clawback/executive_form.html"
    message = "{object.name} saved."
    create, update = staticmethod(services.create_executive), staticmethod(services.update_executive)
    form_class, formset = ExecutiveForm, OfficerPeriodFormSet
    grid, grid_field, row_fields = "periods", "officer_periods", ("start", "end", "title")
    rows_from = staticmethod(officer_periods_from)

    def form_kwargs(self):
        return {"company": self.company}


# --- Measures -------------------------------------------------------------------------------------


class _Measures:
    register, urls, context_object_name = MEASURES, "clawback:measure", "measure"
    find = staticmethod(measure_detail)


class MeasureList(_Measures, _Listed):
    template_name = "clawback/measure_list.html"
    filters = (Filter("category", "Category", Measure.Category.choices, "Any category"),)


class MeasureDetail(_Measures, _Shown):
    template_name = "clawback/measure_detail.html"

    def get_context(self, measure, **extra):
        return {
            "awards": awards_visible_to(self.request.user).filter(measure=measure),
            "voided_values": voided_rows(MeasureValue.all_objects, related=("measure",), measure=measure),
            **super().get_context(measure),
        }


class MeasureEdit(_Measures, _WithRows):
    template_name = "clawback/measure_form.html"
    message = "{object.name} saved."
    create, update = staticmethod(services.create_measure), staticmethod(services.update_measure)
    form_class, formset = MeasureForm, MeasureValueFormSet
    grid, grid_field, row_fields = "values", "values", ("period_label", "original", "source")
    rows_from = staticmethod(measure_values_from)


# --- Awards ---------------------------------------------------------------------------------------


class _Awards:
    register, urls, context_object_name = AWARDS, "clawback:award", "award"
    find = staticmethod(award_detail)


class AwardList(_Awards, _Listed):
    template_name = "clawback/award_list.html"
    filters = (
        Filter("type", "Type", Award.Type.choices, "Any type"),
        Filter("basis", "Basis", Award.Basis.choices, "Any basis"),
    )
    per_page = 50

    def search_params(self, **params):
        params["award_type"] = params.pop("type")  # the query parameter's name is the filter's
        return params


class AwardDetail(_Awards, _Shown):
    template_name = "clawback/award_detail.html"

    def get_context(self, award, **extra):
        shown = super().get_context(award)
        policy = policy_in_force("clawback", on=today())
        return {
            **shown,
            "voided_goals": voided_rows(
                AwardComponent.all_objects, related=("award", "measure"), award=award
            ),
            "voided_credits": voided_rows(AwardCredit.all_objects, related=("award",), award=award),
            "credit_form": CreditForm(cases=restatements_for_change(self.request.user))
            if shown["can_manage"]
            else None,
            "policy": policy,
            "policy_applies": policy_applies_to(award, policy),
            "listing_effective": LISTING_STANDARD_EFFECTIVE,
        }


class AwardEdit(_Awards, _Found, ChangePage):
    template_name = "clawback/award_form.html"
    message = "Award {object.key} saved."
    create, update = staticmethod(services.create_award), staticmethod(services.update_award)

    def get_forms(self, award):
        if award is None:
            company()
        initial = (
            AwardForm.initial_for(award)
            if award is not None
            else {"executive": self.request.GET.get("executive")}
        )
        measures = measures_visible_to(self.request.user).order_by("name")
        executives = executives_visible_to(self.request.user).order_by("name")
        form = AwardForm(self.data, initial=initial, executives=executives, measures=measures)
        # The goals grid counts only for a scorecard award; any other award ignores it (and may omit it).
        scorecard = self.data is not None and self.data.get("formula_kind") == AwardForm.FORMULA_SCORECARD
        goals = GoalFormSet(
            self.data if scorecard else None,
            prefix="goals",
            measures=measures,
            initial=[GoalForm.initial_for(c) for c in award.components.all()] if award is not None else [],
        )
        return {"form": form, "goals": goals}

    def service_data(self, award, forms):
        form = forms["form"]
        components = goals_from(forms["goals"]) if form.cleaned_data["scorecard_target"] is not None else []
        return dict(form.service_kwargs(), executive=form.cleaned_data["executive"], components=components)

    def show_refusal(self, forms, exc):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        forms["form"].add_service_errors(errors)


executive_list = ExecutiveList.as_view()
executive_detail_view = ExecutiveDetail.as_view()
executive_create = executive_edit = ExecutiveEdit.as_view()
measure_list = MeasureList.as_view()
measure_detail_view = MeasureDetail.as_view()
measure_create = measure_edit = MeasureEdit.as_view()
award_list = AwardList.as_view()
award_detail_view = AwardDetail.as_view()
award_create = award_edit = AwardEdit.as_view()
