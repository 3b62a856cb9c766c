"""Writing: a Scenario as a `clawback-scenario/2` document, and a RecoveryResult as the `clawback-result`
document of its scenario's version."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from clawback.recovery import (
    USD,
    Award,
    AwardResult,
    CurveFormula,
    Estimate,
    Formula,
    MeasureComponent,
    RecoveryResult,
    Scenario,
    Scorecard,
)

from .formats import RESULT_FORMATS, SCENARIO_FORMAT


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


def _date_or_none(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


# --- Scenario -------------------------------------------------------------------------------------


def scenario_to_json(scenario: Scenario) -> dict[str, Any]:
    """The `clawback-scenario/2` document for a Scenario, whatever version it was read from (a `/1`
    scenario is a valid `/2` one); `parse_scenario` of it gives the same Scenario back, which evaluates to
    the same result (in the `clawback-result/2` format)."""
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
                {"kind": str(e.kind), "date": e.date.isoformat()}
                | ({} if e.label is None else {"label": e.label})
                for e in scenario.restatement.events
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


def _points_to_json(points: tuple[tuple[Decimal, Decimal], ...]) -> list[list[str]]:
    return [[_decimal_text(x), _decimal_text(f)] for x, f in points]


def _formula_to_json(formula: Formula) -> dict[str, Any]:
    if isinstance(formula, CurveFormula):
        return {
            "kind": "curve",
            "target": _decimal_text(formula.target),
            "points": _points_to_json(formula.points),
        }
    data: dict[str, Any] = {
        "kind": "linear",
        "rate": _decimal_text(formula.rate),
        "offset": _decimal_text(formula.offset),
    }
    if formula.cap is not None:
        data["cap"] = _decimal_text(formula.cap)
    return data


def _scorecard_to_json(scorecard: Scorecard) -> dict[str, Any]:
    data: dict[str, Any] = {"target": _decimal_text(scorecard.target)}
    if scorecard.cap_factor is not None:
        data["cap_factor"] = _decimal_text(scorecard.cap_factor)
    data["components"] = [
        {
            "measure": c.measure,
            "measure_period": c.measure_period,
            "weight": _decimal_text(c.weight),
            "points": _points_to_json(c.points),
        }
        if isinstance(c, MeasureComponent)
        else {"basis": c.basis, "weight": _decimal_text(c.weight), "factor": _decimal_text(c.factor)}
        for c in scorecard.components
    ]
    return data


def _estimate_to_json(estimate: Estimate) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if estimate.restated_value is not None:
        data["restated_value"] = _decimal_text(estimate.restated_value)
    if estimate.restated_values is not None:
        data["restated_values"] = {k: _decimal_text(v) for k, v in estimate.restated_values.items()}
    return data | {
        "method": estimate.method,
        "documents": list(estimate.documents),
        "adopted_on": estimate.adopted_on.isoformat(),
    }


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
    if award.scorecard is not None:
        data["scorecard"] = _scorecard_to_json(award.scorecard)
    data["unit"] = award.unit
    if award.value_per_unit is not None:
        data["value_per_unit"] = _decimal_text(award.value_per_unit)
    data["received"] = _decimal_text(award.received)
    if award.requires_estimate:
        data["requires_estimate"] = True
    if award.estimate is not None:
        data["estimate"] = _estimate_to_json(award.estimate)
    if award.already_recovered:
        data["already_recovered"] = [
            {
                "amount": _decimal_text(r.amount),
                "on": r.on.isoformat(),
                "source": r.source,
                "reference": r.reference,
            }
            for r in award.already_recovered
        ]
    return data


# --- Result ---------------------------------------------------------------------------------------


def result_to_json(result: RecoveryResult) -> dict[str, Any]:
    """The `clawback-result/N` document of the scenario's version N: USD as strings with cents, units as
    plain decimals, reasons as codes, the explanation as one readable paragraph (its sentences in order).

    `/1` holds exactly the `/1` fields. `/2` adds exactly the fields the format lists and no others
    (tools comparing results flag unexpected keys): per award `already_recovered`, `to_recover` and
    `to_recover_usd`; per executive and in `totals`, `to_recover_usd` and `to_recover_units`. A scorecard's
    goals are shown in the award's `explanation` only.
    """
    version_2 = result.format_version >= 2
    lookback = result.lookback
    executives = []
    for e in result.executives:
        row: dict[str, Any] = {
            "id": e.id,
            "excess_usd": _usd_text(e.excess_usd),
            "excess_units": _units_text(e.excess_units),
            "pending_estimates": e.pending_estimates,
        }
        if version_2:
            row |= {
                "to_recover_usd": _usd_text(e.to_recover_usd),
                "to_recover_units": _units_text(e.to_recover_units),
            }
        executives.append(row)
    totals: dict[str, Any] = {
        "excess_usd": _usd_text(result.totals.excess_usd),
        "excess_units": _units_text(result.totals.excess_units),
        "pending_estimates": result.totals.pending_estimates,
    }
    if version_2:
        totals |= {
            "to_recover_usd": _usd_text(result.totals.to_recover_usd),
            "to_recover_units": _units_text(result.totals.to_recover_units),
        }
    return {
        "format": RESULT_FORMATS[2 if version_2 else 1],
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
        "awards": [_award_result_to_json(a, version_2=version_2) for a in result.awards],
        "executives": executives,
        "totals": totals,
        "warnings": list(result.warnings),
    }


def _award_result_to_json(award: AwardResult, *, version_2: bool) -> dict[str, Any]:
    unit = award.unit
    data: dict[str, Any] = {
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
    }
    if version_2:
        data |= {
            "already_recovered": _figure(award.already_recovered, unit),
            "to_recover": _figure(award.to_recover, unit),
            "to_recover_usd": _figure(award.to_recover_usd, USD),
        }
    data["explanation"] = " ".join(award.explanation)
    return data
