"""Rows for the Reg FD program: incidents and the trading calendar (regfd/views/, regfd/api/), and the
policy records (regfd/views/records.py, regfd/views/spokespersons.py, regfd/api/records.py)."""

from compliance_site.accounts.roles import roles_with

from .table import (
    INCIDENT,
    INCIDENT_READERS,
    Expected,
    among,
    api,
    by_capability,
    everyone,
    post_only,
    seen_by,
    table,
    visible_incident,
    web,
)
from .world_records import closure, delegation, record, statement, statement_evidence

INCIDENTS = table(
    web("regfd:incident-list", among(INCIDENT_READERS)),
    web("regfd:incident-report", by_capability("regfd.report")),
    web("regfd:incident-detail", visible_incident(), INCIDENT),
    post_only(
        web,
        by_capability("regfd.manage", yes=405),
        {
            f"regfd:incident-{name}": (INCIDENT,)
            for name in (
                "record-disclosure",
                "close",
                "assess-materiality",
                "claim-exclusion",
                "correct-learned-at",
            )
        },
    ),
    # Concluding is counsel's (regfd.conclude).
    post_only(web, by_capability("regfd.conclude", yes=405), {"regfd:incident-conclude": (INCIDENT,)}),
    # The trading calendar: Administrators only (accounts.manage, reused; no capability of its own).
    web("regfd:calendar-list", by_capability("accounts.manage")),
    post_only(
        web,
        by_capability("accounts.manage", yes=405),
        {"regfd:calendar-add": (), "regfd:calendar-deactivate": (closure,)},
    ),
    # Reading incidents needs no capability of its own in the API; the selector decides (own reports only).
    api("regfd-api:incident-list", everyone(200)),
    api("regfd-api:incident-detail", visible_incident(), INCIDENT),
    post_only(
        api,
        everyone(405),
        {
            f"regfd-api:incident-{name}": (INCIDENT,)
            for name in (
                "record-disclosure",
                "close-not-required",
                "assess-materiality",
                "conclude",
                "claim-exclusion",
                "correct-learned-at",
            )
        },
    ),
    api("regfd-api:deadline", everyone(200), query="?learned_at=2026-03-03T14:00Z"),
    api("regfd-api:calendar-list", everyone(200)),
    # POST only, Administrators.
    post_only(api, everyone(405), {"regfd-api:calendar-deactivate": (closure,)}),
    # The library of public statements (docs/regfd-rules §2.9): the program's officers read it; the
    # Corporate Secretary, counsel and administrators (regfd.statements) add to it and attach from it.
    web("regfd:statement-list", by_capability("regfd.view")),
    web("regfd:statement-import", by_capability("regfd.statements")),
    web("regfd:statement-detail", by_capability("regfd.view"), statement),
    web("regfd:incident-statements", by_capability("regfd.statements"), INCIDENT),
    post_only(
        web,
        by_capability("regfd.statements", yes=405),
        {
            "regfd:statement-void": (statement,),
            "regfd:incident-attach-statement": (INCIDENT,),
            "regfd:incident-remove-statement": (INCIDENT, statement_evidence),
        },
    ),
    api("regfd-api:public-statement-list", by_capability("regfd.view")),
    api("regfd-api:public-statement-detail", by_capability("regfd.view"), statement),
    api("regfd-api:statement-evidence-list", by_capability("regfd.view")),
    api("regfd-api:statement-evidence-detail", by_capability("regfd.view"), statement_evidence),
    post_only(
        api,
        everyone(405),
        {
            "regfd-api:public-statement-void": (statement,),
            "regfd-api:statement-evidence-void": (statement_evidence,),
        },
    ),
)

# ---- Reg FD policy records ----
# One record of each kind, built through the services the first time a row needs it. The employee is the
# authorized spokesperson, the receiver of the request and the asker of the question: the program's officers
# (regfd.view) and the employee see those records, the committee member (regfd.access only) gets a 404.
REGFD_MANAGE_OR_APPROVE = roles_with("regfd.manage") | roles_with("regfd.approve")
REGFD_ACK_REPORT = roles_with("regfd.manage") | roles_with("regfd.export")
AUTHORIZATION, REQUEST, COMMUNICATION, EARNINGS, REVIEW, QUESTION, CONFIRMATION, DISTRIBUTION = map(
    record,
    (
        "authorization",
        "request",
        "communication",
        "earnings",
        "review",
        "question",
        "confirmation",
        "distribution",
    ),
)


def employee_record() -> dict[str, Expected]:
    return seen_by({r.value for r in roles_with("regfd.view")} | {"employee"})


def _authorization_status_query(w) -> str:
    return f"?person={w.users['employee'].pk}&on=2026-03-09T10:00:00-04:00"


RECORD_PAGES = table(
    web("regfd:records-home", everyone(200)),
    web("regfd:spokesperson-list", by_capability("regfd.view")),
    web("regfd:spokesperson-authorize", by_capability("regfd.approve")),
    web("regfd:spokesperson-keeping-current", by_capability("regfd.view")),
    web(
        "regfd:spokesperson-confirm",
        everyone(200),
        note="the page says whether there is anything to confirm",
    ),
    web("regfd:spokesperson-detail", employee_record(), AUTHORIZATION),
    web("regfd:request-list", everyone(200), note="the selector decides the rows"),
    web("regfd:request-log", by_capability("regfd.report")),
    web("regfd:request-detail", employee_record(), REQUEST),
    post_only(
        web,
        by_capability("regfd.approve", yes=405),
        {
            "regfd:spokesperson-revoke": (AUTHORIZATION,),
            "regfd:request-respond": (REQUEST,),
            "regfd:nongaap-delegation-revoke": (delegation,),
        },
    ),
    # The CFO or the CFO's delegate signs; a delegate may be a manager of the program, so the step is open to
    # them all and the service refuses whoever is neither.
    post_only(web, among(REGFD_MANAGE_OR_APPROVE, yes=405), {"regfd:nongaap-sign-off": (REVIEW,)}),
    web("regfd:communication-list", everyone(200)),
    web("regfd:communication-schedule", among(REGFD_MANAGE_OR_APPROVE)),
    web("regfd:communication-detail", employee_record(), COMMUNICATION),
    post_only(
        web,
        among(REGFD_MANAGE_OR_APPROVE, yes=405),
        {f"regfd:communication-{name}": (COMMUNICATION,) for name in ("held", "debrief", "cancel")},
    ),
    web("regfd:earnings-list", by_capability("regfd.view")),
    web("regfd:earnings-create", among(REGFD_MANAGE_OR_APPROVE)),
    web("regfd:earnings-detail", by_capability("regfd.view"), EARNINGS),
    web("regfd:earnings-edit", among(REGFD_MANAGE_OR_APPROVE), EARNINGS),
    web("regfd:nongaap-list", by_capability("regfd.view")),
    web("regfd:nongaap-create", among(REGFD_MANAGE_OR_APPROVE)),
    web("regfd:nongaap-detail", by_capability("regfd.view"), REVIEW),
    web("regfd:nongaap-edit", among(REGFD_MANAGE_OR_APPROVE), REVIEW),
    # The CFO's delegations of the sign-off: the program's officers read them; the authorized officers open
    # the form, which only the CFO can submit.
    web("regfd:nongaap-delegation-list", by_capability("regfd.view")),
    web("regfd:nongaap-delegation-create", by_capability("regfd.approve")),
    web("regfd:nongaap-delegation-detail", by_capability("regfd.view"), delegation),
    web("regfd:policyrecord-list", everyone(200)),
    web("regfd:policyrecord-rumor", among(REGFD_MANAGE_OR_APPROVE)),
    web("regfd:policyrecord-correction", among(REGFD_MANAGE_OR_APPROVE)),
    web("regfd:policyrecord-analyst-review", by_capability("regfd.approve")),
    web("regfd:policyrecord-question", by_capability("regfd.report")),
    web("regfd:policyrecord-detail", employee_record(), QUESTION),
    web("regfd:distribution-home", everyone(200)),
    web("regfd:distribution-outstanding", among(REGFD_ACK_REPORT)),
    post_only(
        web,
        by_capability("regfd.manage", yes=405),
        {"regfd:policyrecord-answer": (QUESTION,), "regfd:distribution-distribute": ()},
    ),
    post_only(web, everyone(405), {"regfd:distribution-acknowledge": ()}),
)

# API: reads need regfd.access and the selector decides (404 for another's record); earnings and Regulation G
# are regfd.view. A GET on a POST-only action is a 405 for everyone signed in.
RECORD_API = table(
    api("regfd-api:spokesperson-authorization-list", everyone(200)),
    api("regfd-api:spokesperson-authorization-detail", employee_record(), AUTHORIZATION),
    api(
        "regfd-api:spokesperson-authorization-status",
        by_capability("regfd.view"),
        query=_authorization_status_query,
    ),
    api("regfd-api:keeping-current-list", everyone(200)),
    api(
        "regfd-api:keeping-current-detail",
        by_capability("regfd.view", no=404),
        CONFIRMATION,
        note="the officer's own",
    ),
    api("regfd-api:keeping-current-missing", by_capability("regfd.view"), query="?period=2026-Q1"),
    api("regfd-api:information-request-list", everyone(200)),
    api("regfd-api:information-request-detail", employee_record(), REQUEST),
    api("regfd-api:communication-list", everyone(200)),
    api("regfd-api:communication-detail", employee_record(), COMMUNICATION),
    api("regfd-api:earnings-event-list", by_capability("regfd.view")),
    api("regfd-api:earnings-event-detail", by_capability("regfd.view"), EARNINGS),
    api("regfd-api:nongaap-review-list", by_capability("regfd.view")),
    api("regfd-api:nongaap-review-detail", by_capability("regfd.view"), REVIEW),
    api("regfd-api:nongaap-delegation-list", by_capability("regfd.view")),
    api("regfd-api:nongaap-delegation-detail", by_capability("regfd.view"), delegation),
    api("regfd-api:policy-record-list", everyone(200)),
    api("regfd-api:policy-record-detail", employee_record(), QUESTION),
    api("regfd-api:policy-distribution-list", everyone(200)),
    api("regfd-api:policy-distribution-detail", everyone(200), DISTRIBUTION),
    api("regfd-api:policy-distribution-outstanding", among(REGFD_ACK_REPORT), DISTRIBUTION),
    post_only(
        api,
        everyone(405),
        {
            "regfd-api:spokesperson-authorization-revoke": (AUTHORIZATION,),
            "regfd-api:information-request-respond": (REQUEST,),
            "regfd-api:communication-record-held": (COMMUNICATION,),
            "regfd-api:communication-debrief": (COMMUNICATION,),
            "regfd-api:communication-cancel": (COMMUNICATION,),
            "regfd-api:earnings-event-update-checklist": (EARNINGS,),
            "regfd-api:nongaap-review-revise": (REVIEW,),
            "regfd-api:nongaap-review-sign-off": (REVIEW,),
            "regfd-api:nongaap-delegation-revoke": (delegation,),
            "regfd-api:policy-record-rumor": (),
            "regfd-api:policy-record-correction": (),
            "regfd-api:policy-record-analyst-review": (),
            "regfd-api:policy-record-question": (),
            "regfd-api:policy-record-answer": (QUESTION,),
            "regfd-api:policy-distribution-acknowledge": (DISTRIBUTION,),
        },
    ),
)
