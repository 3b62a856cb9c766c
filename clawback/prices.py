"""Daily closing prices for an event study, read from a CSV or XLSX upload and checked before saving.

Pure module (standard library and openpyxl, no Django). `parse_price_file` turns the upload into dated rows
(company close, market index, optional peer index) plus a list of issues: errors refuse the import, warnings
are shown and the import may go ahead, so a dry run can list every problem at once. Only a file that cannot
be read at all raises `PriceFileError`.

Trading days come from the caller's `calendar_for(first_year, last_year)`, so the import judges dates by the
same calendar the rest of the app uses; `price_calendar` (the NYSE seed rows) is the default.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from itertools import pairwise

from compliance_site.lib.markets import CLOSURE, TradingCalendar
from compliance_site.lib.nyse_seed import nyse_calendar_rows

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# A mistyped year (2205 for 2025) would otherwise ask for a calendar of centuries and report it all missing.
FIRST_YEAR, LAST_YEAR = 1950, 2099

ERROR, WARNING = "error", "warning"
_LABELS = {"company": "company close", "market": "market index", "peer": "peer index"}
_EXACT = {
    "date": {"date", "day", "trade date"},
    "company": {"company", "close", "company close", "adj close", "stock"},
    "market": {"market", "market index", "index"},
    "peer": {"peer", "peer index", "industry"},
}
# Peer first: "peer market index" names the peer, not the market.
_CONTAINS = (("peer", ("peer", "industry")), ("company", ("company",)), ("market", ("market",)))
# (shares after, shares before): the close moves by before/after on the split day.
_SPLITS = ((2, 1), (3, 1), (3, 2), (4, 1), (5, 1), (10, 1), (1, 2), (1, 3), (2, 3), (1, 4), (1, 5), (1, 10))
_SPLIT_TOLERANCE = Decimal("0.03")
_SPLIT_MIN_MOVE = Decimal("0.25")

# How a price is kept (PricePoint): 20 digits, 6 after the point. A value outside cannot be stored as read.
PRICE_DIGITS, PRICE_PLACES = 20, 6
_PRICE_LIMIT = Decimal(10) ** (PRICE_DIGITS - PRICE_PLACES)
_PRICE_STEP = Decimal(1).scaleb(-PRICE_PLACES)

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_NOISE = re.compile(r"[\s$]")


class PriceFileError(ValueError):
    """The file cannot be read at all; the message is plain English for the person who uploaded it."""


@dataclass(frozen=True)
class PriceIssue:
    severity: str
    line: int | None
    day: date | None
    code: str
    message: str


@dataclass(frozen=True)
class PriceFile:
    rows: tuple[tuple[date, Decimal, Decimal, Decimal | None], ...]
    issues: tuple[PriceIssue, ...]
    columns: dict
    first_day: date | None
    last_day: date | None

    @property
    def errors(self) -> tuple[PriceIssue, ...]:
        return tuple(issue for issue in self.issues if issue.severity == ERROR)

    @property
    def warnings(self) -> tuple[PriceIssue, ...]:
        return tuple(issue for issue in self.issues if issue.severity == WARNING)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors


# Closure names by calendar, filled by `price_calendar`: TradingCalendar carries dates only, and a calendar
# equal to a seed calendar has the same closures, so the seed's names apply to it too.
_CLOSURE_NAMES: dict[TradingCalendar, dict[date, str]] = {}


@lru_cache(maxsize=32)
def price_calendar(first_year: int, last_year: int) -> TradingCalendar:
    """The NYSE calendar for `first_year`..`last_year` from the seed rows (building them costs ~0.5 s)."""
    rows = nyse_calendar_rows(range(first_year, last_year + 1))
    calendar = TradingCalendar.from_rows(rows, exchange="NYSE", first_year=first_year, last_year=last_year)
    _CLOSURE_NAMES[calendar] = {row.date: row.name for row in rows if row.kind == CLOSURE and row.name}
    return calendar


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _csv_rows(data: bytes) -> Iterable[tuple[int, list]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PriceFileError("The CSV file is not UTF-8 text; save it as CSV UTF-8.") from None
    # The header decides the delimiter: headers hold no numbers, so their commas are always separators.
    header = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as exc:
        raise PriceFileError(f"The CSV file could not be read: {exc}.") from None


def _collect(rows: Iterable[tuple[int, Iterable]]) -> tuple[list, list[tuple[int, list]]]:
    header: list | None = None
    body: list[tuple[int, list]] = []
    for line, cells in rows:
        cells = list(cells)
        if all(_blank(cell) for cell in cells):
            continue
        if header is None:
            header = cells
            continue
        body.append((line, cells))
        if len(body) > MAX_ROWS:
            raise PriceFileError(
                f"The file has more than {MAX_ROWS:,} price rows; split it into smaller files."
            )
    if not body:
        raise PriceFileError("The file has no price rows.")
    return header, body


def _read_table(name: str, data: bytes) -> tuple[list, list[tuple[int, list]], bool]:
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in ("csv", "xlsx"):
        raise PriceFileError(f"“{name}” is not a CSV or XLSX file; save the prices as .csv or .xlsx.")
    if len(data) > MAX_BYTES:
        raise PriceFileError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; upload fewer rows.")
    if suffix == "csv":
        return *_collect(_csv_rows(data)), True
    import openpyxl  # XLSX only: a tenth of a second no command or CSV import should pay at start-up

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise PriceFileError("The XLSX file could not be opened; save it again as .xlsx.") from None
    try:
        sheet = book.worksheets[0]
        # Some writers record a wrong sheet size, and read-only mode would believe it and stop early.
        sheet.reset_dimensions()
        return *_collect(enumerate(sheet.iter_rows(values_only=True), start=1)), False
    except PriceFileError:
        raise
    except Exception:
        raise PriceFileError("The XLSX file could not be read; save it again from Excel as .xlsx.") from None
    finally:
        book.close()


def _columns(header: list) -> tuple[dict[str, int], dict[str, str]]:
    names = [" ".join(str(cell).split()).lower() if not _blank(cell) else "" for cell in header]
    found: dict[str, int] = {}
    for role, words in _EXACT.items():
        found[role] = next((i for i, n in enumerate(names) if n in words), -1)
    taken = {i for i in found.values() if i >= 0}
    for role, words in _CONTAINS:
        if found[role] < 0:
            hits = (i for i, n in enumerate(names) if i not in taken and any(w in n for w in words))
            found[role] = next(hits, -1)
            taken.add(found[role])
    index = {role: i for role, i in found.items() if i >= 0}
    missing = [role for role in ("date", "company", "market") if role not in index]
    if missing:
        shown = ", ".join(f"“{str(cell).strip()}”" for cell in header if not _blank(cell))
        expected = "Date, Company close, Market index and, optionally, Peer index"
        if not index:
            raise PriceFileError(
                f"The first row is not a header naming the columns (it reads {shown}); "
                f"add a header row: {expected}."
            )
        raise PriceFileError(
            f"The header has no {' or '.join(_LABELS.get(r, r) for r in missing)} column. "
            f"Found: {shown}. Expected: {expected}."
        )
    return index, {role: str(header[i]).strip() for role, i in index.items()}


def _to_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    elif match := _US_DATE.fullmatch(text):
        month, day, year = match.groups()
    else:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _to_number(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        # str() is the shortest text that round-trips, i.e. what the spreadsheet showed (48.1, not 48.099…).
        number = Decimal(str(value))
    elif isinstance(value, str):
        text = _NOISE.sub("", value)
        if _GROUPED.fullmatch(text):
            text = text.replace(",", "")
        if not _PLAIN.fullmatch(text):
            return None
        number = Decimal(text)
    else:
        return None
    return number if number.is_finite() else None


def _shown(value) -> str:
    text = str(value).strip()
    return f"“{text[:40]}…”" if len(text) > 40 else f"“{text}”"


def _amount(value: Decimal) -> str:
    return f"{value:,.2f}" if value == value.quantize(Decimal("0.01")) else f"{value:,}"


@dataclass
class _Record:
    line: int
    day: date | None
    values: dict
    valid: bool
    peer_blank: bool


def _record(line: int, cells: list, index: dict[str, int], width: int, strict: bool, issues: list) -> _Record:
    cells = cells + [None] * (width - len(cells))
    cell = cells[index["date"]]
    day = _to_date(cell)
    problems: list[tuple[str, str]] = []
    if _blank(cell):
        problems.append(("not_a_date", "The row has no date."))
    elif day is None:
        problems.append(("not_a_date", f"{_shown(cell)} is not a date; write YYYY-MM-DD or MM/DD/YYYY."))
    elif not FIRST_YEAR <= day.year <= LAST_YEAR:
        day = None
        problems.append(("not_a_date", f"{_shown(cell)} is not in {FIRST_YEAR}–{LAST_YEAR}; check the year."))
    where = day.isoformat() if day else f"line {line}"
    if strict and any(not _blank(extra) for extra in cells[width:]):
        message = (
            f"The row for {where} has more values than the header has columns; put numbers with thousands "
            'separators in quotes ("1,234.50") or leave the separators out.'
        )
        problems.append(("not_a_number", message))
    values: dict[str, Decimal | None] = {}
    for role in ("company", "market", "peer"):
        if role not in index:
            continue
        raw = cells[index[role]]
        values[role] = number = None if _blank(raw) else _to_number(raw)
        what = f"The {_LABELS[role]} for {where}"
        if _blank(raw):
            if role != "peer":
                problems.append(("not_a_number", f"{what} is missing."))
        elif number is None:
            problems.append(("not_a_number", f"{what} is {_shown(raw)}, which is not a number."))
        elif number <= 0:
            problems.append(("not_positive", f"{what} is {_shown(raw)}; prices must be greater than zero."))
        elif number >= _PRICE_LIMIT:
            problems.append(
                (
                    "too_large",
                    f"{what} is {_shown(raw)}; a price or index level must be below "
                    f"{_PRICE_LIMIT:,.0f}: check the column.",
                )
            )
        elif number.quantize(_PRICE_STEP) == 0:
            problems.append(
                (
                    "not_positive",
                    f"{what} is {_shown(raw)}, which is zero at the {PRICE_PLACES} "
                    "decimal places prices are kept to.",
                )
            )
    issues.extend(PriceIssue(ERROR, line, day, code, message) for code, message in problems)
    peer_blank = "peer" in index and _blank(cells[index["peer"]])
    return _Record(line, day, values, not problems, peer_blank)


def _not_trading_message(day: date, calendar: TradingCalendar) -> str:
    exchange = calendar.exchange
    if day.weekday() >= 5:
        return f"{day.isoformat()} is a {day:%A}, not an {exchange} trading day; remove the row."
    name = _CLOSURE_NAMES.get(calendar, {}).get(day, "the exchange was closed")
    return f"{day.isoformat()} is not an {exchange} trading day ({name}); remove the row."


def _split_issues(rows: list[tuple], lines: dict[date, int], issues: list) -> None:
    subjects = (
        (1, "The company's close", "use prices adjusted for splits"),
        (2, "The market index", "check that the column holds the same index throughout"),
        (3, "The peer index", "check that the column holds the same index throughout"),
    )
    for before, after in pairwise(rows):
        for position, subject, advice in subjects:
            old, new = before[position], after[position]
            if old is None or new is None:
                continue
            ratio = new / old
            if abs(ratio - 1) <= _SPLIT_MIN_MOVE:
                continue
            for shares_after, shares_before in _SPLITS:
                target = Decimal(shares_before) / Decimal(shares_after)
                if abs(ratio - target) <= target * _SPLIT_TOLERANCE:
                    kind = "split" if shares_after > shares_before else "reverse split"
                    change = (ratio - 1) * 100
                    percent = f"{'+' if change > 0 else '−'}{abs(change):.1f}%"
                    message = (
                        f"{subject} moves from {_amount(old)} to {_amount(new)} on {after[0].isoformat()} "
                        f"({percent}), close to a {shares_after}-for-{shares_before} {kind}; {advice}."
                    )
                    issues.append(PriceIssue(WARNING, lines[after[0]], after[0], "suspected_split", message))
                    break


def parse_price_file(
    name: str, data: bytes, *, calendar_for: Callable[[int, int], TradingCalendar]
) -> PriceFile:
    """Read and check a price file; raise PriceFileError only when it cannot be read at all."""
    header, body, strict = _read_table(name, data)
    index, columns = _columns(header)
    issues: list[PriceIssue] = []
    records = [_record(line, cells, index, len(header), strict, issues) for line, cells in body]
    dated = [record for record in records if record.day is not None]
    years = [record.day.year for record in dated]
    calendar = calendar_for(min(years), max(years)) if dated else None

    first_line: dict[date, int] = {}
    latest: _Record | None = None
    unordered = False
    for record in dated:
        day = record.day
        if latest is not None and day < latest.day and not unordered:
            unordered = True
            message = f"The rows are not in date order ({day} comes after {latest.day}); they were sorted."
            issues.append(PriceIssue(WARNING, record.line, day, "out_of_order", message))
        if latest is None or day > latest.day:
            latest = record
        if day in first_line:
            record.valid = False
            message = f"{day} appears twice (lines {first_line[day]} and {record.line}); keep one row."
            issues.append(PriceIssue(ERROR, record.line, day, "duplicate_day", message))
            continue
        first_line[day] = record.line
        if not calendar.is_trading_day(day):
            record.valid = False
            message = _not_trading_message(day, calendar)
            issues.append(PriceIssue(ERROR, record.line, day, "not_trading_day", message))

    for prev, nxt in pairwise(sorted(first_line)):
        between = (prev + timedelta(days=n) for n in range(1, (nxt - prev).days))
        gap = [d for d in between if calendar.is_trading_day(d)]
        if gap:
            listed = ", ".join(d.isoformat() for d in gap[:5])
            more = f" and {len(gap) - 5} more" if len(gap) > 5 else ""
            days = f"{calendar.exchange} trading day{' has' if len(gap) == 1 else 's have'}"
            message = f"{len(gap)} {days} no price between {prev} and {nxt}: {listed}{more}."
            issues.append(PriceIssue(WARNING, None, gap[0], "missing_days", message))

    rows = sorted(
        (r.day, r.values["company"], r.values["market"], r.values.get("peer")) for r in records if r.valid
    )
    _split_issues(rows, first_line, issues)

    gaps = [record for record in records if record.peer_blank]
    if gaps:
        first = min(gaps, key=lambda r: (r.day is None, r.day or date.min))
        count = "1 row" if len(gaps) == 1 else f"{len(gaps)} rows"
        since = f" (first {first.day})" if first.day else ""
        message = f"The peer index is empty on {count}{since}; those days have no peer comparison."
        issues.append(PriceIssue(WARNING, first.line, first.day, "peer_gaps", message))

    issues.sort(key=lambda i: (i.severity != ERROR, i.line is None, i.line or 0, i.day or date.min))
    return PriceFile(
        rows=tuple(rows),
        issues=tuple(issues),
        columns=columns,
        first_day=rows[0][0] if rows else None,
        last_day=rows[-1][0] if rows else None,
    )
