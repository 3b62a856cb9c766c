from django.urls import path

from compliance_site.registers.urls import register_urls

from .views import determinations, event_studies, imports, ixbrl, records, recovery, voiding, votes, whatif

app_name = "clawback"


def _record_pages(prefix: str, noun: str, **record):
    """A record's list, page, create ("new/") and edit pages, named `<noun>-list`, `-detail`, `-create` and
    `-edit`: the views `<noun>_list`, `<noun>_detail_view`, `<noun>_create` and `<noun>_edit` of
    views.records; `record` adds the record's other pages, as register_urls takes them."""
    return register_urls(
        prefix,
        noun,
        list=getattr(records, f"{noun}_list"),
        detail=getattr(records, f"{noun}_detail_view"),
        collection={"create": ("new", getattr(records, f"{noun}_create"))},
        record={"edit": getattr(records, f"{noun}_edit"), **record},
    )


# The registers: executives, measures, awards and restatements.
urlpatterns = [
    *_record_pages(
        "restatements/",
        "restatement",
        **{
            "event-add": ("events/new", records.restatement_event_add),
            "event-edit": ("events/<int:event_pk>/edit", records.restatement_event_edit),
            "worksheet": records.restatement_worksheet_view,
            "acknowledge": ("acknowledgements", records.restatement_acknowledge),
            "restated-values": voiding.restated_values_edit,
        },
    ),
    *_record_pages("executives/", "executive"),
    *_record_pages("measures/", "measure"),
    *_record_pages("awards/", "award", **{"credit-add": ("credits/new", voiding.award_credit_add)}),
]

CASE = "restatements/<int:pk>/workflow/"

# The other pages, by route: each named after its view (case_submit: "case-submit"), or (name, view).
ROUTES = {
    "restatements/<int:pk>/scenario.json": ("restatement-scenario", imports.case_scenario_export),
    "acknowledgements/": records.acknowledgement_list,
    "what-if/": whatif.whatif,
    "void/<slug:kind>/<int:pk>/": ("void", voiding.void_record_view),
    "recovery/events/<int:pk>/reverse/": voiding.recovery_event_reverse,
    "export/<str:kind>.<str:fmt>": imports.list_export,
    "import/": imports.import_index,
    "import/scenario/": imports.import_scenario,
    "import/<str:kind>/": imports.import_records,
    "import/<str:kind>/template.<str:fmt>": imports.import_template,
    # The steps of a case's workflow and its recovery (views.determinations, views.recovery).
    CASE: determinations.case_workflow,
    f"{CASE}submit/": determinations.case_submit,
    f"{CASE}estimates/": determinations.case_record_estimate,
    f"{CASE}designate/": determinations.case_designate,
    f"{CASE}decisions/": determinations.case_record_decision,
    f"{CASE}open-vote/": votes.case_open_vote,
    f"{CASE}no-indemnification/": determinations.case_confirm_no_indemnification,
    f"{CASE}start-recovery/": determinations.case_start_recovery,
    f"{CASE}close/": determinations.case_close,
    f"{CASE}reopen/": determinations.case_reopen,
    f"{CASE}recovery-events/": recovery.recovery_record_event,
    f"{CASE}claim-party/": recovery.recovery_set_party,
    f"{CASE}impracticability/": recovery.recovery_determine_impracticable,
    # What the workflow froze and decided, and Item 402(w) disclosure.
    "determinations/<int:pk>/": determinations.determination_detail,
    "decisions/<int:pk>/": votes.decision_detail,
    "decisions/<int:pk>/vote/": votes.decision_vote,
    "decisions/<int:pk>/record-vote/": votes.decision_record_vote,
    "decisions/<int:pk>/sign/": votes.decision_sign,
    "decisions/<int:pk>/withdraw/": votes.decision_withdraw,
    # Event studies behind a stock price or TSR estimate (views.event_studies).
    "prices/": ("price-set-list", event_studies.price_set_list),
    "prices/import/": ("price-import", event_studies.price_import),
    "prices/<int:pk>/": ("price-set-detail", event_studies.price_set_detail),
    "restatements/<int:pk>/event-studies/": ("case-event-studies", event_studies.case_event_studies),
    "event-studies/<int:pk>/": ("event-study-detail", event_studies.event_study_detail),
    "event-studies/<int:pk>/awards/<int:award_pk>/": ("event-study-apply", event_studies.event_study_apply),
    "event-studies/<int:pk>/data.csv": ("event-study-data", event_studies.event_study_data),
    "event-study-results/<int:pk>/answer/": ("event-study-answer", event_studies.event_study_answer),
    "disclosure/": ("disclosure", determinations.disclosure_report),
    # Item 402(w) tagged for EDGAR in Inline XBRL: the tagged values, and the document (views.ixbrl).
    "disclosure/ixbrl/": ("disclosure-ixbrl", ixbrl.disclosure_ixbrl),
    "disclosure/ixbrl/download/": ("disclosure-ixbrl-download", ixbrl.disclosure_ixbrl_download),
}


def _route(route: str, view) -> object:
    name, view = view if isinstance(view, tuple) else (view.__name__.replace("_", "-"), view)
    return path(route, view, name=name)


urlpatterns += [_route(route, view) for route, view in ROUTES.items()]
