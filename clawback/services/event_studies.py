"""Event studies behind a stock price or TSR estimate (Rule 10D-1(b)(1)(iii)(A); docs/clawback-rules
§1.7a): import the prices, run the study on a case, carry it to an award's measure, and the committee's
answer to it: adopt (which records the case's reasonable estimate), adjust with a reason, or reject.

The numbers come from the pure engine (`clawback.event_study`); this module keeps what it read and what it
gave, frozen, so the study can be re-performed from the record alone."""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from compliance_site.audit.recorder import audit_context, record_action
from compliance_site.audit.voiding import void_record
from compliance_site.company.models import Company

from .. import event_study as engine
from ..models import (
    Award,
    AwardComponent,
    EventStudy,
    EventStudyAward,
    PricePoint,
    PriceSet,
    Restatement,
    RestatementEvent,
)
from ..prices import PriceFile, parse_price_file, price_calendar
from ..recovery import ESTIMATE_CATEGORIES
from ..recovery.formulas import curve_factor, evaluate_formula
from ..recovery.inputs import CurveFormula, LinearFormula
from ..selectors import restatements_visible_to
from .estimates import _case_award, estimate_measures, needs_estimate, record_estimate
from .review import _participant, exchange_date, sha256_of
from .walls import check_may_change_inputs

Outcome = EventStudyAward.Outcome
Kind = EventStudyAward.MeasureKind

# The case's events that put the restatement before the market. A board's or committee's conclusion is
# not public until it is announced (the 8-K, or a press release recorded as another event), so it is not
# proposed: the study measures the market's reaction, and the market reacts to what it is told.
MARKET_EVENTS = (
    RestatementEvent.Kind.FORM_8K,
    RestatementEvent.Kind.RESTATED_FILED,
    RestatementEvent.Kind.OTHER,
)


# --- prices -----------------------------------------------------------------------------------------------


def check_prices(*, file_name: str, data: bytes) -> PriceFile:
    """The dry run: the file read and checked against the NYSE calendar; nothing is saved."""
    try:
        return parse_price_file(file_name, data, calendar_for=price_calendar)
    except ValueError as exc:  # PriceFileError: the file cannot be read at all
        raise ValidationError({"file": str(exc)}) from exc


def import_prices(
    *,
    actor,
    company: Company,
    file_name: str,
    data: bytes,
    name: str,
    source: str,
    accept_warnings: bool,
    now: datetime,
) -> PriceSet:
    """Save a checked price file. Refused while it has errors; its warnings (missing days, suspected
    splits) must be accepted in so many words, and are kept with the set."""
    parsed = check_prices(file_name=file_name, data=data)
    errors: dict[str, list[str]] = {}
    if parsed.errors:
        errors["file"] = [f"{len(parsed.errors)} row(s) must be corrected first: {parsed.errors[0].message}"]
    elif not parsed.rows:
        errors["file"] = ["The file has no price rows."]
    if parsed.warnings and not accept_warnings:
        errors["accept_warnings"] = ["Read the warnings and confirm the prices may be used as they are."]
    if not source.strip():
        errors["source"] = ["Say where the prices come from: the vendor, the ticker and indexes, the date."]
    if errors:
        raise ValidationError(errors)
    name = (
        name.strip() or f"{parsed.columns.get('company', 'Company')} {parsed.first_day} to {parsed.last_day}"
    )
    with transaction.atomic(), audit_context(actor=actor):
        price_set = PriceSet(
            company=company,
            name=name[:200],
            source=source.strip(),
            file_name=file_name[:255],
            file_sha256=hashlib.sha256(data).hexdigest(),
            columns=parsed.columns,
            first_day=parsed.first_day,
            last_day=parsed.last_day,
            row_count=len(parsed.rows),
            has_peer=any(peer is not None for *_, peer in parsed.rows),
            warnings=[w.message for w in parsed.warnings],
            imported_by=actor,
        )
        price_set.full_clean()
        price_set.save()
        PricePoint.objects.bulk_create(
            PricePoint(price_set=price_set, day=day, company=c, market=m, peer=p)
            for day, c, m, p in parsed.rows
        )
        record_action(
            actor=actor,
            verb="prices-imported",
            obj=price_set,
            details={"file_sha256": price_set.file_sha256, "rows": price_set.row_count},
        )
    return price_set


def void_price_set(*, actor, price_set: PriceSet, reason: str, now: datetime) -> PriceSet:
    """Void prices imported by mistake (the wrong ticker, unadjusted for a split): they leave the list and
    can no longer be chosen for a study; the file's record stays. Refused while a live study reads them:
    that study's numbers come from these prices, so it is voided first."""
    with transaction.atomic():
        price_set = PriceSet.all_objects.select_for_update().get(pk=price_set.pk)
        reading = EventStudy.objects.filter(price_set=price_set)
        if reading.exists():
            # Only studies of cases the actor may see are named: a case's title is behind its wall.
            seen = reading.filter(restatement__in=restatements_visible_to(actor).values("pk"))
            named = "; ".join(
                f"study {study.pk} of the case “{study.restatement}”"
                for study in seen.select_related("restatement").order_by("pk")[:3]
            )
            raise ValidationError(
                f"A live event study reads these prices{f' ({named})' if named else ''}: void it first."
            )
        void_record(price_set, actor=actor, reason=reason, now=now)
    return price_set


def price_rows(price_set: PriceSet) -> list[engine.PriceRow]:
    return [
        engine.PriceRow(day=d, company=c, market=m, peer=p)
        for d, c, m, p in price_set.points.order_by("day").values_list("day", "company", "market", "peer")
    ]


# --- the study --------------------------------------------------------------------------------------------


def proposed_events(case: Restatement, price_set: PriceSet | None = None) -> list[tuple[date, str]]:
    """The case's dated events that put the restatement news before the market, each moved to the first
    trading day on or after it (news out after a close first trades the next day: the event window's +1
    day catches that)."""
    events = [e for e in case.events.all() if e.kind in MARKET_EVENTS]
    proposed: dict[date, str] = {}
    for event in events:
        day = event.date
        calendar = price_calendar(day.year, day.year + 1)
        while not calendar.is_trading_day(day):
            day += timedelta(days=1)
        label = event.label if event.kind == RestatementEvent.Kind.OTHER else event.get_kind_display()
        proposed.setdefault(day, label)
    if price_set is not None:
        # The default window runs to the next trading day, which the prices must hold too.
        proposed = {d: v for d, v in proposed.items() if price_set.first_day < d < price_set.last_day}
    return sorted(proposed.items())


def _check_may_work_on(actor, case: Restatement) -> None:
    _participant(actor, case)
    check_may_change_inputs(actor, case)


def run_event_study(
    *,
    actor,
    case: Restatement,
    price_set: PriceSet,
    event_dates: Sequence[date],
    event_labels: dict[str, str] | None = None,
    estimation_days: int = 250,
    gap_days: int = 10,
    window: tuple[int, int] = (0, 1),
    model: str = "market",
    significance: float = 0.05,
    inflation_method: str = "constant_dollar",
    counted: str = "significant",
    inflation_start: date | None = None,
    now: datetime,
) -> EventStudy:
    """Run the study on the price set and keep it, with its parameters and result, frozen."""
    _check_may_work_on(actor, case)
    if price_set.company_id != case.company_id or price_set.is_voided:
        raise ValidationError({"price_set": "Choose a live price set of the case's company."})
    if not event_dates:
        raise ValidationError({"event_dates": "Choose at least one event date."})
    params = engine.StudyParameters(
        event_dates=tuple(sorted(set(event_dates))),
        estimation_days=estimation_days,
        gap_days=gap_days,
        window=tuple(window),
        model=model,
        significance=float(significance),
        inflation_method=inflation_method,
        counted=counted,
        inflation_start=inflation_start,
    )
    try:
        result = engine.run_study(price_rows(price_set), params)
    except engine.StudyError as exc:
        raise ValidationError(str(exc)) from exc
    labels = dict(proposed_events(case))
    labels = {
        d.isoformat(): (event_labels or {}).get(d.isoformat()) or labels.get(d, "")
        for d in params.event_dates
    }
    with transaction.atomic(), audit_context(actor=actor):
        # Under the set's lock: a set voided while the study ran is not read by a kept study.
        if PriceSet.all_objects.select_for_update().get(pk=price_set.pk).is_voided:
            raise ValidationError({"price_set": "Choose a live price set of the case's company."})
        study = EventStudy.objects.create(
            restatement=case,
            price_set=price_set,
            parameters=result["parameters"],
            event_labels=labels,
            result=result,
            result_sha256=sha256_of(result),
            engine_version=result["version"],
            run_by=actor,
        )
        record_action(
            actor=actor,
            verb="event-study-run",
            obj=study,
            details={"restatement": case.pk, "price_set": price_set.pk, "result_sha256": study.result_sha256},
        )
    return study


# --- from the study to an award --------------------------------------------------------------------------


def study_goal(award: Award) -> AwardComponent | None:
    """For a scorecard award, the goal a study estimates: its one goal on the share price or TSR, when that
    is the only goal waiting for an estimate (a study measures the price, nothing else). None for any other
    award. A scorecard with more goals to estimate, or none on the price, is refused in words: its estimate,
    every goal's value, is recorded on the case page."""
    if not award.is_scorecard:
        return None
    wanted = estimate_measures(award)
    goals = [c for c in award.components.all() if c.measure_id and c.measure.category in ESTIMATE_CATEGORIES]
    if len(wanted) == 1 and len(goals) == 1 and goals[0].measure_id == wanted[0].pk:
        return goals[0]
    names = ", ".join(m.name for m in wanted) or "no goal"
    raise ValidationError(
        {
            "award": f"This scorecard needs an estimate for {names}. A study estimates one goal on the share "
            "price or TSR: record the scorecard's estimate, every goal's value, on the case page."
        }
    )


def _estimated_measure(award: Award):
    goal = study_goal(award)
    return award.measure if goal is None else goal.measure


def default_measure_kind(award: Award) -> str:
    measure = _estimated_measure(award)
    if measure is None or measure.category == "stock_price":
        return Kind.STOCK_PRICE
    text = f"{measure.name} {measure.key}".lower()
    return Kind.TSR_PERCENTILE if ("percentile" in text or "relative" in text) else Kind.TSR


# A total shareholder return in percent: a holder loses at most everything; anything past a million percent
# is a slip of the keyboard (or a fraction typed as a percent of a percent), never a return.
MIN_TSR, MAX_TSR = Decimal(-100), Decimal(1_000_000)
# A first line naming the columns ("Peer, TSR (%)") rather than giving a peer: no digit in its last cell.
_PEER_HEADER = re.compile(r"^[^0-9]*(tsr|return|percent|%)[^0-9]*$", re.IGNORECASE)


def _peer_cells(line: str) -> list[str]:
    """A line's cells: tab-separated as pasted from a spreadsheet, else comma-separated (CSV quoting kept, so
    "Acme, Inc.",12.5 is one name)."""
    cells = line.split("\t") if "\t" in line else next(csv.reader([line]))
    return [cell.strip() for cell in cells if cell.strip()]


def parse_peer_tsrs(text: str) -> list[list[str]]:
    """Peer TSRs one per line, "Name, 12.5" (percent; a trailing % is fine) or just "12.5": typed, pasted
    from a spreadsheet (tab-separated) or read from a CSV file, whose first line may name the columns."""
    peers, errors = [], []
    lines = [(n, x.strip()) for n, x in enumerate(text.splitlines(), start=1) if x.strip()]
    for index, (number, line) in enumerate(lines):
        cells = _peer_cells(line) or [""]
        if index == 0 and _PEER_HEADER.match(cells[-1]):
            continue
        try:
            value = Decimal(cells[-1].rstrip("%").strip())
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors.append(f"Line {number}: “{line[:80]}” is not a name and a TSR in percent.")
            continue
        if not MIN_TSR <= value < MAX_TSR:
            errors.append(
                f"Line {number}: a TSR of {value}% cannot be: a share loses at most all its value (−100%), "
                f"and a TSR of {MAX_TSR:,}% or more is a typing error."
            )
            continue
        peers.append([", ".join(cells[:-1]) or f"Peer {len(peers) + 1}", str(value)])
    if errors:
        raise ValidationError({"peer_tsrs": errors})
    return peers


MAX_PEER_FILE = 1024 * 1024


def read_peer_file(*, file_name: str, data: bytes) -> tuple[list[list[str]], str]:
    """The peers of an uploaded CSV (or text) file, and the line the documentation gives as their source:
    the file's name and SHA-256, as for prices."""
    if not file_name.lower().endswith((".csv", ".txt")):
        raise ValidationError(
            {"peer_file": "Upload the peers' TSRs as a .csv file (Excel: Save As, CSV UTF-8)."}
        )
    if len(data) > MAX_PEER_FILE:
        raise ValidationError({"peer_file": "The file is larger than 1 MB."})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"peer_file": "The file is not UTF-8 text; save it as CSV UTF-8."}) from None
    try:
        peers = parse_peer_tsrs(text)
    except ValidationError as exc:
        raise ValidationError({"peer_file": exc.message_dict["peer_tsrs"]}) from None
    if not peers:
        raise ValidationError({"peer_file": "The file lists no peer."})
    return peers, f"{file_name} (SHA-256 {hashlib.sha256(data).hexdigest()})"


def _formula(award: Award):
    f = award.formula or {}
    if f.get("kind") == "curve":
        points = tuple((Decimal(str(x)), Decimal(str(y))) for x, y in f["points"])
        return CurveFormula(target=Decimal(str(f["target"])), points=points)
    if f.get("kind") == "linear":
        cap = f.get("cap")
        return LinearFormula(
            rate=Decimal(str(f["rate"])),
            offset=Decimal(str(f.get("offset", "0"))),
            cap=None if cap in (None, "") else Decimal(str(cap)),
        )
    return None


def apply_to_award(
    *,
    actor,
    study: EventStudy,
    award: Award,
    measure_kind: str,
    averaging_days: int = 1,
    peer_tsrs: Sequence[Sequence[str]] = (),
    peer_source: str = "",
    now: datetime,
) -> EventStudyAward:
    """Carry the study to an award's measure over its performance period: the actual and but-for value and
    the payout the plan's formula gives on each. A proposal until the committee answers it."""
    case = study.restatement
    _check_may_work_on(actor, case)
    if study.is_voided:
        raise ValidationError("This study was voided.")
    award = _case_award(case, award)
    if not needs_estimate(award):
        raise ValidationError({"award": "This award's measure is recalculated from the restatement itself."})
    goal = study_goal(award)
    if measure_kind not in Kind.values:
        raise ValidationError({"measure_kind": "Choose what the award's measure is."})
    try:
        estimate = engine.award_measure(
            study.result,
            price_rows(study.price_set),
            kind=measure_kind,
            start=award.performance_start,
            end=award.performance_end,
            averaging_days=averaging_days,
            peer_tsrs=[Decimal(v) for _, v in peer_tsrs],
        )
    except engine.StudyError as exc:
        raise ValidationError(str(exc)) from exc
    figures = {k: (None if v is None else str(v)) for k, v in estimate.as_dict().items()}
    if goal is not None:
        figures.update(_goal_figures(goal, estimate))
    elif (formula := _formula(award)) is not None:
        figures["payout_actual"] = str(evaluate_formula(formula, estimate.actual_value)[0])
        figures["payout_but_for"] = str(evaluate_formula(formula, estimate.but_for_value)[0])
    if peer_source and peer_tsrs:
        figures["peer_source"] = peer_source[:400]
    figures["received"] = str(award.received)
    figures["unit"] = award.get_unit_display()
    with transaction.atomic(), audit_context(actor=actor):
        result = EventStudyAward(
            study=study,
            award=award,
            measure_kind=measure_kind,
            averaging_days=averaging_days,
            peer_tsrs=[list(p) for p in peer_tsrs],
            figures=figures,
            proposed_value=estimate.but_for_value,
            recorded_by=actor,
        )
        result.full_clean()
        result.save()
        record_action(
            actor=actor,
            verb="event-study-applied",
            obj=result,
            details={"study": study.pk, "award": award.pk, "proposed_value": str(result.proposed_value)},
        )
    return result


def _goal_figures(goal: AwardComponent, estimate) -> dict:
    """The scorecard goal the study estimates: its factor on its curve at the actual and the but-for value.
    The award's payout is not shown here: the determination recomputes the whole award, every goal on its
    restated value and the cap applied, once the committee adopts the estimate."""
    points = tuple((Decimal(str(x)), Decimal(str(f))) for x, f in goal.points or ())
    return {
        "goal": goal.measure.key,
        "goal_name": goal.measure.name,
        "goal_weight": _plain(Decimal(str(goal.weight))),
        "goal_factor_actual": _plain(curve_factor(points, estimate.actual_value)),
        "goal_factor_but_for": _plain(curve_factor(points, estimate.but_for_value)),
    }


def _plain(value: Decimal) -> str:
    # normalize() alone writes 60 as 6E+1.
    return f"{value.normalize():f}"


def _method_text(result: EventStudyAward, value: Decimal, reason: str) -> str:
    study, figures = result.study, result.figures
    counted = study.result["inflation"]["counted_events"]
    model = "two-factor (market and peer index)" if study.parameters["model"] == "two_factor" else "market"
    window = study.result["estimation"]
    text = (
        f"Event study no. {study.pk} ({model} model, estimation window {window['start']} to "
        f"{window['end']}): the abnormal returns on {', '.join(counted) or 'no event date'} "
        f"taken as the restatement's effect, removed from the price over the period "
        f"({study.parameters['inflation_method'].replace('_', ' ')}). "
        f"{result.get_measure_kind_display()}: {figures['actual_value']} actual, {figures['but_for_value']} "
        "but for the misstatement."
    )
    if figures.get("goal"):
        text += (
            f" Scorecard goal {figures['goal_name']} (weight {figures['goal_weight']}): factor "
            f"{figures['goal_factor_actual']} actual, {figures['goal_factor_but_for']} but for the "
            "misstatement. The whole award is recomputed with its other goals as for any scorecard."
        )
    if result.outcome == Outcome.ADJUSTED:
        text += (
            f" The committee adjusted the study's {result.proposed_value.normalize()} to {value}: {reason}"
        )
    return text


def _documents_text(result: EventStudyAward) -> str:
    study = result.study
    return "\n".join(
        (
            f"Event study no. {study.pk} report (result SHA-256 {study.result_sha256})",
            f"Event study no. {study.pk} data, every input and output (CSV)",
            f"Prices: {study.price_set.name}, {study.price_set.source} (file SHA-256 "
            f"{study.price_set.file_sha256})",
            *([f"Peer TSRs: {result.figures['peer_source']}"] if result.figures.get("peer_source") else []),
        )
    )


def _refuse_a_second_adoption(result: EventStudyAward) -> None:
    """One study's result stands behind an award's estimate at a time: adopting another would rewrite the
    estimate the first one is recorded as having made. The committee withdraws that estimate first."""
    earlier = (
        EventStudyAward.objects.filter(
            study__restatement_id=result.study.restatement_id,
            award_id=result.award_id,
            outcome__in=(Outcome.ADOPTED, Outcome.ADJUSTED),
            estimate__voided_at__isnull=True,
        )
        .exclude(pk=result.pk)
        .select_related("study")
        .first()
    )
    if earlier is not None:
        raise ValidationError(
            f"The case's estimate for this award was adopted from event study {earlier.study_id}. Withdraw "
            "that estimate on the case page first, then adopt this one."
        )


def answer_result(
    *,
    actor,
    result: EventStudyAward,
    outcome: str,
    value: Decimal | None = None,
    reason: str = "",
    provided_to_exchange_on: date | None = None,
    now: datetime,
) -> EventStudyAward:
    """The committee's answer to a study's result for an award. Adopting it, as computed or adjusted with a
    reason, records the case's reasonable estimate from it (so the determination is recomputed on it);
    rejecting it needs a reason and changes no estimate."""
    case = result.study.restatement
    _check_may_work_on(actor, case)
    errors: dict[str, list[str]] = {}
    if result.study.is_voided:
        raise ValidationError("This study was voided: its results can no longer be adopted.")
    if result.outcome != Outcome.PROPOSED or result.is_voided:
        raise ValidationError(f"The committee already answered this result ({result.get_outcome_display()}).")
    if outcome not in (Outcome.ADOPTED, Outcome.ADJUSTED, Outcome.REJECTED):
        errors["outcome"] = ["Adopt, adjust or reject the study's estimate."]
    if outcome in (Outcome.ADJUSTED, Outcome.REJECTED) and not reason.strip():
        errors["reason"] = ["Say why the committee departs from the study."]
    if outcome == Outcome.ADJUSTED and value is None:
        errors["value"] = ["Give the committee's value."]
    if errors:
        raise ValidationError(errors)
    adopted = result.proposed_value if outcome == Outcome.ADOPTED else value
    if outcome != Outcome.REJECTED:
        _refuse_a_second_adoption(result)
    with transaction.atomic():
        result = EventStudyAward.all_objects.select_for_update().get(pk=result.pk)
        if result.outcome != Outcome.PROPOSED or result.is_voided:
            raise ValidationError("The committee already answered this result.")
        result.outcome = outcome
        result.reason = reason.strip()
        result.decided_by = actor
        result.decided_at = now
        if outcome != Outcome.REJECTED:
            result.adopted_value = adopted
            result.estimate = record_estimate(
                actor=actor,
                case=case,
                award=result.award,
                # A scorecard's estimate is one value per goal measure; the study gave its one price goal's.
                **(
                    {"restated_values": {result.figures["goal"]: adopted}}
                    if result.figures.get("goal")
                    else {"restated_value": adopted}
                ),
                method=_method_text(result, adopted, reason.strip()),
                documents=_documents_text(result),
                adopted_on=exchange_date(now),
                provided_to_exchange_on=provided_to_exchange_on,
                now=now,
            )
        result.full_clean()
        with audit_context(actor=actor, reason=reason.strip()[:1000]):
            result.save()
            record_action(
                actor=actor,
                verb=f"event-study-{outcome}",
                obj=result,
                details={"study": result.study_id, "award": result.award_id, "value": str(adopted)},
                reason=reason.strip()[:1000],
            )
    return result


def void_study(*, actor, study: EventStudy, reason: str, now: datetime) -> EventStudy:
    """Void a study run by mistake (wrong prices, wrong dates): it leaves the case's list and stays on record.
    Refused while an estimate adopted from it stands: the estimate's documentation names it, so the
    committee withdraws the estimate first."""
    _check_may_work_on(actor, study.restatement)
    standing = EventStudyAward.objects.filter(
        study=study, outcome__in=(Outcome.ADOPTED, Outcome.ADJUSTED), estimate__voided_at__isnull=True
    ).exists()
    if standing:
        raise ValidationError(
            "The case's estimate was adopted from this study: withdraw that estimate first, then void the "
            "study."
        )
    with transaction.atomic():
        void_record(study, actor=actor, reason=reason, now=now)
    return study
