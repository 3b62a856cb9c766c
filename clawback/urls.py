from django.urls import path

from .views import imports, records, voiding, whatif

app_name = "clawback"

urlpatterns = [
    path("restatements/", records.restatement_list, name="restatement-list"),
    path("restatements/<int:pk>/", records.restatement_detail_view, name="restatement-detail"),
    path("executives/", records.executive_list, name="executive-list"),
    path("awards/", records.award_list, name="award-list"),
    path("what-if/", whatif.whatif, name="whatif"),
    # ---- records (executives, measures, awards, restatements), imports and exports ----
    path("restatements/new/", records.restatement_create, name="restatement-create"),
    path("restatements/<int:pk>/edit/", records.restatement_edit, name="restatement-edit"),
    path("restatements/<int:pk>/events/new/", records.restatement_event_add, name="restatement-event-add"),
    path(
        "restatements/<int:pk>/events/<int:event_pk>/edit/",
        records.restatement_event_edit,
        name="restatement-event-edit",
    ),
    path(
        "restatements/<int:pk>/worksheet/", records.restatement_worksheet_view, name="restatement-worksheet"
    ),
    path(
        "restatements/<int:pk>/acknowledgements/",
        records.restatement_acknowledge,
        name="restatement-acknowledge",
    ),
    path("acknowledgements/", records.acknowledgement_list, name="acknowledgement-list"),
    path("restatements/<int:pk>/scenario.json", imports.case_scenario_export, name="restatement-scenario"),
    path("executives/new/", records.executive_create, name="executive-create"),
    path("executives/<int:pk>/", records.executive_detail_view, name="executive-detail"),
    path("executives/<int:pk>/edit/", records.executive_edit, name="executive-edit"),
    path("measures/", records.measure_list, name="measure-list"),
    path("measures/new/", records.measure_create, name="measure-create"),
    path("measures/<int:pk>/", records.measure_detail_view, name="measure-detail"),
    path("measures/<int:pk>/edit/", records.measure_edit, name="measure-edit"),
    path("awards/new/", records.award_create, name="award-create"),
    path("awards/<int:pk>/", records.award_detail_view, name="award-detail"),
    path("awards/<int:pk>/edit/", records.award_edit, name="award-edit"),
    path("awards/<int:pk>/credits/new/", voiding.award_credit_add, name="award-credit-add"),
    path(
        "restatements/<int:pk>/restated-values/",
        voiding.restated_values_edit,
        name="restatement-restated-values",
    ),
    path("void/<slug:kind>/<int:pk>/", voiding.void_record_view, name="void"),
    path("recovery/events/<int:pk>/reverse/", voiding.recovery_event_reverse, name="recovery-event-reverse"),
    path("export/<str:kind>.<str:fmt>", imports.list_export, name="list-export"),
    path("import/", imports.import_index, name="import-index"),
    path("import/scenario/", imports.import_scenario, name="import-scenario"),
    path("import/<str:kind>/", imports.import_records, name="import-records"),
    path("import/<str:kind>/template.<str:fmt>", imports.import_template, name="import-template"),
]

# ---- determination workflow, recovery and Item 402(w) disclosure (views.determinations, views.recovery) ----
from .views import determinations, recovery  # noqa: E402  (appended: the list above belongs to the records module)

urlpatterns += [
    path("restatements/<int:pk>/workflow/", determinations.case_workflow, name="case-workflow"),
    path("restatements/<int:pk>/workflow/submit/", determinations.case_submit, name="case-submit"),
    path(
        "restatements/<int:pk>/workflow/estimates/",
        determinations.case_record_estimate,
        name="case-record-estimate",
    ),
    path("restatements/<int:pk>/workflow/designate/", determinations.case_designate, name="case-designate"),
    path(
        "restatements/<int:pk>/workflow/decisions/",
        determinations.case_record_decision,
        name="case-record-decision",
    ),
    path(
        "restatements/<int:pk>/workflow/no-indemnification/",
        determinations.case_confirm_no_indemnification,
        name="case-confirm-no-indemnification",
    ),
    path(
        "restatements/<int:pk>/workflow/start-recovery/",
        determinations.case_start_recovery,
        name="case-start-recovery",
    ),
    path("restatements/<int:pk>/workflow/close/", determinations.case_close, name="case-close"),
    path("restatements/<int:pk>/workflow/reopen/", determinations.case_reopen, name="case-reopen"),
    path(
        "restatements/<int:pk>/workflow/recovery-events/",
        recovery.recovery_record_event,
        name="recovery-record-event",
    ),
    path(
        "restatements/<int:pk>/workflow/claim-party/", recovery.recovery_set_party, name="recovery-set-party"
    ),
    path(
        "restatements/<int:pk>/workflow/impracticability/",
        recovery.recovery_determine_impracticable,
        name="recovery-determine-impracticable",
    ),
    path("determinations/<int:pk>/", determinations.determination_detail, name="determination-detail"),
    path("decisions/<int:pk>/", determinations.decision_detail, name="decision-detail"),
    path("disclosure/", determinations.disclosure_report, name="disclosure"),
]
