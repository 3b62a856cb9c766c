"""Reading a whole scenario file (`clawback-scenario/1` or `/2`): the company and its fiscal calendar, the
restatement and its events, the measures, the executives and the awards (`clawback.scenario.awards`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from clawback.recovery import (
    LISTING_STANDARD_EFFECTIVE,
    MEASURE_CATEGORIES,
    NAMED_EVENT_KINDS,
    REQUIRED_ON_EVENT_KINDS,
    TRIGGERING_RESTATEMENT_KINDS,
    Award,
    EventKind,
    Executive,
    FiscalPeriod,
    ListedPeriod,
    Measure,
    MeasureValue,
    OfficerPeriod,
    Restatement,
    RestatementEvent,
    RestatementKind,
    Scenario,
)

from .awards import AwardChecks, KnownMeasures
from .checks import BAD, index_path, json_type, key_path, ok, show
from .formats import FORMAT_VERSION_OF, SCENARIO_FORMATS, only_in_2

_ROOT_KEYS = ("format", "company", "restatement", "measures", "executives", "awards")


class ScenarioParser(AwardChecks):
    """Validates decoded JSON and builds the Scenario; `errors` holds every problem with its JSON path.

    `require_restatement_date=False` accepts a Big R or little r restatement with no event that sets the
    required-to-prepare date (a draft case still being recorded); a file never may.
    """

    def __init__(self, *, require_restatement_date: bool = True) -> None:
        super().__init__()
        self.version = max(SCENARIO_FORMATS)
        self.require_restatement_date = require_restatement_date

    def scenario(self, data: Any) -> Scenario | None:
        root = self.object(data, "$", required=_ROOT_KEYS)
        if root is BAD:
            return None
        if "format" in root:
            version = FORMAT_VERSION_OF.get(root["format"]) if isinstance(root["format"], str) else None
            if version is None:
                # Read the rest as the newest format, so its own problems are still all reported.
                expected = " or ".join(json.dumps(text) for text in SCENARIO_FORMATS.values())
                self.error("$.format", f"must be {expected}; got {show(root['format'])}")
            else:
                self.version = version

        company = self.company(root["company"]) if "company" in root else BAD
        restatement = self.restatement(root["restatement"]) if "restatement" in root else BAD
        measures, known = self.measures(root["measures"]) if "measures" in root else (BAD, KnownMeasures())
        executives, executive_ids = (
            self.executives(root["executives"]) if "executives" in root else (BAD, set())
        )
        awards = self.awards(root["awards"], executive_ids, known) if "awards" in root else BAD
        if self.errors or not ok(company, restatement, measures, executives, awards):
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
            format_version=self.version,
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
        if not ok(obj, name, periods, effective, listed):
            return BAD
        return name, periods, effective, listed

    def fiscal_periods(self, value: Any) -> Any:
        """Every fiscal year and transition period (Rule 10D-1(b)(1)(i)), none overlapping."""
        path = "$.company.fiscal_periods"
        items = self.array(value, path, non_empty=True)
        if items is BAD:
            return BAD
        periods: list[Any] = []
        first_index: dict[str, int] = {}
        for i, raw in enumerate(items):
            item_path = index_path(path, i)
            obj = self.object(raw, item_path, required=("label", "start", "end"), optional=("transition",))
            label = self.field(obj, "label", item_path, self.string)
            start = self.field(obj, "start", item_path, self.date)
            end = self.field(obj, "end", item_path, self.date)
            transition = self.optional(obj, "transition", item_path, False, self.boolean)
            if label is not BAD:
                if label in first_index:
                    self.error(
                        key_path(item_path, "label"),
                        f"duplicate label {show(label)} (also at {index_path(path, first_index[label])})",
                    )
                else:
                    first_index[label] = i
            if ok(start, end) and end < start:
                self.error(key_path(item_path, "end"), "must not be before start")
                end = BAD
            if ok(obj, label, start, end, transition):
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
                    index_path(path, i),
                    f"overlaps {other.label} ({other.start.isoformat()} to {other.end.isoformat()}, "
                    f"at {index_path(path, latest[0])}); fiscal periods must not overlap",
                )
            if latest is None or period.end > latest[1].end:
                latest = (i, period)
        if any(p is BAD for _, p in periods):
            return BAD
        return tuple(p for _, p in periods)

    def listed_periods(self, value: Any) -> Any:
        return self.each(
            value,
            "$.company.listed_periods",
            lambda raw, path: self.span(raw, path, ListedPeriod),
            empty="must list at least one period; leave the key out when listed throughout",
        )

    def span(self, raw: Any, path: str, make: Callable[..., Any]) -> Any:
        """`{start, end}`, `end` null while the span runs and never before `start`; made with `make`."""
        obj = self.object(raw, path, required=("start",), optional=("end",))
        start = self.field(obj, "start", path, self.date)
        end = self.optional(obj, "end", path, None, self.date, nullable=True)
        if ok(start, end) and end is not None and end < start:
            end = self.error(key_path(path, "end"), "must not be before start")
        return make(start=start, end=end) if ok(obj, start, end) else BAD

    def restatement(self, value: Any) -> Any:
        """The restatement's kind and its events.

        An event's kind is one of the eight named kinds (five can set the required-to-prepare date, Rule
        10D-1(b)(1)(ii); board_ratified, form_8k_item_4_02_filed and restated_financials_filed never do);
        a `/2` file records anything else as `{"kind": "other", "label": ...}`, which never sets it. A
        Big R or little r restatement needs at least one event that sets the date: without one there is no
        recovery period to analyse, which is an error at `$.restatement.events`, not an empty result.
        """
        path = "$.restatement"
        events_path = key_path(path, "events")
        obj = self.object(value, path, required=("kind", "events"))
        kind = self.field(obj, "kind", path, self.choice, tuple(RestatementKind))
        events_raw = self.field(obj, "events", path, self.array)
        events: list[Any] = []
        if events_raw is not BAD:
            events = [self.event(raw, index_path(events_path, i)) for i, raw in enumerate(events_raw)]
        if not ok(obj, kind, events_raw, *events):
            return BAD
        if (
            self.require_restatement_date
            and kind in TRIGGERING_RESTATEMENT_KINDS
            and not any(e.kind in REQUIRED_ON_EVENT_KINDS for e in events)
        ):
            return self.error(
                events_path,
                f"a {kind} restatement needs an event that sets the date the company is required to prepare "
                f"it ({', '.join(sorted(REQUIRED_ON_EVENT_KINDS, key=NAMED_EVENT_KINDS.index))}); "
                "none is recorded, so no recovery period can be determined",
            )
        return Restatement(kind=kind, events=tuple(events))

    def event(self, raw: Any, path: str) -> Any:
        obj = self.object(raw, path, required=("kind", "date"), optional=("label",))
        kinds: tuple[str, ...] = NAMED_EVENT_KINDS
        hint = ""
        if self.version >= 2:
            kinds = (*NAMED_EVENT_KINDS, EventKind.OTHER)
            hint = '; record any other event as {"kind": "other", "label": "..."}'
        kind = BAD
        if obj is not BAD and obj.get("kind") == EventKind.OTHER and self.version < 2:
            kind = self.error(key_path(path, "kind"), only_in_2('the event kind "other"'))
        else:
            kind = self.field(obj, "kind", path, self.choice, kinds, hint=hint)
        event_date = self.field(obj, "date", path, self.date)
        label = None
        if kind == EventKind.OTHER:
            if "label" not in obj:
                label = self.error(key_path(path, "label"), 'required for an event of kind "other"')
            else:
                label = self.field(obj, "label", path, self.string)
        elif kind is not BAD and "label" in obj:
            label = self.error(key_path(path, "label"), 'only allowed for an event of kind "other"')
        if not ok(obj, kind, event_date, label):
            return BAD
        return RestatementEvent(kind=kind, date=event_date, label=label)

    def measures(self, value: Any) -> tuple[Any, KnownMeasures]:
        """The measures, plus what awards need to check their references even when a measure has errors."""
        path = "$.measures"
        known = KnownMeasures()
        if not isinstance(value, dict):
            return self.error(path, f"must be an object, not {json_type(value)}"), known
        for key in getattr(value, "duplicate_keys", ()):
            self.error(key_path(path, key), "key appears more than once")
        result: list[Any] = []
        for key, raw in value.items():
            measure_path = key_path(path, key)
            if not isinstance(key, str):
                result.append(self.error(path, f"keys must be strings, not {json_type(key)}"))
                continue
            if not key.strip():
                self.error(measure_path, "a measure key must not be empty")
            obj = self.object(raw, measure_path, required=("category", "values"))
            category = self.field(obj, "category", measure_path, self.choice, MEASURE_CATEGORIES)
            values = (
                self.measure_values(obj["values"], key_path(measure_path, "values"))
                if obj is not BAD and ("values" in obj)
                else BAD
            )
            known.periods[key] = (
                set(obj["values"]) if obj is not BAD and isinstance(obj.get("values"), dict) else None
            )
            known.categories[key] = category if category is not BAD else None
            good = key.strip() and ok(obj, category, values)
            result.append(Measure(key=key, category=category, values=values) if good else BAD)
        return (BAD if not ok(*result) else tuple(result)), known

    def measure_values(self, value: Any, path: str) -> Any:
        if not isinstance(value, dict):
            return self.error(path, f"must be an object of period label -> values, not {json_type(value)}")
        for key in getattr(value, "duplicate_keys", ()):
            self.error(key_path(path, key), "key appears more than once")
        result: dict[str, Any] = {}
        for label, raw in value.items():
            value_path = key_path(path, label)
            if not isinstance(label, str):
                result[str(label)] = self.error(path, f"keys must be strings, not {json_type(label)}")
                continue
            if not label.strip():
                self.error(value_path, "a period label must not be empty")
            obj = self.object(raw, value_path, required=("original",), optional=("restated",))
            original = self.field(obj, "original", value_path, self.decimal)
            restated = BAD if obj is BAD else obj.get("restated")
            # A value that was not restated may omit `restated` or give null.
            if restated is not None and restated is not BAD:
                restated = self.decimal(restated, key_path(value_path, "restated"))
            good = label.strip() and ok(obj, original, restated)
            result[label] = MeasureValue(original=original, restated=restated) if good else BAD
        return BAD if not ok(*result.values()) else result

    def executives(self, value: Any) -> tuple[Any, set[str]]:
        path = "$.executives"
        items = self.array(value, path)
        ids: set[str] = set()
        if items is BAD:
            return BAD, ids
        first_index: dict[str, int] = {}
        result: list[Any] = []
        for i, raw in enumerate(items):
            item_path = index_path(path, i)
            obj = self.object(raw, item_path, required=("id", "name", "officer_periods"))
            exec_id = self.field(obj, "id", item_path, self.string)
            name = self.field(obj, "name", item_path, self.string)
            if exec_id is not BAD:
                ids.add(exec_id)
                if exec_id in first_index:
                    self.error(
                        key_path(item_path, "id"),
                        f"duplicate executive id {show(exec_id)} "
                        f"(also at {index_path(path, first_index[exec_id])})",
                    )
                else:
                    first_index[exec_id] = i
            periods = (
                self.officer_periods(obj["officer_periods"], key_path(item_path, "officer_periods"))
                if (obj is not BAD and "officer_periods" in obj)
                else BAD
            )
            good = ok(obj, exec_id, name, periods)
            result.append(Executive(id=exec_id, name=name, officer_periods=periods) if good else BAD)
        return (BAD if not ok(*result) else tuple(result)), ids

    def officer_periods(self, value: Any, path: str) -> Any:
        return self.each(value, path, lambda raw, item_path: self.span(raw, item_path, OfficerPeriod))

    def awards(self, value: Any, executive_ids: set[str], known: KnownMeasures) -> Any:
        path = "$.awards"
        items = self.array(value, path)
        if items is BAD:
            return BAD
        first_index: dict[str, int] = {}
        result: list[Any] = []
        for i, raw in enumerate(items):
            award = self.award(raw, index_path(path, i), executive_ids, known)
            if isinstance(award, Award):
                if award.id in first_index:
                    self.error(
                        key_path(index_path(path, i), "id"),
                        f"duplicate award id {show(award.id)} "
                        f"(also at {index_path(path, first_index[award.id])})",
                    )
                else:
                    first_index[award.id] = i
            result.append(award)
        return BAD if not ok(*result) else tuple(result)
