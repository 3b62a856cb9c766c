"""Finding 4: the 180 days of Item 402(w)(1)(iii) count from the date the amount owed was determined.
Re-approving an unchanged amount is not a new determination and keeps that date; an increase is dated by
the meeting that approved it, and only that part starts a new count."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from clawback import disclosure as d
from clawback.models import Executive, NamedExecutiveYear
from clawback.services import determinations as workflow
from clawback.services.disclosure import disclosure_for
from tests.clawback.workflow_setup import ET, MEETING, approve, approved_example_2, claim_of
from tests.disclosure_402w.case_setup import FILED, fy2027

D = Decimal
REAPPROVED = date(2027, 5, 3)  # 150 days before the FY2027 year end
LATER = datetime(2027, 5, 10, 12, 0, tzinfo=ET)


@pytest.mark.django_db
def test_reapproving_an_unchanged_amount_keeps_the_date_and_the_ageing(users):
    case = approved_example_2(users)
    NamedExecutiveYear.objects.create(
        executive=Executive.objects.get(company=case.company, key="ceo"), fiscal_year="FY2027"
    )
    workflow.reopen_case(actor=users["secretary"], case=case, reason="Counsel asked for a re-vote", now=LATER)
    case.refresh_from_db()
    approve(case, users, held_on=REAPPROVED, now=LATER)

    ceo = claim_of(case, "ceo")
    assert (ceo.amount_owed, ceo.determined_on) == (D("325000.00"), MEETING)
    report = disclosure_for(user=users["auditor"], fiscal_period=fy2027(case), prepared_on=FILED)
    (tsr,) = report.cases
    assert [(o.name, o.amount, o.days_outstanding) for o in tsr.outstanding_180_by_neo] == [
        ("Morgan Reyes", D("325000.00"), 294)
    ]


@pytest.mark.parametrize(
    ("history", "parts"),
    [
        # Re-approved unchanged: one part, the first date.
        ([(date(2026, 12, 10), "325000"), (REAPPROVED, "325000")], [(date(2026, 12, 10), "325000")]),
        # Increased: the increase is its own part, dated by its meeting.
        (
            [(date(2026, 12, 10), "300000"), (REAPPROVED, "325000")],
            [(date(2026, 12, 10), "300000"), (REAPPROVED, "25000")],
        ),
        # Decreased: what is still owed was owed since the first date.
        ([(date(2026, 12, 10), "325000"), (REAPPROVED, "300000")], [(date(2026, 12, 10), "300000")]),
        # Nothing owed, then owed again: a new start.
        (
            [(date(2026, 12, 10), "325000"), (date(2027, 1, 5), "0"), (REAPPROVED, "10000")],
            [(REAPPROVED, "10000")],
        ),
    ],
)
def test_each_part_of_the_amount_owed_keeps_the_date_it_was_determined(history, parts):
    steps = [d.Determined(on=on, amount=D(amount)) for on, amount in history]
    assert [(p.on, p.amount) for p in d.determined_parts(steps)] == [(on, D(amount)) for on, amount in parts]


def test_only_the_part_owed_180_days_or_more_is_listed():
    claim = d.Claim(
        executive="ceo",
        name="Morgan Reyes",
        amount_owed=D("325000.00"),
        determined_on=date(2026, 12, 10),
        parts=(d.Determined(on=date(2026, 12, 10), amount=D("300000.00")),
               d.Determined(on=REAPPROVED, amount=D("25000.00"))),
        recoveries=(d.Recovered(occurred_on=date(2027, 1, 4), amount=D("100000.00")),),
    )  # fmt: skip
    position = d.claim_position(claim, as_of=date(2027, 9, 30))
    # The recovery settles the part owed longest first: 200,000 of it is left, 294 days old.
    assert (position.outstanding, position.outstanding_180, position.days_outstanding) == (
        D("225000.00"),
        D("200000.00"),
        294,
    )
