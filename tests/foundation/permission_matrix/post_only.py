"""State-changing web routes, with who may post to each: a GET or HEAD is a 405 for them, an (invalid,
empty) POST reaches the view, and a POST without a CSRF token is refused."""

from .clawback import CASE_POST_WEB
from .regfd import AUTHORIZATION, COMMUNICATION, QUESTION, REQUEST, REVIEW
from .table import CASE, INCIDENT, url
from .world_records import closure, delegation, statement, statement_evidence, world_document

# {who may post: {URL name: its URL args}}
_POSTERS = {
    "secretary": {
        "regfd:incident-record-disclosure": (INCIDENT,),
        "regfd:incident-close": (INCIDENT,),
        "regfd:incident-assess-materiality": (INCIDENT,),
        "regfd:incident-claim-exclusion": (INCIDENT,),
        "regfd:incident-correct-learned-at": (INCIDENT,),
        "attachments:upload": ("regfd.incident", INCIDENT),
        "documents:document-request": (),
        "documents:document-regenerate": (world_document,),
        "clawback:restatement-acknowledge": (CASE,),
        # Reg FD policy records
        "regfd:communication-held": (COMMUNICATION,),
        "regfd:communication-cancel": (COMMUNICATION,),
        "regfd:policyrecord-answer": (QUESTION,),
        "regfd:distribution-distribute": (),
        # The clawback workflow's forms: an empty POST reaches the view and is refused with a 400.
        **{f"clawback:{name}": (CASE,) for name in CASE_POST_WEB},
    },
    "counsel": {
        "regfd:incident-conclude": (INCIDENT,),
        # The library of public statements (docs/regfd-rules §2.9).
        "regfd:statement-void": (statement,),
        "regfd:incident-attach-statement": (INCIDENT,),
        "regfd:incident-remove-statement": (INCIDENT, statement_evidence),
    },
    "admin": {"regfd:calendar-add": (), "regfd:calendar-deactivate": (closure,)},
    "employee": {
        "accounts:logout": (),
        "regfd:distribution-acknowledge": (),
        "calendar_feed:link-create": (),
        "calendar_feed:link-revoke": (),
    },
    "officer": {
        "regfd:spokesperson-revoke": (AUTHORIZATION,),
        "regfd:request-respond": (REQUEST,),
        "regfd:communication-debrief": (COMMUNICATION,),
        "regfd:nongaap-sign-off": (REVIEW,),
        "regfd:nongaap-delegation-revoke": (delegation,),
    },
}

# key: (who may post, world -> URL)
POST_ONLY = {
    name: (who, url(name, *args)) for who, routes in _POSTERS.items() for name, args in routes.items()
}
