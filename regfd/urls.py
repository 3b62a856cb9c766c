from django.urls import path

from compliance_site.registers.urls import register_urls

from .views import calendar, earnings, incidents, records
from .views import communications as com
from .views import delegations as dlg
from .views import distribution as dist
from .views import information_requests as req
from .views import policy_records as log
from .views import public_statements as ps
from .views import spokespersons as sp

app_name = "regfd"

urlpatterns = [
    *register_urls(
        "incidents/",
        "incident",
        list=incidents.incident_list,
        detail=incidents.incident_detail,
        collection={"report": incidents.incident_report},
        record={
            "record-disclosure": incidents.incident_record_disclosure,
            "close": incidents.incident_close,
            "assess-materiality": ("materiality", incidents.incident_assess_materiality),
            "conclude": incidents.incident_conclude,
            "claim-exclusion": ("exclusions", incidents.incident_claim_exclusion),
            "correct-learned-at": incidents.incident_correct_learned_at,
        },
    ),
    # The trading calendar (Administrators only).
    *register_urls(
        "calendar/",
        "calendar",
        list=calendar.calendar_list,
        collection={"add": calendar.calendar_add},
        record={"deactivate": calendar.calendar_deactivate},
    ),
]

# Policy records: spokespersons, requests for MNPI, communications, earnings, Regulation G, the other records
# and the policy's distribution.
urlpatterns += [
    path("records/", records.records_home, name="records-home"),
    *register_urls(
        "records/spokespersons/",
        "spokesperson",
        list=sp.spokesperson_list,
        detail=sp.spokesperson_detail,
        collection={
            "authorize": sp.spokesperson_authorize,
            "keeping-current": sp.spokesperson_keeping_current,
            "confirm": sp.spokesperson_confirm,
        },
        record={"revoke": sp.spokesperson_revoke},
    ),
    *register_urls(
        "records/requests/",
        "request",
        list=req.request_list,
        detail=req.request_detail,
        collection={"log": req.request_log},
        record={"respond": req.request_respond},
    ),
    *register_urls(
        "records/communications/",
        "communication",
        list=com.communication_list,
        detail=com.communication_detail,
        collection={"schedule": com.communication_schedule},
        record={
            "held": com.communication_held,
            "debrief": com.communication_debrief,
            "cancel": com.communication_cancel,
        },
    ),
    *register_urls(
        "records/earnings/",
        "earnings",
        list=earnings.earnings_list,
        detail=earnings.earnings_detail,
        collection={"create": ("new", earnings.earnings_create)},
        record={"edit": earnings.earnings_edit},
    ),
    *register_urls(
        "records/non-gaap/",
        "nongaap",
        list=earnings.nongaap_list,
        detail=earnings.nongaap_detail,
        collection={"create": ("new", earnings.nongaap_create)},
        record={"edit": earnings.nongaap_edit, "sign-off": earnings.nongaap_sign_off},
    ),
    # The CFO's delegations of the Regulation G sign-off.
    *register_urls(
        "records/non-gaap/delegations/",
        "nongaap-delegation",
        list=dlg.nongaap_delegation_list,
        detail=dlg.nongaap_delegation_detail,
        collection={"create": ("new", dlg.nongaap_delegation_create)},
        record={"revoke": dlg.nongaap_delegation_revoke},
    ),
    *register_urls(
        "records/log/",
        "policyrecord",
        list=log.policyrecord_list,
        detail=log.policyrecord_detail,
        collection={
            "rumor": log.policyrecord_rumor,
            "correction": log.policyrecord_correction,
            "analyst-review": log.policyrecord_analyst_review,
            "question": log.policyrecord_question,
        },
        record={"answer": log.policyrecord_answer},
    ),
    *register_urls(
        "records/policy/",
        "distribution",
        collection={
            "home": ("", dist.distribution_home),
            "distribute": dist.distribution_distribute,
            "acknowledge": dist.distribution_acknowledge,
            "outstanding": dist.distribution_outstanding,
        },
    ),
]

# The library of the company's public statements, and searching it from an incident (docs/regfd-rules §2.9).
urlpatterns += [
    *register_urls(
        "public-statements/",
        "statement",
        list=ps.statement_list,
        detail=ps.statement_detail,
        collection={"import": ("add", ps.statement_import)},
        record={"void": ps.statement_void},
    ),
    *register_urls(
        "incidents/",
        "incident",
        record={
            "statements": ("public-statements", ps.incident_statements),
            "attach-statement": ("public-statements/attach", ps.incident_attach_statement),
        },
    ),
    path(
        "incidents/<int:pk>/public-statements/<int:evidence_pk>/remove/",
        ps.incident_remove_statement,
        name="incident-remove-statement",
    ),
]
