"""The event study report for the exchange (Rule 10D-1(b)(1)(iii)(A): a reasonable estimate of the
restatement's effect on the price or TSR, documented; docs/clawback-rules §1.7a): the snapshot its PDF
prints (`event_study_data`), the CSV that re-performs the study (`event_study_csv`, `reperform_csv`) and its
price chart (`price_chart_svg`). Every figure is formatted here, so the template only prints: percentages
"−4.10%", money "$61.25", p-values to four places."""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import math
from datetime import date
from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING

from compliance_site.documents.snapshots.common import iso, person
from compliance_site.lib.numbers import num

from ..models import EventStudy, EventStudyAward

if TYPE_CHECKING:
    from .. import event_study as engine

MINUS, DASH, YES_NO = "\u2212", "—", {True: "Yes", False: "No"}
Outcome = EventStudyAward.Outcome
ADOPTED = (Outcome.ADOPTED, Outcome.ADJUSTED)
MODEL_NAMES = {"market": "Market model", "two_factor": "Two-factor model (market and peer index)"}
EQUATIONS = {"market": "R = α + β × Rm + ε", "two_factor": "R = α + β1 × Rm + β2 × Rp + ε"}
METHODS = {
    "constant_dollar": "Constant dollar: before each counted event the price is taken to have carried the "
    "dollar amount per share that the event's news later took out of it; the but-for price is the close "
    "less that amount.",
    "constant_percent": "Constant percentage: before each counted event the price is taken to have been "
    "too high by the percentage that the event's news later took off it; the but-for price is the close "
    "reduced by that percentage.",
}
COUNTED = {
    "significant": "Only the events whose cumulative abnormal return is statistically significant count.",
    "all": "Every event counts, whether or not its cumulative abnormal return is significant.",
}


# --- formatting -------------------------------------------------------------------------------------------


def _signed(text: str) -> str:
    if not text.lstrip("-$").strip("0.,%"):  # "-0.00%" rounds to zero: no sign
        text = text.lstrip("-")
    return MINUS + text[1:] if text.startswith("-") else text


def fixed(value, places: int) -> str:
    return DASH if value is None else _signed(f"{float(value):,.{places}f}")


def pct(value, places: int = 2) -> str:
    """A return as a fraction (-0.041) -> "−4.10%"."""
    return DASH if value is None else _signed(f"{float(value) * 100:,.{places}f}%")


def percent(value) -> str:
    """A figure already in percent ("-12.5000") -> "−12.50%"."""
    return DASH if value in (None, "") else _signed(f"{Decimal(str(value)):,.2f}%")


def pval(value) -> str:
    return DASH if value is None else ("<0.0001" if float(value) < 0.00005 else f"{float(value):.4f}")


def dollars(value) -> str:
    number = None if value in (None, "") else Decimal(str(value))
    return DASH if number is None else _signed(f"{'-' if number < 0 else ''}${abs(number):,.2f}")


def measure_value(kind: str, value) -> str:
    if value in (None, "") or kind != "tsr_percentile":
        return dollars(value) if kind == "stock_price" else percent(value)
    return f"percentile rank {Decimal(str(value)):.2f}"


def payout(value, unit: str | None) -> str:
    if value in (None, "") or unit in ("USD", "US dollars"):
        return dollars(value)
    return f"{num(value)} units"


def level(significance: float) -> str:
    return f"{float(significance) * 100:g}%"


def _offset(n: int) -> str:
    return f"+{n}" if n > 0 else (f"{MINUS}{-n}" if n < 0 else "0")


def labelled(day: str, labels: dict) -> str:
    return f"{day} ({labels[day]})" if labels.get(day) else day


def award_name(award) -> str:
    measure = f", {award.measure.name} {award.measure_period}".rstrip() if award.measure_id else ""
    return f"{award.executive.name} — {award.get_award_type_display()}{measure}"


# --- the snapshot -----------------------------------------------------------------------------------------


def _results(study: EventStudy):
    related = ("award__executive", "award__measure", "decided_by", "estimate")
    return study.award_results.select_related(*related).order_by("award__executive__name", "award_id")


def _outcome(result: EventStudyAward) -> str:
    value = functools.partial(measure_value, result.measure_kind)
    text = {
        Outcome.ADOPTED: f"Adopted by the committee: {value(result.adopted_value)}.",
        Outcome.ADJUSTED: f"Adopted with an adjustment: the committee took {value(result.adopted_value)} "
        f"instead of the study's {value(result.proposed_value)}. Reason: {result.reason}",
        Outcome.REJECTED: f"Rejected by the committee. Reason: {result.reason}",
    }.get(result.outcome, "Proposed: awaiting the committee's answer.")
    if result.decided_at:
        text += f" Decided by {person(result.decided_by)} on {result.decided_at:%Y-%m-%d}."
    return text


def kv(*pairs) -> list[list[str]]:
    return [[label, value] for label, value in pairs if value not in (None, "", False)]


def _award(result: EventStudyAward) -> dict:
    f, unit, kind = result.figures, result.figures.get("unit"), result.get_measure_kind_display()
    value = functools.partial(measure_value, result.measure_kind)
    measured = []
    for text, at in (("Start: the close before the period", "start"), ("End of the period", "end")):
        actual, but_for = f.get(f"actual_{at}"), f.get(f"but_for_{at}")
        if actual and but_for:
            gap = dollars(Decimal(actual) - Decimal(but_for))
            measured.append([f"{text} ({f.get(f'{at}_day')})", dollars(actual), dollars(but_for), gap])
    if f.get("actual_tsr"):
        measured.append(["TSR over the period", percent(f["actual_tsr"]), percent(f["but_for_tsr"]), DASH])
    measured.append([kind, value(f.get("actual_value")), value(f.get("but_for_value")), DASH])
    days, peers = result.averaging_days, "; ".join(f"{n} {percent(v)}" for n, v in result.peer_tsrs)
    estimate = result.estimate_id and f"Recorded for the case, adopted {result.estimate.adopted_on}"
    goal = f.get("goal") and (
        f"{f['goal_name']} (weight {f['goal_weight']}): factor {f['goal_factor_actual']} on the actual "
        f"value, {f['goal_factor_but_for']} on the but-for value. The determination recomputes the whole "
        "award, its other goals as for any scorecard."
    )
    return {
        "award": award_name(result.award),
        "conclusion": kv(
            ("Scorecard goal", goal),
            ("Measure", kind),
            ("Actual value", value(f.get("actual_value"))),
            ("But-for value", value(f.get("but_for_value"))),
            ("Received", payout(f.get("received"), unit)),
            ("Payout on the actual value", payout(f.get("payout_actual"), unit)),
            ("Payout recomputed on the but-for value", payout(f.get("payout_but_for"), unit)),
            ("Outcome", _outcome(result)),
            ("Reasonable estimate", estimate),
        ),
        "measurement": measured,
        "notes": kv(
            ("Averaging", f"{days} trading day{'s' if days != 1 else ''} ending on each measurement date"),
            ("Peer group", peers and f"{len(result.peer_tsrs)} peers' TSRs over the period: {peers}"),
            ("Peer TSRs from", f.get("peer_source")),
        ),
    }


def _event_tables(result: dict, labels: dict, two_factor: bool, significance: float) -> list[dict]:
    columns = ["Day", "Offset", "Return", "Market return", *(["Peer return"] if two_factor else [])]
    columns += ["Expected", "Abnormal", "Std. error", "t", "p", "Holm p", "Significant"]
    tables = []
    for event in result["events"]:
        rows = [
            [d["date"], _offset(d["offset"]), pct(d["return"]), pct(d["market_return"])]
            + ([pct(d["peer_return"])] if two_factor else [])
            + [pct(d["expected"]), pct(d["abnormal"]), pct(d["std_error"]), fixed(d["t"], 2)]
            + [pval(d["p"]), pval(d["p_holm"]), YES_NO[bool(d["significant"])]]
            for d in event["days"]
        ]
        low, high = event["car_ci"]
        car = [
            ["Cumulative abnormal return (CAR)", pct(event["car"])],
            ["Standard error", pct(event["car_std_error"])],
            ["t / p", f"{fixed(event['car_t'], 2)} / {pval(event['car_p'])}"],
            [f"{level(1 - significance)} confidence interval", f"{pct(low)} to {pct(high)}"],
            ["Significant", YES_NO[bool(event["significant"])]],
            ["Counted in the inflation", YES_NO[bool(event["counted"])]],
            ["Price effect per share", dollars(event["dollar_change"])],
            ["Price effect in percent", pct(event["percent_change"])],
        ]
        heading = f"{event['date']}{' — ' + labels[event['date']] if labels.get(event['date']) else ''}"
        window = f"window {event['window'][0]} to {event['window'][1]}"
        tables.append({"heading": f"{heading} ({window})", "columns": columns, "rows": rows, "car": car})
    return tables


def _prices(prices) -> list[list[str]]:
    roles = (("company", "Company close"), ("market", "Market index"), ("peer", "Peer index"))
    columns = "; ".join(f"{role}: “{prices.columns[key]}”" for key, role in roles if prices.columns.get(key))
    return kv(
        ("Price set", prices.name),
        ("Source", prices.source),
        ("Days", f"{prices.first_day} to {prices.last_day}: {prices.row_count:,} trading days"),
        ("Imported", f"{person(prices.imported_by)}, {prices.imported_at:%Y-%m-%d}"),
        ("Columns read", columns),
        ("Warnings accepted at import", "\n".join(str(w) for w in prices.warnings) or "None"),
    )


def _method(result: dict, parameters: dict, labels: dict, counted: str) -> dict:
    estimation, inflation = result["estimation"], result["inflation"]
    significance, (first, last) = float(parameters["significance"]), parameters["window"]
    window = f"{estimation['start']} to {estimation['end']}"
    events = "\n".join(f"{e['date']} {labels.get(e['date'], '')}" for e in result["events"])
    return {
        "model": MODEL_NAMES[parameters["model"]],
        "equation": EQUATIONS[parameters["model"]],
        "two_factor": parameters["model"] == "two_factor",
        "level": level(significance),
        "one_in": f"{round(1 / significance):,}",
        "estimation_window": window,
        "indexes": "market index" if parameters["model"] == "market" else "market and peer indexes",
        "inflation_start": inflation["start"],
        "how": "dollar amount" if inflation["method"] == "constant_dollar" else "percentage",
        "rows": kv(
            ("Estimation window", f"{window}: {estimation['observations']} daily returns, ending "
             f"{parameters['gap_days']} trading days before the first event window"),
            ("Event windows", f"Trading days {_offset(first)} to {_offset(last)} around each event date"),
            ("Event dates", events),
            ("Significance level", f"{level(significance)}, two-sided"),
        ),
        "inflation": kv(
            ("Inflation method", METHODS[inflation["method"]]),
            ("Events counted", f"{COUNTED[parameters['counted']]} Counted: {counted or 'none'}."),
            ("Inflation from", inflation["start"]),
        ),
    }  # fmt: skip


def _regression(estimation: dict) -> dict:
    return {
        "rows": [
            [c["label"], fixed(c["estimate"], 6), fixed(c["std_error"], 6), fixed(c["t"], 2), pval(c["p"])]
            for c in estimation["coefficients"]
        ],
        "fit": kv(
            ("Observations (daily returns)", f"{estimation['observations']:,}"),
            ("R²", fixed(estimation["r_squared"], 4)),
            ("Adjusted R²", fixed(estimation["adj_r_squared"], 4)),
            ("Residual standard deviation (daily)", pct(estimation["residual_sd"], 3)),
            ("F statistic (p)", f"{fixed(estimation['f_statistic'], 2)} ({pval(estimation['f_p'])})"),
            ("Residual degrees of freedom", f"{estimation['df_resid']:,}"),
        ),
    }


def event_study_data(study: EventStudy) -> dict:
    """Everything the report prints, formatted: the snapshot is all the template reads (the kind adds the
    case's determination, which a FINAL report is checked against)."""
    result, parameters, prices, case = study.result, study.parameters, study.price_set, study.restatement
    inflation, labels = result["inflation"], study.event_labels or {}
    results = list(_results(study))
    counted = "; ".join(labelled(day, labels) for day in inflation["counted_events"])
    marks = [{"date": e["date"], "label": labels.get(e["date"], "")} for e in result["events"]]
    return {
        "study": {
            "id": study.pk,
            "run_at": iso(study.run_at),
            "run_by": person(study.run_by),
            "engine_version": study.engine_version,
            "result_sha256": study.result_sha256,
            "csv_sha256": hashlib.sha256(event_study_csv(study).encode()).hexdigest(),
            "void_reason": (study.void_reason or "no reason recorded") if study.voided_at else "",
        },
        "restatement": {"id": case.pk, "title": case.title, "kind": case.get_kind_display()},
        "adopted_results": [r.pk for r in results if r.outcome in ADOPTED],
        "awards": [_award(r) for r in results],
        "prices": _prices(prices),
        "price_file": {"name": prices.file_name, "sha256": prices.file_sha256},
        "method": _method(result, parameters, labels, counted),
        "regression": _regression(result["estimation"]),
        "events": _event_tables(
            result, labels, parameters["model"] == "two_factor", float(parameters["significance"])
        ),
        "chart": price_chart_svg(result["series"], marks),
        "inflation": kv(
            ("Events counted", counted or "None: no event counted, so the price carried no inflation"),
            ("Inflation per share", dollars(inflation["per_share_dollar"])),
            ("Inflation in percent of the price", pct(inflation["percent"])),
        ),
    }


# --- the CSV ----------------------------------------------------------------------------------------------

CSV_COLUMNS = ["section", "event", "date", "item", "field", "value"]


def _cell(value) -> str:
    if isinstance(value, list | tuple):
        return ";".join(_cell(v) for v in value)
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value).lower()
    return repr(value) if isinstance(value, float) else getattr(value, "isoformat", value.__str__)()


def event_study_csv(study: EventStudy) -> str:
    """Every input and output of the study, one value a row (section, event, date, item, field, value):
    floats written with repr() so nothing is lost, prices and amounts as stored."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)

    def put(section: str, values: dict, skip=(), event="", day="", item=""):
        for field, value in values.items():
            if field not in skip:
                writer.writerow([section, event, day, item, field, _cell(value)])

    result, prices = study.result, study.price_set
    put("study", {f: getattr(study, f) for f in ("id", "restatement_id", "engine_version", "result_sha256")})
    put("study", {f: getattr(study, f) for f in ("run_at", "voided_at", "void_reason")})
    fields = ("name", "source", "file_name", "file_sha256", "first_day", "last_day", "row_count")
    put("price_set", {f: getattr(prices, f) for f in fields})
    for number, warning in enumerate(prices.warnings, start=1):
        put("price_set", {"warning": warning}, item=number)
    put("parameter", study.parameters)
    for day, label in sorted((study.event_labels or {}).items()):
        put("event_label", {"label": label}, day=day)
    for point in prices.points.order_by("day").values("day", "company", "market", "peer"):
        put("price", point, skip=("day",), day=point["day"])
    put("estimation", result["estimation"], skip=("coefficients",))
    for coefficient in result["estimation"]["coefficients"]:
        put("coefficient", coefficient, skip=("name",), item=coefficient["name"])
    for event in result["events"]:
        for day in event["days"]:
            put("event_day", day, skip=("date",), event=event["date"], day=day["date"])
        put("event", event, skip=("date", "days"), event=event["date"])
    put("inflation", result["inflation"])
    for point in result["series"]:
        put("series", point, skip=("date",), day=point["date"])
    for r in _results(study):
        fields = ("measure_kind", "averaging_days", "proposed_value", "outcome", "adopted_value", "reason")
        put("award", {f: getattr(r, f) for f in (*fields, "decided_at", "estimate_id")}, item=r.award.key)
        put("award_figure", r.figures, item=r.award.key)
        put("award_peer_tsr", dict(r.peer_tsrs), item=r.award.key)
    return out.getvalue()


# How each of the engine's parameters reads from its text in the CSV (or its JSON in the study).
_PARAMETERS = {
    "event_dates": lambda v: tuple(date.fromisoformat(str(d)) for d in _listed(v)),
    "window": lambda v: tuple(int(n) for n in _listed(v)),
    "estimation_days": int,
    "gap_days": int,
    "significance": float,
    "inflation_start": lambda v: date.fromisoformat(str(v)) if v else None,
}


def _listed(value) -> list:
    return value if isinstance(value, list) else [v for v in str(value).split(";") if v]


def _engine():
    # The engine brings numpy: imported when a study is re-performed, not by every process that registers
    # the document kinds and panels (a command's start-up).
    from .. import event_study

    return event_study


def study_parameters(values: dict) -> engine.StudyParameters:
    """The engine's parameters from the study's (JSON) or the CSV's (text) values."""
    return _engine().StudyParameters(**{k: _PARAMETERS.get(k, str)(v) for k, v in values.items()})


def reperform_csv(text: str) -> dict:
    """The study run again on the CSV's prices and parameters alone: the result the study recorded."""
    prices: dict[str, dict] = {}
    parameters: dict[str, str] = {}
    for record in csv.DictReader(io.StringIO(text)):
        if record["section"] == "price":
            prices.setdefault(record["date"], {})[record["field"]] = record["value"]
        elif record["section"] == "parameter":
            parameters[record["field"]] = record["value"]
    rows = []
    for day, p in sorted(prices.items()):
        closes = (Decimal(p[k]) if p[k] else None for k in ("company", "market", "peer"))
        rows.append(_engine().PriceRow(date.fromisoformat(day), *closes))
    return _engine().run_study(rows, study_parameters(parameters))


# --- the chart --------------------------------------------------------------------------------------------

WIDTH, HEIGHT = 680, 300
LEFT, RIGHT, TOP, BOTTOM = 60, 14, 40, 34
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
DASHED, DOTTED = "5 3", "2 2"
# (series key, name, colour, dashes, legend)
SERIES = (
    ("close", "actual", "#1f4e79", "", "Actual close"),
    ("but_for", "but-for", "#d9731a", DASHED, "But-for price"),
)
EVENT_COLOUR = "#b00"
LEGEND = [(c, d, text) for *_, c, d, text in SERIES] + [(EVENT_COLOUR, DOTTED, "Event date")]


def _el(tag: str, text: str | None = None, **attributes) -> str:
    """An SVG element, its attributes (`stroke_width` is stroke-width; a float keeps one decimal) and text
    escaped."""
    written = "".join(
        f' {name.rstrip("_").replace("_", "-")}="{escape(f"{v:.1f}" if isinstance(v, float) else str(v))}"'
        for name, v in attributes.items()
        if v not in (None, "")
    )
    return f"<{tag}{written}/>" if text is None else f"<{tag}{written}>{escape(text)}</{tag}>"


def _y_ticks(low: float, high: float) -> list[float]:
    """4 to 6 round values spanning low..high (steps of 1, 2, 2.5 or 5 times a power of ten)."""
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    best, power = None, math.floor(math.log10(high - low))
    for step in (m * 10**p for p in range(power - 2, power + 2) for m in (1, 2, 2.5, 5)):
        first, last = math.floor(low / step) * step, math.ceil(high / step) * step
        count = round((last - first) / step) + 1
        if 4 <= count <= 6 and (best is None or abs(count - 5) < abs(best[0] - 5)):
            best = (count, first, step)
    count, first, step = best or (2, low, high - low)
    return [first + i * step for i in range(count)]


def _x_ticks(first: date, last: date) -> list[tuple[date, str]]:
    """Month starts every 1, 2, 3 or 6 months, or year starts every 1, 2, 5 or 10 years, at most 8; a
    month tick names its year on January and on the first tick."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = next((s for s in (1, 2, 3, 6, 12, 24, 60, 120) if months / s <= 8), 120)
    ticks: list[tuple[date, str]] = []
    for n in range(first.year * 12 + first.month - 1, last.year * 12 + last.month):
        day = date(n // 12, n % 12 + 1, 1)
        if day < first or (n % step if step < 12 else (day.month != 1 or day.year % (step // 12))):
            continue
        text = str(day.year) if step >= 12 else MONTHS[day.month - 1]
        ticks.append((day, text + (f" {day.year}" if step < 12 and (day.month == 1 or not ticks) else "")))
    return ticks


def _description(series: list[dict], marked: list[dict]) -> str:
    widest = max((abs(float(p["inflation"])), p["date"]) for p in series)
    events = "; ".join(f"{e['date']} {e.get('label') or ''}".strip() for e in marked) or "none"
    return (  # what a screen reader says of the chart
        f"Daily closing price of the company's stock from {series[0]['date']} to {series[-1]['date']} (from "
        f"{dollars(series[0]['close'])} to {dollars(series[-1]['close'])}), and the but-for price without "
        f"the inflation the study attributes to the misstatement; the widest gap between them is "
        f"{dollars(widest[0])} a share, on {widest[1]}. Event dates marked: {events}."
    )


def price_chart_svg(series: list[dict], events: list) -> str:
    """The actual close and the but-for price over the series, each event ({"date", "label"} or an ISO date)
    a labelled vertical line: an inline SVG with a title and a description for screen readers."""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" role="img" aria-labelledby="price-chart-title price-chart-desc" '
        'font-family="DejaVu Sans, sans-serif" font-size="9" class="price-chart">'
        + _el("title", "Actual closing price and but-for price", id="price-chart-title")
    )
    if not series:
        return head + _el("desc", "No prices to chart.", id="price-chart-desc") + "</svg>"
    days = [date.fromisoformat(p["date"]) for p in series]
    ticks = _y_ticks(*(f(float(p[k]) for p in series for k in ("close", "but_for")) for f in (min, max)))
    start, span = days[0].toordinal(), max(1, days[-1].toordinal() - days[0].toordinal())
    right_edge, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM

    def x(day: date) -> float:
        return LEFT + (day.toordinal() - start) / span * (right_edge - LEFT)

    def y(value: float) -> float:
        return TOP + (ticks[-1] - value) / (ticks[-1] - ticks[0]) * (bottom - TOP)

    marked = [e if isinstance(e, dict) else {"date": e} for e in events]
    marked = [e for e in marked if days[0] <= date.fromisoformat(e["date"]) <= days[-1]]
    parts = [head, _el("desc", _description(series, marked), id="price-chart-desc")]
    cents = ticks[1] - ticks[0] < 1 or any(v != int(v) for v in ticks)
    for v in ticks:
        parts.append(_el("line", x1=LEFT, x2=right_edge, y1=y(v), y2=y(v), stroke="#ddd", stroke_width=0.6))
        label = f"${v:,.2f}" if cents else f"${v:,.0f}"
        parts.append(_el("text", label, x=LEFT - 4, y=y(v) + 3, text_anchor="end", fill="#333"))
    for day, label in _x_ticks(days[0], days[-1]):
        parts.append(_el("line", x1=x(day), x2=x(day), y1=bottom, y2=bottom + 4, stroke="#555"))
        parts.append(_el("text", label, x=x(day), y=bottom + 14, text_anchor="middle", fill="#333"))
    parts.append(_el("path", d=f"M{LEFT},{TOP}V{bottom}H{right_edge}", fill="none", stroke="#555"))
    for key, name, colour, dashes, _ in SERIES:
        points = " ".join(f"{x(d):.1f},{y(float(p[key])):.1f}" for d, p in zip(days, series, strict=True))
        parts.append(_el("polyline", class_="series", data_series=name, fill="none", stroke=colour,
                         stroke_width=1.3, stroke_dasharray=dashes, points=points))  # fmt: skip
    for number, event in enumerate(marked):
        at = x(date.fromisoformat(event["date"]))
        label = f"{event['date']} {event.get('label') or ''}".strip()
        label = label if len(label) <= 40 else label[:39] + "…"
        # A white box under the label keeps it readable where it crosses a line or another event's.
        width, top = len(label) * 4.9 + 4, TOP + 2 + 11 * (number % 3)
        box = at - 2 - width if at > LEFT + (right_edge - LEFT) * 0.6 else at + 2
        parts.append(_el("line", x1=at, x2=at, y1=TOP, y2=bottom, stroke=EVENT_COLOUR, stroke_width=0.8,
                         stroke_dasharray=DOTTED))  # fmt: skip
        parts.append(_el("rect", x=box, y=top, width=width, height=10, fill="#fff", fill_opacity=0.9))
        parts.append(_el("text", label, x=box + 2, y=top + 8, fill=EVENT_COLOUR, font_size=8))
    for i, (colour, dashes, text) in enumerate(LEGEND):
        left = LEFT + i * 130
        parts.append(_el("line", x1=left, x2=left + 22, y1=12, y2=12, stroke=colour, stroke_width=1.6,
                         stroke_dasharray=dashes))  # fmt: skip
        parts.append(_el("text", text, x=left + 27, y=15, fill="#111"))
    return "".join(parts) + "</svg>"
