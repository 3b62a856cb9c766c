"""The JSON checks every part of a scenario file is read with: each problem is recorded with the JSON path
of the bad field (``$.awards[3].formula.points[1]``), and a bad field reads as `BAD` so the rest of the
document is still checked and every problem is reported at once."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

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


class DuplicateKeysObject(dict):
    """A JSON object that repeated a key; `json.loads` would otherwise keep the last value silently."""

    duplicate_keys: tuple[str, ...] = ()


def object_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """`json.loads` hook keeping a record of repeated keys."""
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    seen: set[str] = set()
    duplicates = []
    for key, _ in pairs:
        if key in seen and key not in duplicates:
            duplicates.append(key)
        seen.add(key)
    marked = DuplicateKeysObject(pairs)
    marked.duplicate_keys = tuple(duplicates)
    return marked


def reject_constant(name: str) -> Any:
    """`json.loads` hook refusing NaN and Infinity."""
    raise ValueError(f"{name} is not allowed; amounts are strings holding decimals")


# --- Paths and JSON types -------------------------------------------------------------------------


def key_path(path: str, key: Any) -> str:
    key = str(key)
    return f"{path}.{key}" if _PLAIN_KEY_RE.fullmatch(key) else f"{path}[{json.dumps(key)}]"


def index_path(path: str, index: int) -> str:
    return f"{path}[{index}]"


def show(value: Any) -> str:
    """A value quoted for a message, shortened so a huge input cannot flood the error list."""
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):  # not JSON at all (parse_scenario was handed Python objects)
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def json_type(value: Any) -> str:
    return _JSON_TYPE_NAMES.get(type(value), type(value).__name__)


class _Bad:
    """Marks a field that failed validation (None is a legal value for several fields)."""


BAD: Any = _Bad()


def ok(*values: Any) -> bool:
    return not any(v is BAD for v in values)


class Checks:
    """The primitive checks, each recording its problem and returning BAD, or the checked value."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def error(self, path: str, message: str) -> Any:
        self.errors.append((path, message))
        return BAD

    def object(self, value: Any, path: str, *, required: Iterable[str], optional: Iterable[str] = ()) -> Any:
        """The object's keys checked (unknown, missing, repeated); BAD if it is not an object."""
        if not isinstance(value, dict):
            return self.error(path, f"must be an object, not {json_type(value)}")
        required = tuple(required)
        allowed = set(required) | set(optional)
        for key in getattr(value, "duplicate_keys", ()):
            self.error(key_path(path, key), "key appears more than once")
        for key in value:
            if not isinstance(key, str):
                self.error(path, f"keys must be strings, not {json_type(key)}")
            elif key not in allowed:
                self.error(key_path(path, key), "unknown key")
        for key in required:
            if key not in value:
                self.error(key_path(path, key), "required key is missing")
        return value

    def array(self, value: Any, path: str, *, non_empty: bool = False) -> Any:
        if not isinstance(value, list):
            return self.error(path, f"must be an array, not {json_type(value)}")
        if non_empty and not value:
            return self.error(path, "must not be empty")
        return value

    def each(self, value: Any, path: str, item: Callable[[Any, str], Any], *, empty: str = "") -> Any:
        """An array read item by item with `item(raw, item_path)`: every item's problems are reported, and the
        whole is BAD when any item is. `empty`, when given, is the complaint about an empty array."""
        items = self.array(value, path)
        if items is BAD:
            return BAD
        if empty and not items:
            return self.error(path, empty)
        result = [item(raw, index_path(path, i)) for i, raw in enumerate(items)]
        return BAD if not ok(*result) else tuple(result)

    def string(self, value: Any, path: str, *, non_empty: bool = True) -> Any:
        if not isinstance(value, str):
            return self.error(path, f"must be a string, not {json_type(value)}")
        if non_empty and not value.strip():
            return self.error(path, "must not be empty")
        return value

    def boolean(self, value: Any, path: str) -> Any:
        if not isinstance(value, bool):
            return self.error(path, f"must be true or false, not {json_type(value)}")
        return value

    def choice(self, value: Any, path: str, choices: Iterable[str], *, hint: str = "") -> Any:
        choices = tuple(choices)
        if not isinstance(value, str):
            return self.error(path, f"must be a string, not {json_type(value)}")
        if value not in choices:
            return self.error(path, f"must be one of {', '.join(choices)}; got {show(value)}{hint}")
        return value

    def date(self, value: Any, path: str, *, nullable: bool = False) -> Any:
        if value is None and nullable:
            return None
        if not isinstance(value, str):
            expected = "a date string YYYY-MM-DD" + (" or null" if nullable else "")
            return self.error(path, f"must be {expected}, not {json_type(value)}")
        if not _DATE_RE.fullmatch(value):
            return self.error(path, f"must be a date YYYY-MM-DD; got {show(value)}")
        try:
            return date.fromisoformat(value)
        except ValueError:
            return self.error(path, f"is not a real date: {show(value)}")

    def decimal(
        self,
        value: Any,
        path: str,
        *,
        non_negative: bool = False,
        positive: bool = False,
        cents: bool = False,
    ) -> Any:
        if isinstance(value, bool) or not isinstance(value, str):
            hint = (
                " (a JSON number is not accepted: write it in quotes)" if type(value) in (int, float) else ""
            )
            return self.error(path, f'must be a string holding a decimal, e.g. "1200000.00"{hint}')
        match = _DECIMAL_RE.fullmatch(value)
        if match is None:
            return self.error(path, f'must hold a plain decimal such as "1200000.00"; got {show(value)}')
        integer, fraction = match.group(1), match.group(2) or ""
        if len(integer.lstrip("0")) > _MAX_INTEGER_DIGITS or len(fraction) > _MAX_FRACTION_DIGITS:
            return self.error(
                path,
                f"has too many digits (at most {_MAX_INTEGER_DIGITS} before and "
                f"{_MAX_FRACTION_DIGITS} after the decimal point)",
            )
        amount = Decimal(value)
        if positive and amount <= 0:
            return self.error(path, "must be more than zero")
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
        return check(obj[key], key_path(path, key), *args, **kwargs)

    def optional(
        self, obj: Any, key: str, path: str, default: Any, check: Callable[..., Any], **kwargs: Any
    ) -> Any:
        if obj is BAD:
            return BAD
        if key not in obj:
            return default
        return check(obj[key], key_path(path, key), **kwargs)

    def points(self, value: Any, path: str) -> Any:
        """A curve's [[x, factor], ...]: at least one point, x strictly ascending, factors not negative."""
        items = self.array(value, path, non_empty=True)
        if items is BAD:
            return BAD
        points: list[Any] = []
        previous_x: Decimal | None = None
        for i, raw in enumerate(items):
            point_path = index_path(path, i)
            if not isinstance(raw, list) or len(raw) != 2:
                points.append(
                    self.error(point_path, "a point is an array [x, factor] of two decimal strings")
                )
                continue
            x = self.decimal(raw[0], index_path(point_path, 0))
            factor = self.decimal(raw[1], index_path(point_path, 1), non_negative=True)
            if x is not BAD:
                if previous_x is not None and x <= previous_x:
                    self.error(point_path, "points must be strictly ascending in x")
                    x = BAD
                else:
                    previous_x = x
            points.append((x, factor) if ok(x, factor) else BAD)
        return BAD if not ok(*points) else tuple(points)
