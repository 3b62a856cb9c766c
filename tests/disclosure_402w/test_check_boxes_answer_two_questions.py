"""Finding 4: the two Form 10-K cover check boxes answer two questions and can differ. The first: do the
financial statements reflect the correction of an error to previously issued statements (C&DI 104.20: a
Big R or little r restatement, or a revision of an immaterial error nobody required to be restated, but
not an out-of-period adjustment). The second: is any of those corrections a restatement that required a
recovery analysis under Rule 10D-1(b) (C&DI 104.21: Big R and little r, whatever the analysis found)."""

from datetime import date
from decimal import Decimal

import pytest

from clawback import disclosure as d

FY = d.FiscalYear(label="FY2026", start=date(2026, 1, 1), end=date(2026, 12, 31))
FILED = date(2027, 2, 20)


def _case(kind: str, title: str = "Restatement") -> d.Case:
    return d.Case(title=title, kind=kind, required_on=date(2026, 6, 1), aggregate_erroneous=Decimal("0.00"))


@pytest.mark.parametrize(
    ("kinds", "boxes"),
    [
        (["voluntary_revision"], (True, False)),
        (["little_r"], (True, True)),
        (["big_r"], (True, True)),
        (["out_of_period"], (False, False)),
        (["non_error_change"], (False, False)),
        (["voluntary_revision", "little_r"], (True, True)),
    ],
)
def test_each_box_answers_its_own_question(kinds, boxes):
    cases = [_case(kind, title=f"Case {i}") for i, kind in enumerate(kinds)]
    report = d.item_402w(fiscal_year=FY, prepared_on=FILED, cases=cases, neos=[])
    assert (report.error_correction_box, report.recovery_analysis_box) == boxes


def test_a_revision_no_rule_required_checks_the_first_box_only_and_says_why():
    report = d.item_402w(
        fiscal_year=FY, prepared_on=FILED, cases=[_case("voluntary_revision", "Lease revision")], neos=[]
    )
    assert report.error_correction_box and not report.recovery_analysis_box
    assert report.cases == ()  # no recovery analysis, so nothing under Item 402(w)
    (note,) = report.check_box_notes
    assert note.startswith("Lease revision:") and "C&DI 104.20" in note and "Rule 10D-1(b)" in note
