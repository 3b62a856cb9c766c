from django.urls import path

from .views import calendar, incidents

app_name = "regfd"

urlpatterns = [
    path("incidents/", incidents.incident_list, name="incident-list"),
    path("incidents/report/", incidents.incident_report, name="incident-report"),
    path("incidents/<int:pk>/", incidents.incident_detail, name="incident-detail"),
    path(
        "incidents/<int:pk>/record-disclosure/",
        incidents.incident_record_disclosure,
        name="incident-record-disclosure",
    ),
    path("incidents/<int:pk>/close/", incidents.incident_close, name="incident-close"),
    path(
        "incidents/<int:pk>/materiality/",
        incidents.incident_assess_materiality,
        name="incident-assess-materiality",
    ),
    path("incidents/<int:pk>/conclude/", incidents.incident_conclude, name="incident-conclude"),
    path(
        "incidents/<int:pk>/exclusions/", incidents.incident_claim_exclusion, name="incident-claim-exclusion"
    ),
    path(
        "incidents/<int:pk>/correct-learned-at/",
        incidents.incident_correct_learned_at,
        name="incident-correct-learned-at",
    ),
    # The trading calendar (Administrators only).
    path("calendar/", calendar.calendar_list, name="calendar-list"),
    path("calendar/add/", calendar.calendar_add, name="calendar-add"),
    path("calendar/<int:pk>/deactivate/", calendar.calendar_deactivate, name="calendar-deactivate"),
]

# Policy records: spokespersons, requests for MNPI, communications, earnings, Regulation G, the other records
# and the policy's distribution.
from .views import records, spokespersons  # noqa: E402

urlpatterns += [
    path("records/", records.records_home, name="records-home"),
    path("records/spokespersons/", spokespersons.spokesperson_list, name="spokesperson-list"),
    path(
        "records/spokespersons/authorize/",
        spokespersons.spokesperson_authorize,
        name="spokesperson-authorize",
    ),
    path(
        "records/spokespersons/keeping-current/",
        spokespersons.spokesperson_keeping_current,
        name="spokesperson-keeping-current",
    ),
    path("records/spokespersons/confirm/", spokespersons.spokesperson_confirm, name="spokesperson-confirm"),
    path("records/spokespersons/<int:pk>/", spokespersons.spokesperson_detail, name="spokesperson-detail"),
    path(
        "records/spokespersons/<int:pk>/revoke/",
        spokespersons.spokesperson_revoke,
        name="spokesperson-revoke",
    ),
    path("records/requests/", records.request_list, name="request-list"),
    path("records/requests/log/", records.request_log, name="request-log"),
    path("records/requests/<int:pk>/", records.request_detail, name="request-detail"),
    path("records/requests/<int:pk>/respond/", records.request_respond, name="request-respond"),
    path("records/communications/", records.communication_list, name="communication-list"),
    path("records/communications/schedule/", records.communication_schedule, name="communication-schedule"),
    path("records/communications/<int:pk>/", records.communication_detail, name="communication-detail"),
    path("records/communications/<int:pk>/held/", records.communication_held, name="communication-held"),
    path(
        "records/communications/<int:pk>/debrief/",
        records.communication_debrief,
        name="communication-debrief",
    ),
    path(
        "records/communications/<int:pk>/cancel/", records.communication_cancel, name="communication-cancel"
    ),
    path("records/earnings/", records.earnings_list, name="earnings-list"),
    path("records/earnings/new/", records.earnings_create, name="earnings-create"),
    path("records/earnings/<int:pk>/", records.earnings_detail, name="earnings-detail"),
    path("records/earnings/<int:pk>/edit/", records.earnings_edit, name="earnings-edit"),
    path("records/non-gaap/", records.nongaap_list, name="nongaap-list"),
    path("records/non-gaap/new/", records.nongaap_create, name="nongaap-create"),
    path("records/non-gaap/<int:pk>/", records.nongaap_detail, name="nongaap-detail"),
    path("records/non-gaap/<int:pk>/edit/", records.nongaap_edit, name="nongaap-edit"),
    path("records/non-gaap/<int:pk>/sign-off/", records.nongaap_sign_off, name="nongaap-sign-off"),
    path("records/log/", records.policyrecord_list, name="policyrecord-list"),
    path("records/log/rumor/", records.policyrecord_rumor, name="policyrecord-rumor"),
    path("records/log/correction/", records.policyrecord_correction, name="policyrecord-correction"),
    path(
        "records/log/analyst-review/", records.policyrecord_analyst_review, name="policyrecord-analyst-review"
    ),
    path("records/log/question/", records.policyrecord_question, name="policyrecord-question"),
    path("records/log/<int:pk>/", records.policyrecord_detail, name="policyrecord-detail"),
    path("records/log/<int:pk>/answer/", records.policyrecord_answer, name="policyrecord-answer"),
    path("records/policy/", records.distribution_home, name="distribution-home"),
    path("records/policy/distribute/", records.distribution_distribute, name="distribution-distribute"),
    path("records/policy/acknowledge/", records.distribution_acknowledge, name="distribution-acknowledge"),
    path("records/policy/outstanding/", records.distribution_outstanding, name="distribution-outstanding"),
]
