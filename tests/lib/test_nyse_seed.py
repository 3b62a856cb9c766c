"""The python-holidays seed for the NYSE calendar against docs/regfd-rules §3.2 (2025-2028).

RULES_CLOSURES and RULES_EARLY_CLOSES are typed in from the docs/regfd-rules §3.2 tables, independently
of the `holidays` package; other test modules import them as the reference calendar.
"""

from datetime import date

import pytest

from compliance_site.lib.markets import CLOSURE, EARLY_CLOSE
from compliance_site.lib.nyse_seed import SEED_YEARS, SOURCE, nyse_calendar_rows

RULES_CLOSURES = {
    # 2025, including the unscheduled national day of mourning on Thu Jan 9.
    date(2025, 1, 1), date(2025, 1, 9), date(2025, 1, 20), date(2025, 2, 17), date(2025, 4, 18),
    date(2025, 5, 26), date(2025, 6, 19), date(2025, 7, 4), date(2025, 9, 1), date(2025, 11, 27),
    date(2025, 12, 25),
    # 2026
    date(2026, 1, 1), date(2026, 1, 19), date(2026, 2, 16), date(2026, 4, 3), date(2026, 5, 25),
    date(2026, 6, 19), date(2026, 7, 3), date(2026, 9, 7), date(2026, 11, 26), date(2026, 12, 25),
    # 2027
    date(2027, 1, 1), date(2027, 1, 18), date(2027, 2, 15), date(2027, 3, 26), date(2027, 5, 31),
    date(2027, 6, 18), date(2027, 7, 5), date(2027, 9, 6), date(2027, 11, 25), date(2027, 12, 24),
    # 2028: no New Year's Day closure (Jan 1 is a Saturday and is not observed on Fri Dec 31, 2027).
    date(2028, 1, 17), date(2028, 2, 21), date(2028, 4, 14), date(2028, 5, 29), date(2028, 6, 19),
    date(2028, 7, 4), date(2028, 9, 4), date(2028, 11, 23), date(2028, 12, 25),
}  # fmt: skip

RULES_EARLY_CLOSES = {
    date(2025, 7, 3), date(2025, 11, 28), date(2025, 12, 24),
    date(2026, 11, 27), date(2026, 12, 24),
    date(2027, 11, 26),
    date(2028, 7, 3), date(2028, 11, 24),
}  # fmt: skip


def _by_kind(rows, kind, years=range(2025, 2029)):
    return {row.date for row in rows if row.kind == kind and row.date.year in years}


@pytest.fixture(scope="module")
def seed_rows():
    return nyse_calendar_rows()


def test_reference_tables_have_the_counts_the_docs_state():
    assert len(RULES_CLOSURES) == 40
    assert len(RULES_EARLY_CLOSES) == 8


def test_seed_closures_2025_to_2028_match_the_published_calendar_exactly(seed_rows):
    assert _by_kind(seed_rows, CLOSURE) == RULES_CLOSURES


def test_seed_early_closes_2025_to_2028_match_the_published_calendar_exactly(seed_rows):
    assert _by_kind(seed_rows, EARLY_CLOSE) == RULES_EARLY_CLOSES


def test_seed_includes_the_unscheduled_carter_mourning_closure(seed_rows):
    (row,) = [row for row in seed_rows if row.date == date(2025, 1, 9)]
    assert row.kind == CLOSURE
    assert "Carter" in row.name


@pytest.mark.parametrize(
    "day",
    [date(2027, 12, 31), date(2026, 7, 2), date(2027, 7, 2), date(2027, 12, 23), date(2028, 12, 22)],
    ids=str,
)
def test_seed_has_no_closure_or_early_close_where_the_published_calendar_has_none(seed_rows, day):
    assert day not in {row.date for row in seed_rows}


def test_seed_rows_carry_kind_name_and_source_and_are_sorted(seed_rows):
    assert seed_rows == sorted(seed_rows)
    assert {row.kind for row in seed_rows} == {CLOSURE, EARLY_CLOSE}
    assert all(row.name for row in seed_rows)
    assert {row.source for row in seed_rows} == {SOURCE}
    assert SOURCE.startswith("holidays.NYSE (python-holidays ")


def test_seed_covers_every_supported_year_from_2023_to_2028(seed_rows):
    assert SEED_YEARS == range(2023, 2029)
    assert {row.date.year for row in seed_rows} == set(SEED_YEARS)
    assert date(2023, 1, 2) in _by_kind(seed_rows, CLOSURE, years=SEED_YEARS)


def test_seed_honours_the_years_argument():
    assert {row.date.year for row in nyse_calendar_rows(years=[2026])} == {2026}


def test_no_date_is_both_a_closure_and_an_early_close(seed_rows):
    assert not _by_kind(seed_rows, CLOSURE, SEED_YEARS) & _by_kind(seed_rows, EARLY_CLOSE, SEED_YEARS)
