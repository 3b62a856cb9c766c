"""Where a case stands and its one next step (clawback.steps): a table over the facts that move a case on."""

from decimal import Decimal

import pytest

from clawback.steps import CaseFacts, case_steps, next_step

READY = dict(
    required_on_known=True, restated_values=2, covered_executives=1, estimates_pending=0, vote_open=False
)


def facts(status="draft", **changes):
    return CaseFacts(status=status, **{**READY, **changes})


@pytest.mark.parametrize(
    "case, expected",
    [
        (facts(required_on_known=False, restated_values=0, covered_executives=0), "restatement"),
        (facts(restated_values=0), "figures"),
        (facts(covered_executives=0), "executives"),
        (facts(estimates_pending=2), "estimates"),
        (facts(), "review"),
        (facts("review"), "decision"),
        (facts("review", vote_open=True), "decision"),
        # Submitted with an estimate still missing: the estimate comes before the decision.
        (facts("review", estimates_pending=1), "estimates"),
        (facts("approved", signature_waiting="Corporate Secretary"), "signatures"),
        (facts("approved"), "indemnification"),
        (facts("approved", no_indemnification=True), "start"),
        (facts("recovery", no_indemnification=True, outstanding=Decimal("75000.00")), "recover"),
        (facts("recovery", no_indemnification=True, outstanding=Decimal("0.00")), "close"),
        (facts("closed", no_indemnification=True), None),
    ],
)
def test_the_next_step_is_the_first_not_done(case, expected):
    step = next_step(case_steps(case))
    assert (step.key if step else None) == expected


def test_submitting_settles_the_case_records_whatever_was_entered_before():
    # A case submitted from a scenario file may lack an event: the steps before review are behind it.
    steps = {s.key: s for s in case_steps(facts("review", required_on_known=False, restated_values=0))}
    assert steps["restatement"].done and steps["figures"].done and not steps["decision"].done


def test_each_step_says_what_it_is_in_plain_words():
    steps = case_steps(facts("review", vote_open=True, estimates_pending=1))
    says = {s.key: s.says for s in steps}
    assert says["estimates"] == (
        "1 award paid on stock price or total shareholder return awaits a documented reasonable estimate."
    )
    assert says["decision"] == "The members are voting on the decision page."
    assert case_steps(facts(estimates_pending=3))[3].says.startswith("3 awards paid on stock price")
    assert (
        "The Corporate Secretary signs"
        in case_steps(facts("approved", signature_waiting="Corporate Secretary"))[6].says
    )
    assert all("_" not in s.says and "_" not in s.title for s in steps)


def test_the_steps_keep_the_policy_order():
    assert [s.key for s in case_steps(facts())] == [
        "restatement", "figures", "executives", "estimates", "review", "decision", "signatures",
        "indemnification", "start", "recover", "close",
    ]  # fmt: skip
