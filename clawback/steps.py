"""Where a clawback case stands and the one step to take next: a pure function of a few facts about the case.

The case page leads with this: the steps in the order the policy takes them, each done or not, and the
first one not done as "the next step" with its form; every other step's form stays a click away. The steps
are guidance, not gates: the services still decide what may be done in which status (clawback.services),
so a step shown as done here never allows anything by itself.
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class CaseFacts:
    status: str  # Restatement.Status value: draft, review, approved, recovery, closed
    required_on_known: bool  # an event fixes the date the company was required to prepare the restatement
    restated_values: int
    covered_executives: int
    estimates_pending: int  # awards whose amount waits for a reasonable estimate
    vote_open: bool  # a decision of the case is open for the members' votes
    signature_waiting: str = ""  # who has still to sign the approval ("" when nobody)
    no_indemnification: bool = False
    outstanding: Decimal = Decimal("0.00")
    claims: int = 0


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    done: bool
    says: str  # one sentence on what the step is, or how it stands


_APPROVED_OR_LATER = {"approved", "recovery", "closed"}
_RECOVERY_OR_LATER = {"recovery", "closed"}


def case_steps(facts: CaseFacts) -> list[Step]:
    """The steps of a case in order, each with whether it is done."""
    f = facts
    submitted = f.status != "draft"
    approved = f.status in _APPROVED_OR_LATER
    closed = f.status == "closed"
    plural = "s" if f.estimates_pending != 1 else ""
    return [
        Step(
            "restatement",
            "Record when the restatement was required",
            f.required_on_known or submitted,
            "The date the Board, the committee or the officers concluded a restatement is required starts "
            "the three-year look-back.",
        ),
        Step(
            "figures",
            "Record the restated figures",
            f.restated_values > 0 or submitted,
            "Each financial measure an award pays on, as first reported and as restated.",
        ),
        Step(
            "executives",
            "Confirm the covered executives",
            f.covered_executives > 0 or submitted,
            "The executive officers whose incentive pay in the look-back period is reviewed.",
        ),
        Step(
            "estimates",
            "Record the reasonable estimates",
            f.estimates_pending == 0 or approved,
            f"{f.estimates_pending} award{plural} paid on stock price or total shareholder return "
            f"await{'s' if f.estimates_pending == 1 else ''} a documented reasonable estimate."
            if f.estimates_pending
            else "No award awaits a reasonable estimate.",
        ),
        Step(
            "review",
            "Submit the case for the committee's review",
            submitted,
            "Submitting computes the determination and freezes it for the committee.",
        ),
        Step(
            "decision",
            "The committee decides on the determination",
            approved,
            "The members are voting on the decision page."
            if f.vote_open
            else "Put the determination to the members' vote, or record the decision taken at a meeting.",
        ),
        Step(
            "signatures",
            "Sign the approval",
            (approved and not f.signature_waiting) or closed,
            f"The {f.signature_waiting} signs the adopted decision on its page."
            if f.signature_waiting
            else "The chair and the Corporate Secretary sign the adopted decision.",
        ),
        Step(
            "indemnification",
            "Confirm there is no indemnification",
            f.no_indemnification or f.status in _RECOVERY_OR_LATER,
            "The company neither indemnifies nor insures an executive against a recovery.",
        ),
        Step(
            "start",
            "Start recovery",
            f.status in _RECOVERY_OR_LATER,
            "Starting recovery opens a claim against each executive who owes an amount.",
        ),
        Step(
            "recover",
            "Recover the amounts owed",
            closed or (f.status == "recovery" and f.outstanding == 0),
            "Record each repayment, offset or forfeiture, or the committee's finding that recovery is "
            "impracticable.",
        ),
        Step("close", "Close the case", closed, "Closing records that nothing is outstanding."),
    ]


def next_step(steps: list[Step]) -> Step | None:
    """The first step not done; None once the case is closed."""
    return next((s for s in steps if not s.done), None)
