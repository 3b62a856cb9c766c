"""Item 402(w) and the Form 10-K check boxes: the pure rules table by table (no database), then the exact
figures gathered from a seeded case with partial recovery, an impracticable amount and balances on both
sides of 180 days."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from clawback import disclosure as d
from clawback.models import (
    Award,
    Executive,
    Impracticability,
    Measure,
    MeasureValue,
    NamedExecutiveYear,
    OfficerPeriod,
    RecoveryClaim,
    RestatedValue,
    Restatement,
    RestatementEvent,
)
from clawback.services import determinations as workflow
from clawback.services import recovery
from clawback.services.disclosure import disclosure_for
from compliance_site.company.models import FiscalPeriod
from tests.clawback.workflow_setup import ET, approve, import_example_2, impracticability_decision, recuse
from tests.clawback.workflow_setup import record_tsr_estimate as record_estimate

D = Decimal
FY = d.FiscalYear(label="FY2026", start=date(2026, 1, 1), end=date(2026, 12, 31))
FILED = date(2027, 2, 20)


def claim(
    owed="100000.00",
    *,
    determined_on=date(2026, 3, 1),
    recoveries=(),
    forgone=(),
    executive="ceo",
    name="CEO",
):
    return d.Claim(
        executive=executive,
        name=name,
        amount_owed=D(owed),
        determined_on=determined_on,
        recoveries=tuple(d.Recovered(occurred_on=on, amount=D(amount)) for on, amount in recoveries),
        forgone=tuple(
            d.Forgone(decided_on=on, amount=D(amount), reason=f"expense: {name}", group_reason="expense")
            for on, amount in forgone
        ),
    )


# --- Balances and the 180-day mark --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "as_of", "outstanding", "days", "flag"),
    [
        (claim(), date(2026, 3, 1), "100000.00", 0, False),
        (claim(), date(2026, 8, 27), "100000.00", 179, False),
        (claim(), date(2026, 8, 28), "100000.00", 180, True),
        (claim(), date(2026, 2, 1), "100000.00", 0, False),  # before the amount was determined
        (claim(recoveries=[(date(2026, 4, 1), "40000.00")]), date(2026, 12, 31), "60000.00", 305, True),
        (claim(recoveries=[(date(2027, 1, 5), "40000.00")]), date(2026, 12, 31), "100000.00", 305, True),
        (claim(forgone=[(date(2026, 5, 1), "100000.00")]), date(2026, 12, 31), "0.00", 305, False),
        (
            claim(recoveries=[(date(2026, 4, 1), "60000.00")], forgone=[(date(2026, 6, 1), "40000.00")]),
            date(2026, 12, 31),
            "0.00",
            305,
            False,
        ),
        (claim(recoveries=[(date(2026, 4, 1), "150000.00")]), date(2026, 12, 31), "0.00", 305, False),
    ],
)
def test_claim_position_counts_what_happened_by_the_date(case, as_of, outstanding, days, flag):
    position = d.claim_position(case, as_of=as_of)
    assert position.outstanding == D(outstanding)
    assert position.days_outstanding == days
    assert position.disclosable_180 is flag


def test_days_outstanding_counts_from_the_determination():
    assert d.days_outstanding(determined_on=date(2026, 7, 4), as_of=date(2026, 12, 31)) == 180
    assert d.days_outstanding(determined_on=date(2026, 7, 5), as_of=date(2026, 12, 31)) == 179


# --- Which restatements are disclosed, and the check boxes --------------------------------------------------


def case(kind="big_r", required_on=date(2026, 5, 1), aggregate="100000.00", claims=(), **kw):
    return d.Case(
        title=f"{kind} {required_on}",
        kind=kind,
        required_on=required_on,
        aggregate_erroneous=None if aggregate is None else D(aggregate),
        claims=tuple(claims),
        **kw,
    )


OWED_AT_FYE = [claim(determined_on=date(2025, 6, 1))]
PAID_BY_FYE = [claim(determined_on=date(2025, 6, 1), recoveries=[(date(2025, 9, 1), "100000.00")])]


@pytest.mark.parametrize(
    ("restatement", "disclosed", "boxes"),
    [
        (case("big_r"), True, True),
        (case("little_r"), True, True),
        (case("big_r", required_on=date(2027, 1, 20)), True, True),  # after the year end, before filing
        (case("big_r", required_on=date(2027, 3, 1)), False, False),  # after filing: next year's report
        (case("out_of_period"), False, False),
        (case("non_error_change"), False, False),
        (case("big_r", required_on=None), False, False),
        (
            case("big_r", required_on=date(2025, 4, 1), claims=OWED_AT_FYE),
            True,
            False,
        ),  # prior, balance at FYE
        (case("big_r", required_on=date(2025, 4, 1), claims=PAID_BY_FYE), False, False),
    ],
)
def test_restatements_disclosed_and_the_cover_check_boxes(restatement, disclosed, boxes):
    report = d.item_402w(fiscal_year=FY, prepared_on=FILED, cases=[restatement], neos=["ceo"])
    assert (len(report.cases) == 1) is disclosed
    assert report.error_correction_box is boxes
    assert report.recovery_analysis_box is boxes


def test_the_second_box_is_checked_even_when_nothing_is_recoverable():
    report = d.item_402w(fiscal_year=FY, prepared_on=FILED, cases=[case(aggregate="0.00")], neos=[])
    assert report.error_correction_box and report.recovery_analysis_box
    assert report.item_402w_2_required and not report.item_402w_1_required
    assert report.cases[0].no_recovery_explanation.startswith("The recovery analysis concluded")
    assert "C&DI 104.21" in report.check_box_notes[0]


def test_an_out_of_period_adjustment_is_noted_but_checks_no_box():
    report = d.item_402w(fiscal_year=FY, prepared_on=FILED, cases=[case("out_of_period")], neos=[])
    assert not report.error_correction_box
    assert "C&DI 104.20" in report.check_box_notes[0]


def test_an_undetermined_amount_is_disclosed_with_the_reason():
    pending = case(aggregate=None, pending_reason="Awaiting the committee's estimate.")
    report = d.item_402w(fiscal_year=FY, prepared_on=FILED, cases=[pending], neos=[])
    assert report.item_402w_1_required
    assert report.cases[0].determined is False
    assert report.cases[0].not_determined_reason == "Awaiting the committee's estimate."


@pytest.mark.parametrize(
    ("neos", "by_neo", "others"),
    [
        (["ceo", "cfo"], [("CEO", "30000.00"), ("CFO", "5000.00")], "0.00"),
        (["ceo"], [("CEO", "30000.00")], "5000.00"),
        ([], [], "35000.00"),
    ],
)
def test_forgone_amounts_per_named_executive_and_the_others_as_a_group(neos, by_neo, others):
    claims = [
        claim(
            executive="ceo",
            name="CEO",
            forgone=[(date(2026, 6, 1), "20000.00"), (date(2026, 7, 1), "10000.00")],
        ),
        claim(executive="cfo", name="CFO", forgone=[(date(2026, 6, 1), "5000.00")]),
    ]
    report = d.item_402w(fiscal_year=FY, prepared_on=FILED, cases=[case(claims=claims)], neos=neos)
    disclosed = report.cases[0]
    assert [(line.name, line.amount) for line in disclosed.forgone_by_neo] == [(n, D(a)) for n, a in by_neo]
    assert disclosed.forgone_others == D(others)


def test_the_group_line_names_nobody_while_each_named_executive_keeps_their_reason():
    claims = [
        claim(executive="ceo", name="CEO", forgone=[(date(2026, 6, 1), "20000.00")]),
        claim(executive="cfo", name="CFO", forgone=[(date(2026, 6, 1), "5000.00")]),
        claim(executive="evp", name="EVP", forgone=[(date(2026, 7, 1), "1000.00")]),
    ]
    disclosed = d.item_402w(fiscal_year=FY, prepared_on=FILED, cases=[case(claims=claims)], neos=["ceo"])
    disclosed = disclosed.cases[0]
    assert [(line.name, line.reasons) for line in disclosed.forgone_by_neo] == [("CEO", ("expense: CEO",))]
    assert disclosed.forgone_others_reasons == ("expense", "expense")
    assert not any(name in r for r in disclosed.forgone_others_reasons for name in ("CFO", "EVP"))


def test_only_named_executives_outstanding_180_days_at_year_end_are_listed():
    claims = [
        claim(executive="ceo", name="CEO", determined_on=date(2026, 7, 4)),  # 180 days at FYE
        claim(executive="cfo", name="CFO", determined_on=date(2026, 7, 5)),  # 179 days
        claim(executive="evp", name="EVP", determined_on=date(2026, 1, 5)),  # not a NEO
    ]
    report = d.item_402w(fiscal_year=FY, prepared_on=FILED, cases=[case(claims=claims)], neos=["ceo", "cfo"])
    assert [(o.name, o.amount, o.days_outstanding) for o in report.cases[0].outstanding_180_by_neo] == [
        ("CEO", D("100000.00"), 180)
    ]
    assert report.cases[0].outstanding_at_fye == D("300000.00")


# --- Gathered from the database -----------------------------------------------------------------------------

# Every operation of the seeded cases happens "now", after all their dates.
NOW = datetime(2027, 11, 1, 12, 0, tzinfo=ET)


def _cfo_case(company, users):
    """A little r restatement of FY2026 revenue, concluded 2027-03-01: the CFO's FY2026 bonus was 400,000 on
    revenue of 200m; on the restated 190m it is 360,000, so 40,000 is owed."""
    cfo = Executive.objects.create(company=company, key="cfo", name="Jordan Pike")
    OfficerPeriod.objects.create(executive=cfo, start=date(2020, 1, 1))
    revenue = Measure.objects.create(company=company, key="revenue", name="Revenue", category="revenue")
    value = MeasureValue.objects.create(measure=revenue, period_label="FY2026", original=D("200000000"))
    Award.objects.create(
        executive=cfo,
        key="cfo-fy2026-bonus",
        award_type="cash_bonus",
        basis="financial_reporting_measure",
        performance_start=date(2025, 10, 1),
        performance_end=date(2026, 9, 30),
        measure=revenue,
        measure_period="FY2026",
        formula={"kind": "curve", "target": "400000", "points": [["150000000", "0.5"], ["200000000", "1.0"]]},
        received=D("400000"),
    )
    case = Restatement.objects.create(company=company, title="FY2026 revenue revision", kind="little_r")
    RestatementEvent.objects.create(restatement=case, kind="committee_concluded", date=date(2027, 3, 1))
    RestatedValue.objects.create(restatement=case, value=value, restated=D("190000000"))
    case.covered_executives.set([cfo])
    workflow.submit_for_review(actor=users["secretary"], case=case, now=NOW)
    approve(case, users, held_on=date(2027, 4, 20), now=NOW)
    return case


@pytest.fixture
def seeded(users):
    """Two restatements of one company, FY2027 = 2026-10-01 to 2027-09-30; the CEO and CFO are NEOs."""
    tsr_case = import_example_2(users["secretary"])
    recuse(tsr_case, users["committee2"])
    workflow.submit_for_review(actor=users["secretary"], case=tsr_case, now=NOW)
    record_estimate(tsr_case, users["committee"], now=NOW)
    approve(tsr_case, users, now=NOW)  # held 2026-12-10: CEO 325,000 (4,000 PSUs), EVP 120,000
    workflow.confirm_no_indemnification(actor=users["secretary"], case=tsr_case, now=NOW)
    workflow.start_recovery(actor=users["secretary"], case=tsr_case, now=NOW)
    ceo = RecoveryClaim.objects.get(restatement=tsr_case, executive__key="ceo")
    evp = RecoveryClaim.objects.get(restatement=tsr_case, executive__key="evp")
    event = {"actor": users["secretary"], "now": NOW, "evidence": "Recorded"}
    recovery.record_recovery_event(
        claim=ceo,
        occurred_on=date(2026, 12, 15),
        method="cancellation",
        amount=D("250000.00"),
        units=D(4000),
        **event,
    )
    recovery.record_recovery_event(
        claim=evp, occurred_on=date(2026, 12, 22), method="cash", amount=D("110000.00"), **event
    )
    expense = {
        "ground": Impracticability.Ground.EXPENSE,
        "costs_are_third_party": True,
        "attempts": "Demand letters",
        "provided_to_exchange_on": date(2027, 1, 5),
        "actor": users["secretary"],
        "now": NOW,
    }
    recovery.determine_impracticable(
        claim=ceo,
        decision=impracticability_decision(tsr_case, users, now=NOW),
        amount_forgone=D("25000.00"),
        third_party_cost=D("60000.00"),
        **expense,
    )
    recovery.determine_impracticable(
        claim=evp,
        decision=impracticability_decision(tsr_case, users, now=NOW),
        amount_forgone=D("10000.00"),
        third_party_cost=D("45000.00"),
        **expense,
    )

    cfo_case = _cfo_case(tsr_case.company, users)  # approved 2027-04-20: 163 days before the FYE
    workflow.confirm_no_indemnification(actor=users["secretary"], case=cfo_case, now=NOW)
    workflow.start_recovery(actor=users["secretary"], case=cfo_case, now=NOW)
    cfo = RecoveryClaim.objects.get(restatement=cfo_case, executive__key="cfo")
    recovery.record_recovery_event(
        claim=cfo, occurred_on=date(2027, 6, 1), method="offset", amount=D("15000.00"), **event
    )
    recovery.record_recovery_event(  # after the fiscal year end: not counted at FYE
        claim=cfo, occurred_on=date(2027, 10, 15), method="cash", amount=D("5000.00"), **event
    )
    out_of_period = Restatement.objects.create(
        company=tsr_case.company, title="Lease reclass", kind="out_of_period"
    )
    RestatementEvent.objects.create(restatement=out_of_period, kind="board_concluded", date=date(2027, 2, 1))
    for key in ("ceo", "cfo"):
        NamedExecutiveYear.objects.create(
            executive=Executive.objects.get(company=tsr_case.company, key=key), fiscal_year="FY2027"
        )
    return tsr_case.company


@pytest.mark.django_db
def test_item_402w_figures_for_a_seeded_year(seeded, users):
    fy2027 = FiscalPeriod.objects.get(company=seeded, label="FY2027")
    report = disclosure_for(user=users["auditor"], fiscal_period=fy2027, prepared_on=date(2027, 11, 15))

    assert (report.fiscal_year_start, report.fiscal_year_end) == (date(2026, 10, 1), date(2027, 9, 30))
    assert report.error_correction_box is True and report.recovery_analysis_box is True
    assert report.item_402w_1_required is True and report.item_402w_2_required is False
    assert any("Lease reclass" in note and "C&DI 104.20" in note for note in report.check_box_notes)
    tsr, revision = report.cases
    assert tsr.title == "FY2024–FY2025 operating income restatement"
    assert tsr.required_on == date(2026, 10, 20)
    assert tsr.aggregate_erroneous == D("445000.00")
    # Amounts as the filing prints them, units with thousands separators (Item 402(w)(1)(i)(B)).
    assert (
        "Morgan Reyes, ceo-tsr-psu: received 28,000 units, recomputed on the committee's reasonable "
        "estimate: 24,000 units, excess 4,000 units = $250,000.00." in tsr.calculation
    )
    assert (
        "Morgan Reyes, ceo-fy2024-bonus: received $500,000.00, recomputed on the restated values: "
        "$425,000.00, excess $75,000.00 = $75,000.00." in tsr.calculation
    )
    assert tsr.calculation.endswith("Total $445,000.00.")
    assert " USD" not in tsr.calculation
    assert [(e.award, e.restated_value, e.adopted_on) for e in tsr.estimates] == [
        ("ceo-tsr-psu", D("55"), date(2026, 12, 1))
    ]
    assert tsr.estimates[0].method.startswith("Event study")
    assert tsr.outstanding_at_fye == D("50000.00")  # CEO 325,000 - 250,000 - 25,000; EVP 0
    assert [(f.name, f.amount) for f in tsr.forgone_by_neo] == [("Morgan Reyes", D("25000.00"))]
    assert tsr.forgone_by_neo[0].reasons[0].startswith("Third-party enforcement expense")
    assert tsr.forgone_others == D("10000.00")
    # The EVP is not a named executive officer: the group line gives the ground and the decision, not the
    # resolution (which would name them).
    assert tsr.forgone_others_reasons == (
        "Third-party enforcement expense would exceed the amount to recover — Compensation Committee "
        "(independent directors), 2026-12-30",
    )
    assert [(o.name, o.amount, o.days_outstanding) for o in tsr.outstanding_180_by_neo] == [
        ("Morgan Reyes", D("50000.00"), 294)
    ]

    assert revision.required_on == date(2027, 3, 1)
    assert revision.aggregate_erroneous == D("40000.00")
    assert revision.outstanding_at_fye == D("25000.00")  # the October recovery came after the year end
    assert revision.forgone_by_neo == () and revision.forgone_others == D("0.00")
    assert revision.outstanding_180_by_neo == ()  # 163 days at the year end


@pytest.mark.django_db
def test_a_covered_executive_is_refused_the_disclosure_rather_than_shown_it_without_their_case(seeded, users):
    Executive.objects.filter(company=seeded, key="cfo").update(user=users["committee"])
    fy2027 = FiscalPeriod.objects.get(company=seeded, label="FY2027")
    with pytest.raises(PermissionDenied, match="walled off"):
        disclosure_for(user=users["committee"], fiscal_period=fy2027, prepared_on=date(2027, 11, 15))


@pytest.mark.django_db
def test_an_undetermined_case_is_disclosed_as_not_yet_determined(users):
    case = import_example_2(users["secretary"])
    workflow.submit_for_review(actor=users["secretary"], case=case, now=NOW)
    fy2027 = FiscalPeriod.objects.get(company=case.company, label="FY2027")
    report = disclosure_for(user=users["auditor"], fiscal_period=fy2027, prepared_on=date(2027, 11, 15))
    (pending,) = report.cases
    assert pending.determined is False and pending.aggregate_erroneous is None
    assert pending.not_determined_reason == (
        "The determination has not been approved: the case is under committee review. "
        "1 award awaits the committee's reasonable estimate."
    )
