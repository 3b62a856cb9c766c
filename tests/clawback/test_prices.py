"""The price file import for the event study (clawback/prices.py): reading CSV and XLSX, every check, the
limits, and the demo price file. Pure: no database."""

import importlib.util
import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from clawback import prices
from clawback.prices import PriceFile, PriceFileError, PriceIssue, parse_price_file, price_calendar
from compliance_site.lib.markets import TradingCalendar

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "clawback" / "demo_data" / "prices-demo.csv"
HEADER = "Date,Company close,Market index,Peer index"
WEEK = [
    "2025-03-03,48.00,3850.00,910.00",
    "2025-03-04,48.50,3861.25,911.40",
    "2025-03-05,48.10,3840.00,909.00",
    "2025-03-06,47.90,3835.50,908.10",
    "2025-03-07,48.20,3850.75,910.30",
]


def csv_bytes(*lines, header=HEADER):
    return ("\n".join([header, *lines]) + "\n").encode("utf-8")


def parse(data, name="prices.csv", calendar_for=price_calendar):
    return parse_price_file(name, data, calendar_for=calendar_for)


def xlsx_bytes(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def summary(result):
    return [(issue.severity, issue.line, issue.code) for issue in result.issues]


def only(result, code):
    found = [issue for issue in result.issues if issue.code == code]
    assert len(found) == 1, result.issues
    return found[0]


# --- a clean file -------------------------------------------------------------------------------------


def test_a_clean_csv_gives_sorted_decimal_rows_and_no_issues():
    result = parse(csv_bytes(*WEEK))
    assert isinstance(result, PriceFile)
    assert result.ok and result.issues == () and result.errors == () and result.warnings == ()
    assert result.columns == {
        "date": "Date",
        "company": "Company close",
        "market": "Market index",
        "peer": "Peer index",
    }
    assert result.first_day == date(2025, 3, 3) and result.last_day == date(2025, 3, 7)
    assert result.rows[0] == (date(2025, 3, 3), Decimal("48.00"), Decimal("3850.00"), Decimal("910.00"))
    assert [row[0].day for row in result.rows] == [3, 4, 5, 6, 7]


def test_the_peer_column_is_optional():
    result = parse(csv_bytes("2025-03-03,48,3850", "2025-03-04,48.5,3861", header="Date,Close,Index"))
    assert result.ok and result.issues == ()
    assert result.columns == {"date": "Date", "company": "Close", "market": "Index"}
    assert result.rows[1] == (date(2025, 3, 4), Decimal("48.5"), Decimal("3861"), None)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("DATE,STOCK,MARKET,PEER", ("DATE", "STOCK", "MARKET", "PEER")),
        (
            "Trade Date,Adj Close,Market Index,Peer Index",
            ("Trade Date", "Adj Close", "Market Index", "Peer Index"),
        ),
        (
            "day,ACME company close,S&P market,Industry",
            ("day", "ACME company close", "S&P market", "Industry"),
        ),
        # "Peer" wins over "market" in a header naming both, and "Index" alone is the market.
        ("Date,Company,Peer market index,Index", ("Date", "Company", "Index", "Peer market index")),
        (
            "  Date , company  close ,market   index,Industry group",
            ("Date", "company  close", "market   index", "Industry group"),
        ),
    ],
)
def test_headers_are_recognised_case_insensitively(header, expected):
    result = parse(csv_bytes("2025-03-03,1,2,3", header=header))
    assert result.ok
    assert tuple(result.columns[role] for role in ("date", "company", "market", "peer")) == expected


def test_extra_columns_are_ignored():
    result = parse(csv_bytes("2025-03-03,48,3850,note", header="Date,Company close,Market index,Comment"))
    assert result.ok and result.rows == ((date(2025, 3, 3), Decimal(48), Decimal(3850), None),)


# --- CSV flavours ---------------------------------------------------------------------------------------


def test_a_byte_order_mark_and_semicolons_are_accepted():
    data = "\ufeffDate;Company close;Market index;Peer index\r\n2025-03-03;48.10;3850;910\r\n".encode()
    result = parse(data)
    assert result.ok and result.columns["date"] == "Date"
    assert result.rows == ((date(2025, 3, 3), Decimal("48.10"), Decimal(3850), Decimal(910)),)


def test_us_dates_are_month_first():
    result = parse(csv_bytes("03/04/2025,48,3850,910", "3/5/2025,48,3850,910"))
    assert result.ok and [row[0] for row in result.rows] == [date(2025, 3, 4), date(2025, 3, 5)]


def test_dollar_signs_spaces_and_quoted_thousands_separators_are_accepted():
    result = parse(
        csv_bytes('2025-03-03,$48.10,"$1,234.50"," 3,850.00 "', "2025-03-04, $ 48.20 ,1234.75,3851")
    )
    assert result.ok
    assert result.rows[0][1:] == (Decimal("48.10"), Decimal("1234.50"), Decimal("3850.00"))
    assert result.rows[1][1:] == (Decimal("48.20"), Decimal("1234.75"), Decimal("3851"))


def test_an_unquoted_thousands_separator_splits_the_row_and_is_refused():
    result = parse(csv_bytes("2025-03-03,48.10,1,234.50,910"))
    issue = only(result, "not_a_number")
    assert (issue.severity, issue.line, issue.day) == ("error", 2, date(2025, 3, 3))
    assert '"1,234.50"' in issue.message and "more values than the header" in issue.message
    assert not result.ok and result.rows == ()


def test_blank_lines_are_skipped_and_line_numbers_stay_physical():
    result = parse(b"\nDate,Close,Index\n\n2025-03-03,48,3850\n\n2025-03-04,x,3850\n")
    assert summary(result) == [("error", 6, "not_a_number")]


# --- XLSX ------------------------------------------------------------------------------------------------


def test_an_xlsx_file_reads_date_cells_iso_text_and_every_kind_of_number():
    data = xlsx_bytes(
        [
            ["Date", "Company close", "Market index", "Peer index"],
            [datetime(2025, 3, 3), 48.1, 3850, Decimal("910.25")],
            [date(2025, 3, 4), "$48.20", "3,861.25", None],
            ["2025-03-05", 48, 3840.5, 909],
            ["03/06/2025", 47.9, 3835.5, 908.1, "a note beyond the header"],
        ]
    )
    result = parse(data, name="Prices.XLSX")
    assert result.rows == (
        (date(2025, 3, 3), Decimal("48.1"), Decimal(3850), Decimal("910.25")),
        (date(2025, 3, 4), Decimal("48.20"), Decimal("3861.25"), None),
        (date(2025, 3, 5), Decimal(48), Decimal("3840.5"), Decimal(909)),
        (date(2025, 3, 6), Decimal("47.9"), Decimal("3835.5"), Decimal("908.1")),
    )
    assert summary(result) == [("warning", 3, "peer_gaps")]
    assert result.ok


def test_xlsx_problems_carry_the_sheet_row_number():
    data = xlsx_bytes(
        [
            [None],
            ["Date", "Close", "Market"],
            ["2025-03-07", 48, 3850],
            [date(2025, 3, 8), 48, 3850],
            [42, True, -1],
        ]
    )
    result = parse(data, name="p.xlsx")
    assert summary(result) == [
        ("error", 4, "not_trading_day"),
        ("error", 5, "not_a_date"),
        ("error", 5, "not_a_number"),
        ("error", 5, "not_positive"),
    ]


# --- issues on a line ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "wording"),
    [
        ("March 3 2025", "“March 3 2025” is not a date; write YYYY-MM-DD or MM/DD/YYYY."),
        ("2025-02-30", "“2025-02-30” is not a date"),
        ("13/01/2025", "“13/01/2025” is not a date"),
        ("", "The row has no date."),
        ("2205-03-03", "“2205-03-03” is not in 1950–2099; check the year."),
    ],
)
def test_not_a_date(cell, wording):
    result = parse(csv_bytes(WEEK[0], f"{cell},48,3850,910"))
    issue = only(result, "not_a_date")
    assert (issue.severity, issue.line, issue.day) == ("error", 3, None)
    assert wording in issue.message
    assert not result.ok and len(result.rows) == 1


@pytest.mark.parametrize(
    ("line", "wording"),
    [
        ("2025-03-04,abc,3850,910", "The company close for 2025-03-04 is “abc”, which is not a number."),
        ("2025-03-04,,3850,910", "The company close for 2025-03-04 is missing."),
        ("2025-03-04,48", "The market index for 2025-03-04 is missing."),
        ("2025-03-04,48,NaN,910", "The market index for 2025-03-04 is “NaN”, which is not a number."),
        ("2025-03-04,48,1e3,910", "“1e3”, which is not a number"),
        ("2025-03-04,48,3850,n/a", "The peer index for 2025-03-04 is “n/a”, which is not a number."),
        ('2025-03-04,"48,5",3850,910', "“48,5”, which is not a number"),
    ],
)
def test_not_a_number(line, wording):
    result = parse(csv_bytes(WEEK[0], line))
    issue = only(result, "not_a_number")
    assert (issue.severity, issue.line, issue.day) == ("error", 3, date(2025, 3, 4))
    assert issue.message == wording or wording in issue.message
    assert not result.ok


@pytest.mark.parametrize(
    ("line", "role"),
    [
        ("2025-03-04,0,3850,910", "company close"),
        ("2025-03-04,48,-3850,910", "market index"),
        ("2025-03-04,48,3850,$0.00", "peer index"),
    ],
)
def test_not_positive(line, role):
    issue = only(parse(csv_bytes(WEEK[0], line)), "not_positive")
    assert (issue.severity, issue.line) == ("error", 3)
    assert (
        issue.message.startswith(f"The {role} for 2025-03-04 is “") and "greater than zero" in issue.message
    )


def test_a_duplicate_day_is_an_error_on_the_second_line():
    result = parse(csv_bytes(WEEK[0], WEEK[1], "2025-03-03,49,3851,911"))
    issue = only(result, "duplicate_day")
    assert (issue.severity, issue.line, issue.day) == ("error", 4, date(2025, 3, 3))
    assert issue.message == "2025-03-03 appears twice (lines 2 and 4); keep one row."
    assert result.rows[0][1] == Decimal("48.00")  # the first row is the one kept
    assert not result.ok


def test_a_weekend_day_is_not_a_trading_day():
    issue = only(parse(csv_bytes(WEEK[4], "2025-03-08,48,3850,910")), "not_trading_day")
    assert (issue.severity, issue.line, issue.day) == ("error", 3, date(2025, 3, 8))
    assert issue.message == "2025-03-08 is a Saturday, not an NYSE trading day; remove the row."


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2025-07-04", "2025-07-04 is not an NYSE trading day (Independence Day); remove the row."),
        (
            "2025-01-09",
            "2025-01-09 is not an NYSE trading day (National Day of Mourning for former President Jimmy Carter); "
            "remove the row.",
        ),
    ],
)
def test_a_closure_is_named_in_the_message(day, message):
    result = parse(csv_bytes(f"{day},48,3850,910"))
    issue = only(result, "not_trading_day")
    assert issue.message == message
    assert not result.ok and result.rows == ()


def test_a_closure_the_seed_does_not_name_is_still_refused():
    custom = TradingCalendar(
        exchange="NYSE",
        version="test",
        closures=frozenset({date(2025, 3, 5)}),
        early_closes=frozenset(),
        first_year=2025,
        last_year=2025,
    )
    result = parse(csv_bytes(*WEEK), calendar_for=lambda first, last: custom)
    issue = only(result, "not_trading_day")
    assert issue.message == "2025-03-05 is not an NYSE trading day (the exchange was closed); remove the row."


def test_the_calendar_is_asked_for_the_years_the_file_covers():
    asked = []

    def calendar_for(first, last):
        asked.append((first, last))
        return price_calendar(first, last)

    parse(csv_bytes("2024-12-31,48,3850,910", "2025-01-02,48,3850,910"), calendar_for=calendar_for)
    assert asked == [(2024, 2025)]


# --- issues across rows -----------------------------------------------------------------------------------


def test_missing_trading_days_are_one_warning_per_gap():
    result = parse(csv_bytes(WEEK[0], WEEK[1], WEEK[4], "2025-03-10,48,3850,910", "2025-03-12,48,3850,910"))
    assert summary(result) == [("warning", None, "missing_days"), ("warning", None, "missing_days")]
    first, second = result.issues
    assert first.day == date(2025, 3, 5)
    assert first.message == (
        "2 NYSE trading days have no price between 2025-03-04 and 2025-03-07: 2025-03-05, 2025-03-06."
    )
    assert second.message == "1 NYSE trading day has no price between 2025-03-10 and 2025-03-12: 2025-03-11."
    assert result.ok  # a warning does not refuse the import


def test_a_long_gap_lists_five_days_and_counts_the_rest():
    issue = only(parse(csv_bytes(WEEK[0], "2025-03-13,48,3850,910")), "missing_days")
    assert issue.message == (
        "7 NYSE trading days have no price between 2025-03-03 and 2025-03-13: "
        "2025-03-04, 2025-03-05, 2025-03-06, 2025-03-07, 2025-03-10 and 2 more."
    )


@pytest.mark.parametrize(
    ("before", "after"),
    [("2025-07-03", "2025-07-07"), ("2025-01-08", "2025-01-10"), ("2025-12-24", "2025-12-26")],
)
def test_weekends_and_holidays_are_not_missing_days(before, after):
    assert parse(csv_bytes(f"{before},48,3850,910", f"{after},48,3850,910")).issues == ()


def test_a_halving_close_is_a_suspected_split():
    result = parse(csv_bytes("2025-05-30,120.00,3850,910", "2025-06-02,60.10,3850,910"))
    issue = only(result, "suspected_split")
    assert (issue.severity, issue.line, issue.day) == ("warning", 3, date(2025, 6, 2))
    assert issue.message == (
        "The company's close moves from 120.00 to 60.10 on 2025-06-02 (−49.9%), close to a 2-for-1 split; "
        "use prices adjusted for splits."
    )
    assert result.ok


@pytest.mark.parametrize(
    ("old", "new", "split"),
    [
        ("30", "90.5", "1-for-3 reverse split"),
        ("90", "60.9", "3-for-2 split"),
        ("40", "60", "2-for-3 reverse split"),
        ("100", "10.2", "10-for-1 split"),
        ("100", "25", "4-for-1 split"),
        ("10", "49", "1-for-5 reverse split"),
    ],
)
def test_every_split_ratio_is_recognised(old, new, split):
    issue = only(
        parse(csv_bytes(f"2025-03-03,{old},3850,910", f"2025-03-04,{new},3850,910")), "suspected_split"
    )
    assert f"close to a {split};" in issue.message


@pytest.mark.parametrize(("old", "new"), [("100", "70"), ("100", "54"), ("100", "140"), ("100", "80")])
def test_a_big_move_far_from_a_split_ratio_is_not_flagged(old, new):
    assert parse(csv_bytes(f"2025-03-03,{old},3850,910", f"2025-03-04,{new},3850,910")).issues == ()


def test_an_index_jump_is_a_suspected_split_too():
    result = parse(csv_bytes("2025-03-03,48,3850,910", "2025-03-04,48,385,1820"))
    market, peer = (issue for issue in result.issues if issue.code == "suspected_split")
    assert market.message == (
        "The market index moves from 3,850.00 to 385.00 on 2025-03-04 (−90.0%), close to a 10-for-1 split; "
        "check that the column holds the same index throughout."
    )
    assert peer.message.startswith(
        "The peer index moves from 910.00 to 1,820.00 on 2025-03-04 (+100.0%), close to a 1-for-2 reverse split"
    )


def test_empty_peer_cells_are_one_warning():
    result = parse(csv_bytes(WEEK[0], "2025-03-04,48,3850,", "2025-03-05,48,3850", WEEK[3]))
    issue = only(result, "peer_gaps")
    assert (issue.severity, issue.line, issue.day) == ("warning", 3, date(2025, 3, 4))
    assert (
        issue.message
        == "The peer index is empty on 2 rows (first 2025-03-04); those days have no peer comparison."
    )
    assert result.ok and result.rows[1][3] is None


def test_rows_out_of_order_are_sorted_with_one_warning():
    result = parse(csv_bytes(*reversed(WEEK)))
    issue = only(result, "out_of_order")
    assert (issue.severity, issue.line, issue.day) == ("warning", 3, date(2025, 3, 6))
    assert (
        issue.message
        == "The rows are not in date order (2025-03-06 comes after 2025-03-07); they were sorted."
    )
    assert [row[0].day for row in result.rows] == [3, 4, 5, 6, 7]
    assert result.ok and (result.first_day, result.last_day) == (date(2025, 3, 3), date(2025, 3, 7))


def test_errors_come_first_and_a_file_of_bad_rows_is_not_ok():
    result = parse(csv_bytes("2025-03-04,48,3850,910", "2025-03-03,x,3850,910"))
    assert summary(result) == [("error", 3, "not_a_number"), ("warning", 3, "out_of_order")]
    assert [issue.severity for issue in result.errors] == ["error"]
    assert [issue.code for issue in result.warnings] == ["out_of_order"]
    only_bad = parse(csv_bytes("2025-03-03,x,3850,910"))
    assert only_bad.rows == () and only_bad.first_day is None and not only_bad.ok


def test_issues_are_frozen():
    issue = PriceIssue("warning", None, None, "missing_days", "text")
    with pytest.raises(AttributeError):
        issue.code = "other"


# --- files that cannot be read -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["prices.xls", "prices.txt", "prices", "prices.csv.pdf"])
def test_only_csv_and_xlsx_are_read(name):
    with pytest.raises(PriceFileError, match="is not a CSV or XLSX file"):
        parse(csv_bytes(*WEEK), name=name)


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n\n", csv_bytes(), b"Date,Close,Index\n,,\n"])
def test_an_empty_or_header_only_file_has_no_price_rows(data):
    with pytest.raises(PriceFileError) as raised:
        parse(data)
    assert str(raised.value) == "The file has no price rows."


def test_an_empty_workbook_has_no_price_rows():
    with pytest.raises(PriceFileError, match="^The file has no price rows.$"):
        parse(xlsx_bytes([["Date", "Close", "Index"]]), name="p.xlsx")


def test_a_file_without_a_header_row_is_refused():
    with pytest.raises(PriceFileError) as raised:
        parse(b"2025-03-03,48,3850\n2025-03-04,48,3850\n")
    assert "The first row is not a header" in str(raised.value)
    assert "“2025-03-03”, “48”, “3850”" in str(raised.value) and "Date, Company close, Market index" in str(
        raised.value
    )


def test_a_missing_column_is_named_with_the_headers_found():
    with pytest.raises(PriceFileError) as raised:
        parse(csv_bytes("2025-03-03,48,3850", header="Date,Price,SPX"))
    assert str(raised.value) == (
        "The header has no company close or market index column. Found: “Date”, “Price”, “SPX”. "
        "Expected: Date, Company close, Market index and, optionally, Peer index."
    )
    with pytest.raises(PriceFileError, match="^The header has no date column"):
        parse(csv_bytes("2025-03-03,48,3850", header="When,Close,Index"))


def test_a_file_over_five_megabytes_is_refused():
    data = csv_bytes(*WEEK)
    with pytest.raises(PriceFileError, match="larger than 5 MB"):
        parse(data + b" " * (5 * 1024 * 1024 - len(data) + 1))
    # Blank lines of spaces bring the file to exactly 5 MB without adding rows (or millions of lines).
    padding = 5 * 1024 * 1024 - len(data)
    assert parse(data + (b" " * 1023 + b"\n") * (padding // 1024) + b" " * (padding % 1024)).ok


def test_more_than_twenty_thousand_rows_are_refused():
    data = csv_bytes(*["2025-03-03,48,3850,910"] * 20_001)
    with pytest.raises(PriceFileError, match="more than 20,000 price rows"):
        parse(data)


def test_the_row_limit_counts_price_rows_only(monkeypatch):
    monkeypatch.setattr(prices, "MAX_ROWS", 5)
    assert parse(csv_bytes(*WEEK, "", "")).ok
    with pytest.raises(PriceFileError, match="more than 5 price rows"):
        parse(csv_bytes(*WEEK, "2025-03-10,48,3850,910"))
    with pytest.raises(PriceFileError, match="more than 5 price rows"):
        parse(
            xlsx_bytes([["Date", "Close", "Index"], *[[date(2025, 3, d), 48, 3850] for d in range(3, 9)]]),
            name="p.xlsx",
        )


@pytest.mark.parametrize("data", [b"not a workbook", csv_bytes(*WEEK), b"PK\x03\x04broken zip"])
def test_an_unreadable_xlsx_is_refused(data):
    with pytest.raises(PriceFileError, match="XLSX file could not be"):
        parse(data, name="prices.xlsx")


def test_a_csv_that_is_not_utf8_is_refused():
    with pytest.raises(PriceFileError, match="not UTF-8"):
        parse("Date,Clôture,Index\n2025-03-03,48,3850\n".encode("latin-1"))


def test_the_error_is_a_value_error():
    assert issubclass(PriceFileError, ValueError)


# --- the calendar and the demo file -----------------------------------------------------------------------------


def test_price_calendar_is_built_once_per_year_range():
    calendar = price_calendar(2024, 2025)
    assert calendar is price_calendar(2024, 2025)
    assert (calendar.exchange, calendar.first_year, calendar.last_year) == ("NYSE", 2024, 2025)
    assert not calendar.is_trading_day(date(2025, 1, 9)) and calendar.is_trading_day(date(2025, 1, 10))


def _demo_script():
    spec = importlib.util.spec_from_file_location(
        "make_demo_prices", REPO / "scripts" / "make_demo_prices.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_demo_price_file_is_clean_and_covers_the_whole_study_period():
    result = parse(DEMO.read_bytes(), name=DEMO.name)
    assert result.ok and result.issues == ()
    assert (result.first_day, result.last_day) == (date(2022, 12, 1), date(2026, 6, 30))
    assert all(peer is not None for *_, peer in result.rows)
    company = {day: close for day, close, _, _ in result.rows}
    assert Decimal(60) <= company[date(2025, 12, 31)] <= Decimal(80)
    # The restatement news days trade, so the event study has a return for each.
    assert {date(2026, 4, 15), date(2026, 4, 16), date(2026, 5, 1), date(2026, 5, 4)} <= company.keys()


def test_the_demo_price_file_is_what_the_script_writes():
    assert _demo_script().render().encode("utf-8") == DEMO.read_bytes()
