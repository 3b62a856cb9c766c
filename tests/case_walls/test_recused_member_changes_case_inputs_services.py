"""Finding 1, through the services: a member recused from a case, or an executive the case covers who holds
clawback.manage, changed the case's inputs (its covered executives, its events, its restated values, the
awards it recomputes...) and the next determination silently dropped an executive. Every change of an input
is now refused to anyone walled from a case reading it, nothing is written, and the audit trail shows no
change; a participating member still makes the same change."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from clawback.models import AwardCredit, ReasonableEstimate, RestatedValue, RestatementEvent
from clawback.services import determinations as workflow
from clawback.services import records
from clawback.services.imports import import_records
from clawback.services.walls import WALLED, check_may_change_inputs
from tests.case_walls.conftest import assert_every_executive_determined, audit_seq
from tests.clawback.workflow_setup import NOW

pytestmark = pytest.mark.django_db


def _periods(executive, **changes):
    return [
        {"id": p.pk, "start": p.start, "end": p.end, "title": p.title} | changes
        for p in executive.officer_periods.all()
    ]


def _values(measure, **changes):
    return [
        {"id": v.pk, "period_label": v.period_label, "original": v.original, "source": v.source} | changes
        for v in measure.values.all()
    ]


def _terms(award, **changes):
    return {name: getattr(award, name) for name in records.AWARD_TERMS} | changes


def _credit(w, actor):
    return records.record_award_credit(
        actor=actor,
        award=w.award("evp-fy2025-bonus"),
        amount=Decimal("1000"),
        recovered_on=date(2026, 12, 1),
        source="sox_304",
        reference="SEC order",
        now=NOW,
    )


# Each change of an input of the case: (name, call(walled, actor)).
CHANGES = {
    "drop a covered executive": lambda w, a: records.update_restatement(
        actor=a,
        restatement=w.case,
        title=w.case.title,
        kind=w.case.kind,
        covered_executives=[w.executive("ceo")],
        policy_version=w.case.policy_version,
        now=NOW,
    ),
    "add an event": lambda w, a: records.add_restatement_event(
        actor=a, restatement=w.case, kind="board_concluded", date=date(2025, 1, 10), now=NOW
    ),
    "move an event": lambda w, a: records.update_restatement_event(
        actor=a, event=w.case.events.first(), kind="board_concluded", date=date(2025, 1, 10), now=NOW
    ),
    "void an event": lambda w, a: records.void_restatement_event(
        actor=a, event=w.case.events.first(), reason="wrong", now=NOW
    ),
    "set a restated value": lambda w, a: records.set_restated_values(
        actor=a,
        restatement=w.case,
        now=NOW,
        values=[
            {"measure": w.measure("operating_income"), "period_label": "FY2025", "restated": Decimal("1")}
        ],
    ),
    "void a restated value": lambda w, a: records.void_restated_value(
        actor=a, restated=RestatedValue.objects.filter(restatement=w.case).first(), reason="wrong", now=NOW
    ),
    "change an officer period": lambda w, a: records.update_executive(
        actor=a,
        executive=w.executive("evp"),
        key="evp",
        name=w.executive("evp").name,
        officer_periods=_periods(w.executive("evp"), end=date(2020, 1, 1)),
        now=NOW,
    ),
    "void an officer period": lambda w, a: records.void_officer_period(
        actor=a, period=w.executive("evp").officer_periods.first(), reason="wrong", now=NOW
    ),
    "change a measure value": lambda w, a: records.update_measure(
        actor=a,
        measure=w.measure("operating_income"),
        key="operating_income",
        name="Operating income",
        category=w.measure("operating_income").category,
        values=_values(w.measure("operating_income"), original=Decimal("1")),
        now=NOW,
    ),
    "void a measure value": lambda w, a: records.void_measure_value(
        actor=a, value=w.measure("operating_income").values.first(), reason="wrong", now=NOW
    ),
    "add an award": lambda w, a: records.create_award(
        actor=a,
        executive=w.executive("evp"),
        now=NOW,
        **_terms(w.award("evp-fy2025-bonus"), key="evp-extra", received=Decimal("5000")),
    ),
    "change an award": lambda w, a: records.update_award(
        actor=a,
        award=w.award("evp-fy2025-bonus"),
        now=NOW,
        **_terms(w.award("evp-fy2025-bonus"), received=Decimal("1")),
    ),
    "void an award": lambda w, a: records.void_award(
        actor=a, award=w.award("evp-fy2025-bonus"), reason="wrong", now=NOW
    ),
    "record an amount already recovered": _credit,
    "designate an award": lambda w, a: workflow.designate_not_determinable(
        actor=a, case=w.case, award=w.award("evp-fy2025-bonus"), reason="cannot tell", now=NOW
    ),
    "void the estimate": lambda w, a: records.void_estimate(
        actor=a, estimate=ReasonableEstimate.objects.get(restatement=w.case), reason="wrong", now=NOW
    ),
    "import executives": lambda w, a: import_records(
        actor=a,
        company=w.case.company,
        kind="executives",
        fmt="csv",
        commit=True,
        now=NOW,
        content=b"key,name,officer_start,officer_end\nevp,Someone Else,2018-01-01,2020-01-01\n",
    ),
    "import restated values": lambda w, a: import_records(
        actor=a,
        company=w.case.company,
        kind="restated_values",
        fmt="csv",
        commit=True,
        now=NOW,
        restatement=w.case,
        content=b"measure,period,restated\noperating_income,FY2025,1\n",
    ),
}


@pytest.mark.parametrize("who", ["recused", "covered"])
@pytest.mark.parametrize("change", list(CHANGES))
def test_a_walled_user_cannot_change_an_input_of_the_case(walled, who, change):
    before = audit_seq()
    determination = workflow.live_determination(walled.case)
    with pytest.raises(PermissionDenied) as refused:
        CHANGES[change](walled, walled.users[who])
    assert str(refused.value) == WALLED
    # Nothing written: no audit event, the determination under review untouched.
    assert audit_seq() == before
    assert workflow.live_determination(walled.case) == determination
    assert_every_executive_determined(walled.case)


@pytest.mark.parametrize(
    "change",
    [
        "drop a covered executive",
        "add an event",
        "change an award",
        "void an officer period",
        "record an amount already recovered",
        "set a restated value",
    ],
)
def test_a_participating_member_still_makes_the_change(walled, change):
    before = audit_seq()
    if change == "void an officer period":
        evp = walled.executive("evp")
        evp.officer_periods.create(start=date(2010, 1, 1), end=date(2010, 12, 31))
    CHANGES[change](walled, walled.users["secretary"])
    assert audit_seq() > before


def test_the_recused_member_keeps_records_no_case_of_theirs_reads(walled):
    """The wall is per case: a record no case the member is walled from reads is theirs to keep."""
    company = walled.case.company
    outsider = records.create_executive(
        actor=walled.users["recused"],
        company=company,
        key="cto",
        name="Casey Lin",
        officer_periods=[{"start": date(2019, 1, 1), "end": None}],
    )
    records.update_executive(
        actor=walled.users["recused"], executive=outsider, key="cto", name="Casey Lin", title="CTO", now=NOW
    )
    assert walled.executive("cto").title == "CTO"


def test_a_covered_executive_cannot_put_a_case_about_their_own_pay_on_record(walled):
    with pytest.raises(PermissionDenied):
        records.record_restatement(
            actor=walled.users["covered"],
            company=walled.case.company,
            title="Another",
            kind="big_r",
            today=NOW.date(),
            covered_executives=[walled.executive("ceo")],
        )


def test_the_rule_is_one_function_naming_nothing_confidential(walled):
    for record in (
        walled.case,
        walled.executive("evp"),
        walled.award("evp-fy2025-bonus"),
        walled.measure("operating_income"),
        RestatementEvent.objects.filter(restatement=walled.case).first(),
    ):
        with pytest.raises(PermissionDenied) as refused:
            check_may_change_inputs(walled.users["recused"], record)
        assert walled.case.title not in str(refused.value)
        check_may_change_inputs(walled.users["committee"], record)
    assert not AwardCredit.objects.exists()


def test_a_covered_executive_holding_manage_takes_no_step_of_their_own_case(walled):
    """The wall on a workflow step (a participant only) is the same wall: recused, or covered."""
    before = audit_seq()
    with pytest.raises(PermissionDenied):
        workflow.confirm_no_indemnification(actor=walled.users["covered"], case=walled.case, now=NOW)
    assert audit_seq() == before
    check = workflow.check_inputs(actor=walled.users["covered"], case=walled.case, now=NOW)
    assert check.current and audit_seq() == before
