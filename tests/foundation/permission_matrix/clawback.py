"""Rows for the clawback program: its pages (clawback/views/), its API (clawback/api/), the determination
workflow, recovery and disclosure."""

from .table import (
    AWARD,
    CASE,
    EXECUTIVE,
    api,
    by_capability,
    everyone,
    list_and_detail,
    post_only,
    table,
    web,
)
from .world_records import (
    claim,
    decision,
    determination,
    event,
    first_officer_period,
    fiscal_year_query,
    measure,
    price_set,
    recovery_event,
    study,
    study_result,
)

VIEW = by_capability("clawback.view")
EXPORT = by_capability("clawback.export")
MANAGE = by_capability("clawback.manage")
MANAGE_POSTS = by_capability("clawback.manage", yes=405)  # a GET on a POST-only route is a 405


def tagged_year_query(w) -> str:
    """The world's fiscal year, its company given an SEC CIK: Item 402(w) is tagged for EDGAR on it."""
    type(w.company).objects.filter(pk=w.company.pk).update(cik="0000046129")
    return fiscal_year_query(w)


# The world's case cannot be evaluated (its company has no fiscal calendar): the worksheet page says why,
# the scenario export sends the user there, the API answers 409.
CASE_INCOMPLETE = "/clawback/restatements/"
NO_FISCAL_CALENDAR = "the world's case has no fiscal calendar"

# The workflow's state changes on a case: forms on the pages, actions in the API.
CASE_POST_WEB = [
    "case-submit",
    "case-record-estimate",
    "case-designate",
    "case-record-decision",
    "case-open-vote",
    "case-confirm-no-indemnification",
    "case-start-recovery",
    "case-close",
    "case-reopen",
    "recovery-record-event",
    "recovery-set-party",
    "recovery-determine-impracticable",
]
CASE_POST_API = [name for name in CASE_POST_WEB if name.startswith("case-")]
CLAIM_POST_API = ["claim-record-recovery-event", "claim-determine-impracticable", "claim-set-party"]
DECISION_POST_API = ["decision-vote", "decision-record-vote", "decision-sign", "decision-withdraw"]
# A decision's steps on its page: each member's vote, a vote from the minutes (the secretary), a signature
# (the chair or the secretary: the view asks which after clawback.view), withdrawing an open vote.
DECISION_POST_WEB = {
    "clawback:decision-vote": by_capability("clawback.vote", yes=405),
    "clawback:decision-record-vote": by_capability("clawback.secretary", yes=405),
    "clawback:decision-sign": by_capability("clawback.view", yes=405),
    "clawback:decision-withdraw": MANAGE_POSTS,
}

PAGES = table(
    list_and_detail(
        web,
        VIEW,
        {
            "clawback:restatement": CASE,
            "clawback:executive": EXECUTIVE,
            "clawback:measure": measure,
            "clawback:award": AWARD,
        },
    ),
    web("clawback:restatement-create", MANAGE),
    web("clawback:restatement-edit", MANAGE, CASE),
    web("clawback:restatement-event-add", MANAGE, CASE),
    web("clawback:restatement-event-edit", MANAGE, CASE, event),
    web("clawback:restatement-worksheet", VIEW, CASE),
    web("clawback:restatement-restated-values", MANAGE, CASE),
    web("clawback:restatement-scenario", by_capability("clawback.export", yes=(302, CASE_INCOMPLETE)), CASE),
    post_only(web, MANAGE_POSTS, {"clawback:restatement-acknowledge": (CASE,)}),
    web("clawback:acknowledgement-list", VIEW),
    web("clawback:executive-create", MANAGE),
    web("clawback:executive-edit", MANAGE, EXECUTIVE),
    web("clawback:measure-create", MANAGE),
    web("clawback:measure-edit", MANAGE, measure),
    web("clawback:award-create", MANAGE),
    web("clawback:award-edit", MANAGE, AWARD),
    web("clawback:award-credit-add", MANAGE, AWARD),
    web("clawback:void", MANAGE, "award", AWARD),
    # Reversing a ledger entry changes the case: an auditor or a director reads it, as the API always said.
    web("clawback:recovery-event-reverse", MANAGE, recovery_event),
    web("clawback:whatif", by_capability("clawback.whatif")),
    web("clawback:list-export", by_capability("clawback.export"), "awards", "csv"),
    web("clawback:import-index", MANAGE),
    web("clawback:import-scenario", MANAGE),
    web("clawback:import-records", MANAGE, "executives"),
    web("clawback:import-template", MANAGE, "awards", "xlsx"),
    # ---- determination workflow, recovery and disclosure ----
    web("clawback:case-workflow", VIEW, CASE),
    post_only(web, MANAGE_POSTS, {f"clawback:{name}": (CASE,) for name in CASE_POST_WEB}),
    web("clawback:determination-detail", VIEW, determination),
    web("clawback:decision-detail", VIEW, decision),
    *[row for name, roles in DECISION_POST_WEB.items() for row in post_only(web, roles, {name: (decision,)})],
    web("clawback:disclosure", VIEW, query=fiscal_year_query),
    web("clawback:disclosure-ixbrl", EXPORT, query=tagged_year_query),
    web("clawback:disclosure-ixbrl-download", EXPORT, query=tagged_year_query),
    # ---- event studies behind a stock price or TSR estimate ----
    web("clawback:price-set-list", VIEW),
    web("clawback:price-set-detail", VIEW, price_set),
    web("clawback:price-import", MANAGE),
    web("clawback:case-event-studies", VIEW, CASE),
    web("clawback:event-study-detail", VIEW, study),
    web("clawback:event-study-data", VIEW, study),
    post_only(
        web,
        MANAGE_POSTS,
        {"clawback:event-study-apply": (study, AWARD), "clawback:event-study-answer": (study_result,)},
    ),
)

API = table(
    # A GET on the what-if calculator, a POST-only endpoint: 405 for roles holding clawback.whatif, else 403.
    api("clawback-api:whatif", by_capability("clawback.whatif", yes=405)),
    list_and_detail(
        api,
        VIEW,
        {
            "clawback-api:restatement": CASE,
            "clawback-api:executive": EXECUTIVE,
            "clawback-api:award": AWARD,
            "clawback-api:measure": measure,
            "clawback-api:determination": determination,
            "clawback-api:decision": decision,
            "clawback-api:claim": claim,
        },
    ),
    api("clawback-api:acknowledgement-list", VIEW),
    api(
        "clawback-api:restatement-worksheet",
        by_capability("clawback.view", yes=409),
        CASE,
        note=NO_FISCAL_CALENDAR,
    ),
    api(
        "clawback-api:restatement-scenario",
        by_capability("clawback.export", yes=409),
        CASE,
        note=NO_FISCAL_CALENDAR,
    ),
    # Creating and editing records, voiding (never deleting), restated values, credits and ledger
    # reversals: POST only (clawback.manage); the method check comes before the record is looked up.
    post_only(
        api,
        MANAGE_POSTS,
        {
            f"clawback-api:{name}": args
            for name, args in {
                "executive-create": (),
                "executive-update": (EXECUTIVE,),
                "measure-create": (),
                "measure-update": (measure,),
                "award-create": (),
                "award-update": (AWARD,),
                "restatement-create": (),
                "restatement-update": (CASE,),
                "restatement-event-create": (CASE,),
                "restatement-event-update": (CASE, event),
                "acknowledgement-create": (),
                "executive-void": (EXECUTIVE,),
                "executive-officer-period-void": (EXECUTIVE, first_officer_period),
                "measure-void": (measure,),
                "measure-value-void": (measure, 1),
                "award-void": (AWARD,),
                "award-component-void": (AWARD, 1),
                "award-credit-create": (AWARD,),
                "award-credit-void": (AWARD, 1),
                "restatement-event-void": (CASE, event),
                "restatement-restated-values": (CASE,),
                "restatement-restated-value-void": (CASE, 1),
                "restatement-estimate-void": (CASE, 1),
                "claim-event-reverse": (claim, 1),
            }.items()
        },
    ),
    # ---- determination workflow, recovery and disclosure ----
    api("clawback-api:case-workflow", VIEW, CASE),
    post_only(api, everyone(405), {f"clawback-api:{name}": (CASE,) for name in CASE_POST_API}),
    post_only(api, everyone(405), {f"clawback-api:{name}": (claim,) for name in CLAIM_POST_API}),
    post_only(api, everyone(405), {f"clawback-api:{name}": (decision,) for name in DECISION_POST_API}),
    api("clawback-api:disclosure", VIEW, query=fiscal_year_query),
    api("clawback-api:disclosure-ixbrl", EXPORT, query=tagged_year_query),
    # ---- event studies: reads need clawback.view (GET on a POST-only route: 405 for them) ----
    api("clawback-api:price-set-list", VIEW),
    api("clawback-api:price-set-detail", VIEW, price_set),
    api("clawback-api:case-event-studies", VIEW, CASE),
    api("clawback-api:event-study-detail", VIEW, study),
    api("clawback-api:event-study-data", VIEW, study),
    post_only(
        api,
        by_capability("clawback.view", yes=405),
        {
            "clawback-api:event-study-apply": (study,),
            "clawback-api:event-study-answer": (study_result,),
            "clawback-api:event-study-void": (study,),
            "clawback-api:price-set-void": (price_set,),
        },
    ),
)
