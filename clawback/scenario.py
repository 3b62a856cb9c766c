"""Read and write `clawback-scenario/1` files and write `clawback-result/1` results.

Framework-free (standard library only), so the management command, the upload page and the API all share
one parser (spec/clawback-scenario.md). Validation is complete: every problem is collected with the JSON
path of the bad field, e.g. ``$.awards[3].formula.points[1]: points must be strictly ascending in x``,
and reported at once as a `ScenarioError`; no JSON input produces any other exception.

`scenario_to_json` is the inverse of `parse_scenario`, so a case held in the database can be exported as a
scenario file and re-evaluated to the same result.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from clawback.recovery import (
    AWARD_TYPES,
    BASES,
    INCENTIVE_BASIS,
    LISTING_STANDARD_EFFECTIVE,
    MEASURE_CATEGORIES,
    UNITS,
    USD,
    Award,
    AwardResult,
    CurveFormula,
    Estimate,
    Executive,
    FiscalPeriod,
    Formula,
    LinearFormula,
    ListedPeriod,
    Measure,
    MeasureValue,
    OfficerPeriod,
    RecoveryResult,
    Restatement,
    RestatementEvent,
    RestatementKind,
    Scenario,
)

SCENARIO_FORMAT = "clawback-scenario/1"
RESULT_FORMAT = "clawback-result/1"

# Amounts must fit comfortably in the engine's 100-digit arithmetic (products of three amounts, then
# cents): no measure, price or payout needs more than 18 integer digits.
_MAX_INTEGER_DIGITS = 18
_MAX_FRACTION_DIGITS = 20
_DECIMAL_RE = re.compile(r"-?([0-9]+)(?:\.([0-9]+))?")
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PLAIN_KEY_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")

_JSON_TYPE_NAMES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    type(None): "null",
}


class ScenarioError(ValueError):
    """A scenario file that cannot be evaluated, with every problem as (JSON path, message)."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = list(errors)
        super().__init__("\n".join(f"{path}: {message}" for path, message in self.errors))


class _DuplicateKeysObject(dict):
    """A JSON object that repeated a key; `json.loads` would otherwise keep the last value silently."""

    duplicate_keys: tuple[str, ...] = ()


def _object_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    seen: set[str] = set()
    duplicates = []
    for key, _ in pairs:
        if key in seen and key not in duplicates:
            duplicates.append(key)
        seen.add(key)
    marked = _DuplicateKeysObject(pairs)
    marked.duplicate_keys = tuple(duplicates)
    return marked


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed; amounts are strings holding decimals")


def load_scenario(text: str | bytes) -> Scenario:
    """Parse JSON text into a Scenario; raises ScenarioError (never anything else) when it is not one."""
    try:
        data = json.loads(text, object_pairs_hook=_object_pairs, parse_constant=_reject_constant)
    except RecursionError:
        raise ScenarioError([("$", "invalid JSON: nested too deeply")]) from None
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, NaN/Infinity
        raise ScenarioError([("$", f"invalid JSON: {exc}")]) from None
    return parse_scenario(data)


def parse_scenario(data: Any) -> Scenario:
    """Validate decoded JSON against `clawback-scenario/1` and build the Scenario.

    Raises ScenarioError listing every problem (unknown or missing keys, wrong types, bad decimals and
    dates, bad enum values, overlapping fiscal periods, duplicate ids, dangling references, unordered
    curve points, ...), each with its JSON path.
    """
    parser = _Parser()
    scenario = parser.scenario(data)
    if parser.errors or scenario is None:
        raise ScenarioError(parser.errors or [("$", "not a valid scenario")])
    return scenario


def validate_scenario(scenario: Scenario) -> list[tuple[str, str]]:
    """The errors `parse_scenario` would report for this Scenario (e.g. one assembled from the database),
    with paths into its JSON form; empty when it can be evaluated."""
    try:
        parse_scenario(scenario_to_json(scenario))
    except ScenarioError as exc:
        return exc.errors
    return []


# --- Paths and JSON types -------------------------------------------------------------------------


def _key(path: str, key: Any) -> str:
    key = str(key)
    return f"{path}.{key}" if _PLAIN_KEY_RE.fullmatch(key) else f"{path}[{json.dumps(key)}]"


def _index(path: str, index: int) -> str:
    return f"{path}[{index}]"


def _show(value: Any) -> str:
    """A value quoted for a message, shortened so a huge input cannot flood the error list."""
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):  # not JSON at all (parse_scenario was handed Python objects)
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _json_type(value: Any) -> str:
    return _JSON_TYPE_NAMES.get(type(value), type(value).__name__)


class _Bad:
    """Marks a field that failed validation (None is a legal value for several fields)."""


BAD: Any = _Bad()


def _ok(*values: Any) -> bool:
    return not any(v is BAD for v in values)


class _Parser:
    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def error(self, path: str, message: str) -> Any:
        self.errors.append((path, message))
        return BAD

    # --- primitives -------------------------------------------------------------------------------

    def object(self, value: Any, path: str, *, required: Iterable[str], optional: Iterable[str] = ()) -> Any:
        """The object's keys checked (unknown, missing, repeated); BAD if it is not an object."""
        if not isinstance(value, dict):
            return self.error(path, f"must be an object, not {_json_type(value)}")
        required = tuple(required)
        allowed = set(required) | set(optional)
        for key in getattr(value, "duplicate_keys", ()):
            self.error(_key(path, key), "key appears more than once")
        for key in value:
            if not isinstance(key, str):
                self.error(path, f"keys must be strings, not {_json_type(key)}")
            elif key not in allowed:
                self.error(_key(path, key), "unknown key")
        for key in required:
            if key not in value:
                self.error(_key(path, key), "required key is missing")
        return value

    def array(self, value: Any, path: str, *, non_empty: bool = False) -> Any:
        if not isinstance(value, list):
            return self.error(path, f"must be an array, not {_json_type(value)}")
        if non_empty and not value:
            return self.error(path, "must not be empty")
        return value

    def string(self, value: Any, path: str, *, non_empty: bool = True) -> Any:
        if not isinstance(value, str):
            return self.error(path, f"must be a string, not {_json_type(value)}")
        if non_empty and not value.strip():
            return self.error(path, "must not be empty")
        return value

    def boolean(self, value: Any, path: str) -> Any:
        if not isinstance(value, bool):
            return self.error(path, f"must be true or false, not {_json_type(value)}")
        return value

    def choice(self, value: Any, path: str, choices: Iterable[str]) -> Any:
        choices = tuple(choices)
        if not isinstance(value, str):
            return self.error(path, f"must be a string, not {_json_type(value)}")
        if value not in choices:
            return self.error(path, f"must be one of {', '.join(choices)}; got {_show(value)}")
        return value

    def date(self, value: Any, path: str, *, nullable: bool = False) -> Any:
        if value is None and nullable:
            return None
        if not isinstance(value, str):
            expected = "a date string YYYY-MM-DD" + (" or null" if nullable else "")
            return self.error(path, f"must be {expected}, not {_json_type(value)}")
        if not _DATE_RE.fullmatch(value):
            return self.error(path, f"must be a date YYYY-MM-DD; got {_show(value)}")
        try:
            return date.fromisoformat(value)
        except ValueError:
            return self.error(path, f"is not a real date: {_show(value)}")

    def decimal(self, value: Any, path: str, *, non_negative: bool = False, cents: bool = False) -> Any:
        if isinstance(value, bool) or not isinstance(value, str):
            hint = (
                " (a JSON number is not accepted: write it in quotes)" if type(value) in (int, float) else ""
            )
            return self.error(path, f'must be a string holding a decimal, e.g. "1200000.00"{hint}')
        match = _DECIMAL_RE.fullmatch(value)
        if match is None:
            return self.error(path, f'must hold a plain decimal such as "1200000.00"; got {_show(value)}')
        integer, fraction = match.group(1), match.group(2) or ""
        if len(integer.lstrip("0")) > _MAX_INTEGER_DIGITS or len(fraction) > _MAX_FRACTION_DIGITS:
            return self.error(
                path,
                f"has too many digits (at most {_MAX_INTEGER_DIGITS} before and "
                f"{_MAX_FRACTION_DIGITS} after the decimal point)",
            )
        amount = Decimal(value)
        if non_negative and amount < 0:
            return self.error(path, "must not be negative")
        if cents and len(fraction.rstrip("0")) > 2:
            return self.error(path, "a USD amount has at most two decimal places")
        return amount

    def field(
        self, obj: Any, key: str, path: str, check: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> Any:
        """obj[key] checked; a missing key (already reported by `object`) or a bad parent is BAD."""
        if obj is BAD or key not in obj:
            return BAD
        return check(obj[key], _key(path, key), *args, **kwargs)

    def optional(
        self, obj: Any, key: str, path: str, default: Any, check: Callable[..., Any], **kwargs: Any
    ) -> Any:
        if obj is BAD:
            return BAD
        if key not in obj:
            return default
        return check(obj[key], _key(path, key), **kwargs)

    # --- the document -----------------------------------------------------------------------------

    def scenario(self, data: Any) -> Scenario | None:
        root = self.object(
            data, "$", required=("format", "company", "restatement", "measures", "executives", "awards")
        )
        if root is BAD:
            return None
        if "format" in root and root["format"] != SCENARIO_FORMAT:
            self.error("$.format", f"must be {json.dumps(SCENARIO_FORMAT)}; got {_show(root['format'])}")

        company = self.company(root["company"]) if "company" in root else BAD
        restatement = self.restatement(root["restatement"]) if "restatement" in root else BAD
        measures, measure_periods = self.measures(root["measures"]) if "measures" in root else (BAD, {})
        executives, executive_ids = (
            self.executives(root["executives"]) if "executives" in root else (BAD, set())
        )
        awards = self.awards(root["awards"], executive_ids, measure_periods) if "awards" in root else BAD
        if self.errors or not _ok(company, restatement, measures, executives, awards):
            return None
        name, fiscal_periods, effective, listed = company
        return Scenario(
            company_name=name,
            fiscal_periods=fiscal_periods,
            listing_standard_effective_date=effective,
            listed_periods=listed,
            restatement=restatement,
            measures=measures,
            executives=executives,
            awards=awards,
        )

    def company(self, value: Any) -> Any:
        path = "$.company"
        obj = self.object(
            value,
            path,
            required=("name", "fiscal_periods"),
            optional=("listing_standard_effective_date", "listed_periods"),
        )
        name = self.field(obj, "name", path, self.string)
        periods = (
            self.fiscal_periods(obj["fiscal_periods"]) if obj is not BAD and "fiscal_periods" in obj else BAD
        )
        effective = self.optional(
            obj, "listing_standard_effective_date", path, LISTING_STANDARD_EFFECTIVE, self.date
        )
        listed = (
            self.listed_periods(obj["listed_periods"]) if obj is not BAD and "listed_periods" in obj else None
        )
        if not _ok(obj, name, periods, effective, listed):
            return BAD
        return name, periods, effective, listed

    def fiscal_periods(self, value: Any) -> Any:
        path = "$.company.fiscal_periods"
        items = self.array(value, path, non_empty=True)
        if items is BAD:
            return BAD
        periods: list[Any] = []
        first_index: dict[str, int] = {}
        for i, raw in enumerate(items):
            item_path = _index(path, i)
            obj = self.object(raw, item_path, required=("label", "start", "end"), optional=("transition",))
            label = self.field(obj, "label", item_path, self.string)
            start = self.field(obj, "start", item_path, self.date)
            end = self.field(obj, "end", item_path, self.date)
            transition = self.optional(obj, "transition", item_path, False, self.boolean)
            if label is not BAD:
                if label in first_index:
                    self.error(
                        _key(item_path, "label"),
                        f"duplicate label {_show(label)} (also at {_index(path, first_index[label])})",
                    )
                else:
                    first_index[label] = i
            if _ok(start, end) and end < start:
                self.error(_key(item_path, "end"), "must not be before start")
                end = BAD
            if _ok(obj, label, start, end, transition):
                periods.append((i, FiscalPeriod(label=label, start=start, end=end, transition=transition)))
            else:
                periods.append((i, BAD))
        valid = sorted(((i, p) for i, p in periods if p is not BAD), key=lambda ip: (ip[1].start, ip[0]))
        # Sorted by start, a period overlaps an earlier one exactly when it starts on or before the latest
        # end seen so far; O(n log n) rather than comparing every pair.
        latest: tuple[int, FiscalPeriod] | None = None
        for i, period in valid:
            if latest is not None and period.start <= latest[1].end:
                other = latest[1]
                self.error(
                    _index(path, i),
                    f"overlaps {other.label} ({other.start.isoformat()} to {other.end.isoformat()}, "
                    f"at {_index(path, latest[0])}); fiscal periods must not overlap",
                )
            if latest is None or period.end > latest[1].end:
                latest = (i, period)
        if any(p is BAD for _, p in periods):
            return BAD
        return tuple(p for _, p in periods)

    def listed_periods(self, value: Any) -> Any:
        path = "$.company.listed_periods"
        items = self.array(value, path)
        if items is BAD:
            return BAD
        if not items:
            return self.error(path, "must list at least one period; leave the key out when listed throughout")
        result: list[Any] = []
        for i, raw in enumerate(items):
            item_path = _index(path, i)
            obj = self.object(raw, item_path, required=("start",), optional=("end",))
            start = self.field(obj, "start", item_path, self.date)
            end = self.optional(obj, "end", item_path, None, self.date, nullable=True)
            if _ok(start, end) and end is not None and end < start:
                end = self.error(_key(item_path, "end"), "must not be before start")
            result.append(ListedPeriod(start=start, end=end) if _ok(obj, start, end) else BAD)
        return BAD if not _ok(*result) else tuple(result)

    def restatement(self, value: Any) -> Any:
        path = "$.restatement"
        obj = self.object(value, path, required=("kind", "events"))
        kind = self.field(obj, "kind", path, self.choice, tuple(RestatementKind))
        events_raw = self.field(obj, "events", path, self.array)
        events: list[Any] = []
        if events_raw is not BAD:
            for i, raw in enumerate(events_raw):
                event_path = _index(_key(path, "events"), i)
                event = self.object(raw, event_path, required=("kind", "date"))
                # Any kind is recorded; only the five in recovery.REQUIRED_ON_EVENT_KINDS can set RD.
                event_kind = self.field(event, "kind", event_path, self.string)
                event_date = self.field(event, "date", event_path, self.date)
                ok = _ok(event, event_kind, event_date)
                events.append(RestatementEvent(kind=event_kind, date=event_date) if ok else BAD)
        if not _ok(obj, kind, events_raw, *events):
            return BAD
        return Restatement(kind=kind, events=tuple(events))

    def measures(self, value: Any) -> tuple[Any, dict[str, set[str] | None]]:
        """The measures, plus each key's period labels (None when unreadable) so award references can
        be checked even when a measure has errors of its own."""
        path = "$.measures"
        periods_by_key: dict[str, set[str] | None] = {}
        if not isinstance(value, dict):
            return self.error(path, f"must be an object, not {_json_type(value)}"), periods_by_key
        for key in getattr(value, "duplicate_keys", ()):
            self.error(_key(path, key), "key appears more than once")
        result: list[Any] = []
        for key, raw in value.items():
            measure_path = _key(path, key)
            if not isinstance(key, str):
                result.append(self.error(path, f"keys must be strings, not {_json_type(key)}"))
                continue
            if not key.strip():
                self.error(measure_path, "a measure key must not be empty")
            obj = self.object(raw, measure_path, required=("category", "values"))
            category = self.field(obj, "category", measure_path, self.choice, MEASURE_CATEGORIES)
            values = (
                self.measure_values(obj["values"], _key(measure_path, "values"))
                if obj is not BAD and ("values" in obj)
                else BAD
            )
            periods_by_key[key] = (
                set(obj["values"]) if obj is not BAD and isinstance(obj.get("values"), dict) else None
            )
            ok = key.strip() and _ok(obj, category, values)
            result.append(Measure(key=key, category=category, values=values) if ok else BAD)
        return (BAD if not _ok(*result) else tuple(result)), periods_by_key

    def measure_values(self, value: Any, path: str) -> Any:
        if not isinstance(value, dict):
            return self.error(path, f"must be an object of period label -> values, not {_json_type(value)}")
        for key in getattr(value, "duplicate_keys", ()):
            self.error(_key(path, key), "key appears more than once")
        result: dict[str, Any] = {}
        for label, raw in value.items():
            value_path = _key(path, label)
            if not isinstance(label, str):
                result[str(label)] = self.error(path, f"keys must be strings, not {_json_type(label)}")
                continue
            if not label.strip():
                self.error(value_path, "a period label must not be empty")
            obj = self.object(raw, value_path, required=("original",), optional=("restated",))
            original = self.field(obj, "original", value_path, self.decimal)
            restated = BAD if obj is BAD else obj.get("restated")
            # A value that was not restated may omit `restated` or give null.
            if restated is not None and restated is not BAD:
                restated = self.decimal(restated, _key(value_path, "restated"))
            ok = label.strip() and _ok(obj, original, restated)
            result[label] = MeasureValue(original=original, restated=restated) if ok else BAD
        return BAD if not _ok(*result.values()) else result

    def executives(self, value: Any) -> tuple[Any, set[str]]:
        path = "$.executives"
        items = self.array(value, path)
        ids: set[str] = set()
        if items is BAD:
            return BAD, ids
        first_index: dict[str, int] = {}
        result: list[Any] = []
        for i, raw in enumerate(items):
            item_path = _index(path, i)
            obj = self.object(raw, item_path, required=("id", "name", "officer_periods"))
            exec_id = self.field(obj, "id", item_path, self.string)
            name = self.field(obj, "name", item_path, self.string)
            if exec_id is not BAD:
                ids.add(exec_id)
                if exec_id in first_index:
                    self.error(
                        _key(item_path, "id"),
                        f"duplicate executive id {_show(exec_id)} "
                        f"(also at {_index(path, first_index[exec_id])})",
                    )
                else:
                    first_index[exec_id] = i
            periods = (
                self.officer_periods(obj["officer_periods"], _key(item_path, "officer_periods"))
                if (obj is not BAD and "officer_periods" in obj)
                else BAD
            )
            ok = _ok(obj, exec_id, name, periods)
            result.append(Executive(id=exec_id, name=name, officer_periods=periods) if ok else BAD)
        return (BAD if not _ok(*result) else tuple(result)), ids

    def officer_periods(self, value: Any, path: str) -> Any:
        items = self.array(value, path)
        if items is BAD:
            return BAD
        result: list[Any] = []
        for i, raw in enumerate(items):
            item_path = _index(path, i)
            obj = self.object(raw, item_path, required=("start",), optional=("end",))
            start = self.field(obj, "start", item_path, self.date)
            end = self.optional(obj, "end", item_path, None, self.date, nullable=True)
            if _ok(start, end) and end is not None and end < start:
                end = self.error(_key(item_path, "end"), "must not be before start")
            result.append(OfficerPeriod(start=start, end=end) if _ok(obj, start, end) else BAD)
        return BAD if not _ok(*result) else tuple(result)

    def awards(
        self,
        value: Any,
        executive_ids: set[str],
        measure_periods: dict[str, set[str] | None],
    ) -> Any:
        path = "$.awards"
        items = self.array(value, path)
        if items is BAD:
            return BAD
        first_index: dict[str, int] = {}
        result: list[Any] = []
        for i, raw in enumerate(items):
            award = self.award(raw, _index(path, i), executive_ids, measure_periods)
            if isinstance(award, Award):
                if award.id in first_index:
                    self.error(
                        _key(_index(path, i), "id"),
                        f"duplicate award id {_show(award.id)} "
                        f"(also at {_index(path, first_index[award.id])})",
                    )
                else:
                    first_index[award.id] = i
            result.append(award)
        return BAD if not _ok(*result) else tuple(result)

    def award(
        self,
        raw: Any,
        path: str,
        executive_ids: set[str],
        measure_periods: dict[str, set[str] | None],
    ) -> Any:
        obj = self.object(
            raw,
            path,
            required=("id", "executive", "type", "basis", "performance_period", "unit", "received"),
            optional=(
                "measure",
                "measure_period",
                "formula",
                "value_per_unit",
                "requires_estimate",
                "estimate",
            ),
        )
        award_id = self.field(obj, "id", path, self.string)
        executive = self.field(obj, "executive", path, self.string)
        if executive is not BAD and executive not in executive_ids:
            self.error(_key(path, "executive"), f"no executive has id {_show(executive)}")
        award_type = self.field(obj, "type", path, self.choice, AWARD_TYPES)
        basis = self.field(obj, "basis", path, self.choice, BASES)
        period_path = _key(path, "performance_period")
        period = self.field(obj, "performance_period", path, self.object, required=("start", "end"))
        start = self.field(period, "start", period_path, self.date)
        end = self.field(period, "end", period_path, self.date)
        if _ok(start, end) and end < start:
            end = self.error(_key(period_path, "end"), "must not be before start")
        unit = self.field(obj, "unit", path, self.choice, (USD, UNITS))
        received = self.field(obj, "received", path, self.decimal, non_negative=True, cents=unit == USD)
        value_per_unit = self.optional(obj, "value_per_unit", path, None, self.decimal, non_negative=True)
        if obj is not BAD and unit == UNITS and "value_per_unit" not in obj:
            value_per_unit = self.error(
                _key(path, "value_per_unit"), 'required when unit is "units" (the USD value of one unit)'
            )
        if obj is not BAD and unit == USD and "value_per_unit" in obj:
            value_per_unit = self.error(_key(path, "value_per_unit"), 'only allowed when unit is "units"')
        requires_estimate = self.optional(obj, "requires_estimate", path, False, self.boolean)

        measure = self.optional(obj, "measure", path, None, self.string)
        measure_period = self.optional(obj, "measure_period", path, None, self.string)
        formula = self.optional(obj, "formula", path, None, self.formula)
        if obj is not BAD:
            given = [k for k in ("measure", "measure_period", "formula") if k in obj]
            if basis == INCENTIVE_BASIS or given:
                reason = (
                    "an incentive-based award needs a measure, a measure_period and a formula"
                    if basis == INCENTIVE_BASIS
                    else "measure, measure_period and formula go together"
                )
                for key in ("measure", "measure_period", "formula"):
                    if key not in obj:
                        self.error(_key(path, key), f"required: {reason}")
        if isinstance(measure, str):
            if measure not in measure_periods:
                self.error(_key(path, "measure"), f"no measure has key {_show(measure)}")
            elif isinstance(measure_period, str):
                labels = measure_periods[measure]
                if labels is not None and measure_period not in labels:
                    self.error(
                        _key(path, "measure_period"),
                        f"measure {_show(measure)} has no value for {_show(measure_period)}",
                    )
        estimate = self.optional(obj, "estimate", path, None, self.estimate)
        ok = _ok(
            obj, award_id, executive, award_type, basis, period, start, end, unit, received, value_per_unit,
            requires_estimate, measure, measure_period, formula, estimate,
        )  # fmt: skip
        if not ok:
            return BAD
        return Award(
            id=award_id,
            executive=executive,
            type=award_type,
            basis=basis,
            performance_start=start,
            performance_end=end,
            measure=measure,
            measure_period=measure_period,
            formula=formula,
            unit=unit,
            received=received,
            value_per_unit=value_per_unit,
            requires_estimate=requires_estimate,
            estimate=estimate,
        )

    def formula(self, value: Any, path: str) -> Any:
        if not isinstance(value, dict):
            return self.error(path, f"must be an object, not {_json_type(value)}")
        kind = value.get("kind")
        if kind == "curve":
            obj = self.object(value, path, required=("kind", "target", "points"))
            target = self.field(obj, "target", path, self.decimal, non_negative=True)
            points = self.field(obj, "points", path, self.points)
            return CurveFormula(target=target, points=points) if _ok(target, points) else BAD
        if kind == "linear":
            obj = self.object(value, path, required=("kind", "rate"), optional=("offset", "cap"))
            rate = self.field(obj, "rate", path, self.decimal)
            offset = self.optional(obj, "offset", path, Decimal(0), self.decimal)
            cap = self.optional(obj, "cap", path, None, self.decimal, non_negative=True)
            return LinearFormula(rate=rate, offset=offset, cap=cap) if _ok(rate, offset, cap) else BAD
        if "kind" not in value:
            return self.error(_key(path, "kind"), 'required key is missing ("curve" or "linear")')
        return self.error(_key(path, "kind"), f'must be "curve" or "linear"; got {_show(kind)}')

    def points(self, value: Any, path: str) -> Any:
        items = self.array(value, path, non_empty=True)
        if items is BAD:
            return BAD
        points: list[Any] = []
        previous_x: Decimal | None = None
        for i, raw in enumerate(items):
            point_path = _index(path, i)
            if not isinstance(raw, list) or len(raw) != 2:
                points.append(
                    self.error(point_path, "a point is an array [x, factor] of two decimal strings")
                )
                continue
            x = self.decimal(raw[0], _index(point_path, 0))
            factor = self.decimal(raw[1], _index(point_path, 1), non_negative=True)
            if x is not BAD:
                if previous_x is not None and x <= previous_x:
                    self.error(point_path, "points must be strictly ascending in x")
                    x = BAD
                else:
                    previous_x = x
            points.append((x, factor) if _ok(x, factor) else BAD)
        return BAD if not _ok(*points) else tuple(points)

    def estimate(self, value: Any, path: str) -> Any:
        obj = self.object(value, path, required=("restated_value", "method", "documents", "adopted_on"))
        restated_value = self.field(obj, "restated_value", path, self.decimal)
        method = self.field(obj, "method", path, self.string)
        adopted_on = self.field(obj, "adopted_on", path, self.date)
        documents_raw = self.field(obj, "documents", path, self.array)
        documents: list[Any] = []
        if documents_raw is not BAD:
            documents = [
                self.string(doc, _index(_key(path, "documents"), i)) for i, doc in enumerate(documents_raw)
            ]
        if not _ok(obj, restated_value, method, adopted_on, documents_raw, *documents):
            return BAD
        return Estimate(
            restated_value=restated_value, method=method, documents=tuple(documents), adopted_on=adopted_on
        )


# --- Writing --------------------------------------------------------------------------------------


def _decimal_text(value: Decimal) -> str:
    """A decimal as a plain string (no exponent), keeping its scale: Decimal("1E+2") -> "100"."""
    return format(value, "f")


def _units_text(value: Decimal) -> str:
    """Units without trailing zeros: 17500.000000 -> "17500", 0.500000 -> "0.5"."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _usd_text(value: Decimal) -> str:
    return format(value, "f")


def _figure(value: Decimal | None, unit: str) -> str | None:
    if value is None:
        return None
    return _usd_text(value) if unit == USD else _units_text(value)


def scenario_to_json(scenario: Scenario) -> dict[str, Any]:
    """The `clawback-scenario/1` document for a Scenario; `parse_scenario` of it gives the Scenario back."""
    company: dict[str, Any] = {
        "name": scenario.company_name,
        "fiscal_periods": [
            {"label": p.label, "start": p.start.isoformat(), "end": p.end.isoformat()}
            | ({"transition": True} if p.transition else {})
            for p in scenario.fiscal_periods
        ],
        "listing_standard_effective_date": scenario.listing_standard_effective_date.isoformat(),
    }
    if scenario.listed_periods is not None:
        company["listed_periods"] = [
            {"start": p.start.isoformat(), "end": _date_or_none(p.end)} for p in scenario.listed_periods
        ]
    return {
        "format": SCENARIO_FORMAT,
        "company": company,
        "restatement": {
            "kind": str(scenario.restatement.kind),
            "events": [
                {"kind": str(e.kind), "date": e.date.isoformat()} for e in scenario.restatement.events
            ],
        },
        "measures": {
            m.key: {
                "category": m.category,
                "values": {
                    label: {"original": _decimal_text(v.original)}
                    | ({} if v.restated is None else {"restated": _decimal_text(v.restated)})
                    for label, v in m.values.items()
                },
            }
            for m in scenario.measures
        },
        "executives": [
            {
                "id": e.id,
                "name": e.name,
                "officer_periods": [
                    {"start": p.start.isoformat(), "end": _date_or_none(p.end)} for p in e.officer_periods
                ],
            }
            for e in scenario.executives
        ],
        "awards": [_award_to_json(a) for a in scenario.awards],
    }


def _date_or_none(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _formula_to_json(formula: Formula) -> dict[str, Any]:
    if isinstance(formula, CurveFormula):
        return {
            "kind": "curve",
            "target": _decimal_text(formula.target),
            "points": [[_decimal_text(x), _decimal_text(f)] for x, f in formula.points],
        }
    data: dict[str, Any] = {
        "kind": "linear",
        "rate": _decimal_text(formula.rate),
        "offset": _decimal_text(formula.offset),
    }
    if formula.cap is not None:
        data["cap"] = _decimal_text(formula.cap)
    return data


def _award_to_json(award: Award) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": award.id,
        "executive": award.executive,
        "type": award.type,
        "basis": award.basis,
        "performance_period": {
            "start": award.performance_start.isoformat(),
            "end": award.performance_end.isoformat(),
        },
    }
    if award.measure is not None:
        data["measure"] = award.measure
    if award.measure_period is not None:
        data["measure_period"] = award.measure_period
    if award.formula is not None:
        data["formula"] = _formula_to_json(award.formula)
    data["unit"] = award.unit
    if award.value_per_unit is not None:
        data["value_per_unit"] = _decimal_text(award.value_per_unit)
    data["received"] = _decimal_text(award.received)
    if award.requires_estimate:
        data["requires_estimate"] = True
    if award.estimate is not None:
        data["estimate"] = {
            "restated_value": _decimal_text(award.estimate.restated_value),
            "method": award.estimate.method,
            "documents": list(award.estimate.documents),
            "adopted_on": award.estimate.adopted_on.isoformat(),
        }
    return data


def result_to_json(result: RecoveryResult) -> dict[str, Any]:
    """The `clawback-result/1` document: USD as strings with cents, units as plain decimals, reasons as
    codes, the explanation as one readable paragraph (its sentences in order)."""
    lookback = result.lookback
    return {
        "format": RESULT_FORMAT,
        "triggers_recovery_analysis": result.triggers_recovery_analysis,
        "required_on": _date_or_none(result.required_on),
        "required_on_event": None if result.required_on_event is None else str(result.required_on_event),
        "lookback": None
        if lookback is None
        else {
            "start": lookback.start.isoformat(),
            "end": lookback.end.isoformat(),
            "periods": list(lookback.periods),
        },
        "awards": [_award_result_to_json(a) for a in result.awards],
        "executives": [
            {
                "id": e.id,
                "excess_usd": _usd_text(e.excess_usd),
                "excess_units": _units_text(e.excess_units),
                "pending_estimates": e.pending_estimates,
            }
            for e in result.executives
        ],
        "totals": {
            "excess_usd": _usd_text(result.totals.excess_usd),
            "excess_units": _units_text(result.totals.excess_units),
            "pending_estimates": result.totals.pending_estimates,
        },
        "warnings": list(result.warnings),
    }


def _award_result_to_json(award: AwardResult) -> dict[str, Any]:
    unit = award.unit
    return {
        "id": award.id,
        "executive": award.executive,
        "received_on": award.received_on.isoformat(),
        "in_scope": award.in_scope,
        "reasons": [str(r) for r in award.reasons],
        "status": str(award.status),
        "unit": unit,
        "received": _figure(award.received, unit),
        "original_formula": _figure(award.original_formula, unit),
        "recomputed": _figure(award.recomputed, unit),
        "excess": _figure(award.excess, unit),
        "excess_usd": _figure(award.excess_usd, USD),
        "explanation": " ".join(award.explanation),
    }
