"""Snapshots of a clawback case: the determination for the Board, the reasonable-estimate documentation for
the exchange and the impracticability packet (docs/clawback-rules §1.4–§1.8; policy "Method of Recovery",
"Administration").

Everything the templates print comes from here, as plain JSON: the frozen Determination (its
`clawback-scenario/1` inputs and `clawback-result/1` result, which carry the arithmetic) and the committee's
records around it. A case with no determination yet is evaluated live, for a DRAFT only.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Prefetch

from clawback.models import (
    Award,
    Decision,
    DecisionSignature,
    Determination,
    EventStudyAward,
    Executive,
    Impracticability,
    Measure,
    ReasonableEstimate,
    RecoveryClaim,
    RecoveryEvent,
    Recusal,
    Restatement,
    Vote,
)
from clawback.recovery import RULE_VERSION
from clawback.services.bodies import body_on
from clawback.services.determinations import compute
from clawback.services.recovery import claim_position_of
from clawback.services.voting import next_signature, signatures_required
from clawback.wording import STATUS_LABELS, choice_label, plain_explanation
from compliance_site.accounts.visibility import visible_queryset
from compliance_site.company.selectors import policy_in_force
from compliance_site.documents.snapshots.common import dec, iso, person, table
from compliance_site.lib.numbers import usd
from compliance_site.templatetags.compliance import rule_label

from . import event_study as es

# Rule 10D-1(b)(1)(iv)(B): home-country law must predate the Rule's publication.
HOME_COUNTRY_LAW_CUTOFF = date(2022, 11, 28)
RECOVERY_WINDOW_DAYS = 180


def approved_determination(restatement: Restatement) -> Determination | None:
    """The determination with a live decision (approved and not invalidated), if any."""
    return (
        restatement.determinations.filter(decision__isnull=False, invalidated_at__isnull=True)
        .select_related("decision", "computed_by")
        .first()
    )


def determination_for_document(restatement: Restatement) -> Determination | None:
    """The approved determination, else the latest one not invalidated."""
    return approved_determination(restatement) or (
        restatement.determinations.filter(invalidated_at__isnull=True)
        .select_related("decision", "computed_by")
        .order_by("-number")
        .first()
    )


def is_live_approval(determination: Determination | None) -> bool:
    return bool(determination and determination.decision_id and determination.invalidated_at is None)


def final_refusal(restatement: Restatement) -> str | None:
    """Why a FINAL clawback document cannot be rendered now (None when it can): it needs an approved
    determination whose decision is signed by everyone who signs it, in order."""
    approved = approved_determination(restatement)
    if approved is None:
        return (
            "A FINAL document needs an approved determination: this case has no determination with a live "
            "decision of the committee. Render a DRAFT, or record the committee's approval first."
        )
    waiting = next_signature(approved.decision)
    if waiting is not None:
        return (
            f"A FINAL document needs the decision signed: the {DecisionSignature.Capacity(waiting).label} "
            "has not signed it yet. Render a DRAFT, or sign the decision on its page first."
        )
    return None


def _inputs_and_result(restatement: Restatement) -> tuple[Determination | None, dict, dict]:
    """The frozen determination's inputs and result; for a case never submitted, the live computation
    (`clawback.services.determinations.compute`: the case with the committee's estimates), DRAFT only."""
    determination = determination_for_document(restatement)
    if determination is not None:
        return determination, determination.inputs, determination.result
    computation = compute(restatement)
    return None, computation.inputs, computation.result_json


def _formula_text(formula: dict | None) -> str:
    if not formula:
        return ""
    if formula.get("kind") == "curve":
        points = "; ".join(f"{_n(x)} → {_n(f)}" for x, f in formula.get("points", []))
        return f"Curve, target {_n(formula.get('target'))}: {points} (linear between points)"
    text = f"{_n(formula.get('rate'))} × (measure − {_n(formula.get('offset', '0'))}), floored at 0"
    if formula.get("cap") is not None:
        text += f", capped at {_n(formula['cap'])}"
    return text


def _n(value) -> str:
    """A decimal string with thousands separators: '240000000' -> '240,000,000'."""
    if value in (None, ""):
        return ""
    number = Decimal(str(value))
    text = f"{number:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _decision_data(decision: Decision | None, restatement: Restatement) -> dict | None:
    if decision is None:
        return None
    members = sorted(decision.members_present.all(), key=person)
    votes = sorted(
        decision.votes.select_related("member", "recorded_by", "minutes"), key=lambda v: person(v.member)
    )
    recusals = [
        {"name": person(r.user), "reason": r.reason}
        for r in Recusal.objects.filter(restatement=restatement).select_related("user").order_by("id")
    ]
    # A list, not a dict: the snapshot is stored as PostgreSQL jsonb, which does not keep key order.
    tally = [[choice.label, sum(1 for v in votes if v.choice == choice)] for choice in Vote.Choice]
    recused_names = {r["name"] for r in recusals}
    return {
        "id": decision.pk,
        "kind": decision.get_kind_display(),
        "body": decision.get_body_display(),
        "held_on": iso(decision.held_on),
        "quorum": decision.quorum,
        "quorum_present": len(members) >= decision.quorum,
        "members_present": [person(m) for m in members],
        "recusals": recusals,
        "votes": [{"name": person(v.member), "choice": v.get_choice_display()} for v in votes],
        "tally": tally,
        "resolution": decision.resolution,
        "adopted": decision.adopted,
        "recorded_by": person(decision.recorded_by),
        "signatories": [person(m) for m in members if person(m) not in recused_names],
        **_signature_page(decision, restatement, votes),
    }


def _how_voted(vote: Vote, decision: Decision) -> str:
    if vote.method == Vote.Method.IN_APP:
        return vote.get_method_display()
    if decision.opened_at is None:  # the whole decision was taken at the meeting
        source = f"the minutes of the meeting of {decision.held_on:%B %-d, %Y}"
    else:
        source = f"the minutes ({vote.minutes.original_name})" if vote.minutes_id else "the minutes"
    recorder = f", recorded by {person(vote.recorded_by)}" if vote.recorded_by_id else ""
    return f"From {source}{recorder}"


def _signature_page(decision: Decision, restatement: Restatement, votes) -> dict:
    """What the signature page of the Board PDF shows: how each member voted and when, who signed in which
    capacity and when, and what is still to be signed (docs/clawback-rules §1.13)."""
    voters = body_on(restatement, decision.body, on=decision.held_on)
    body = decision.get_body_display().split(" (")[0]
    chair_id = voters.chair.pk if voters.chair else None
    signed = list(decision.signatures.select_related("signer"))
    capacity_names = {
        DecisionSignature.Capacity.CHAIR: f"Chair of the {body}",
        DecisionSignature.Capacity.SECRETARY: "Corporate Secretary",
    }
    required = signatures_required(decision) if decision.status == Decision.Status.ADOPTED else ()
    done = {s.capacity for s in signed}
    return {
        "mode": decision.get_mode_display().split(" (")[0],
        "status": decision.get_status_display(),
        "outcome": decision.outcome_reason,
        "determination_number": decision.determination_number,
        "determination_sha256": decision.determination_sha256,
        "ballots": [
            {
                "name": person(v.member),
                "role": f"{'Chair' if v.member_id == chair_id else 'Member'} of the {body}",
                "choice": v.get_choice_display(),
                "at": v.cast_at.isoformat() if v.cast_at else None,
                "method": _how_voted(v, decision),
                "comment": v.comment,
            }
            for v in votes
        ],
        "signatures": [
            {
                "order": s.position,
                "name": person(s.signer),
                "capacity": capacity_names[s.capacity],
                "at": s.signed_at.isoformat(),
                "method": s.method,
            }
            for s in signed
        ],
        "pending_signatures": [
            {"order": n, "capacity": capacity_names[c]}
            for n, c in enumerate(required, start=1)
            if c not in done
        ],
    }


def _policy_data(restatement: Restatement, required_on: str | None) -> dict | None:
    policy = restatement.policy_version
    if policy is None and required_on:
        policy = policy_in_force("clawback", on=date.fromisoformat(required_on))
    if policy is None:
        return None
    return {
        "title": policy.title,
        "version": policy.version,
        "effective_date": iso(policy.effective_date),
        "approved_on": iso(policy.approved_on),
        "approved_by": policy.approved_by,
    }


def _event_study_summary(result: EventStudyAward) -> list[list[str]]:
    """The study an estimate was adopted from, as the exchange's documentation summarizes it: which study,
    on which prices and model, the events counted with their CAR, the inflation, and the values."""
    study, kind = result.study, result.measure_kind
    estimation, inflation, labels = study.result["estimation"], study.result["inflation"], study.event_labels
    events = "; ".join(
        f"{es.labelled(e['date'], labels or {})}: CAR {es.pct(e['car'])}, p {es.pval(e['car_p'])}"
        for e in study.result["events"]
        if e["counted"]
    )
    return es.kv(
        ("Event study", f"Number {study.pk}, run {study.run_at:%Y-%m-%d}"
         + (" (voided since)" if study.voided_at else "")),
        ("Prices", f"{study.price_set.name} — {study.price_set.source}"),
        ("Model", es.MODEL_NAMES[study.parameters["model"]]),
        ("Estimation window", f"{estimation['start']} to {estimation['end']} ({estimation['observations']} "
         "daily returns)"),
        ("Events counted", events or "None"),
        ("Inflation", f"{es.dollars(inflation['per_share_dollar'])} a share ({es.pct(inflation['percent'])} "
         "of the price)"),
        ("Actual and but-for value", f"{es.measure_value(kind, result.figures.get('actual_value'))} actual; "
         f"{es.measure_value(kind, result.figures.get('but_for_value'))} but for the misstatement"),
        ("Committee's adjustment", result.outcome == EventStudyAward.Outcome.ADJUSTED
         and f"{es.measure_value(kind, result.adopted_value)} instead. Reason: {result.reason}"),
    )  # fmt: skip


def _estimates(restatement: Restatement) -> list[dict]:
    # The event study each estimate was adopted from, if any: one query, whatever the number of estimates.
    adopted = EventStudyAward.objects.filter(outcome__in=es.ADOPTED).select_related("study__price_set")
    rows = (
        ReasonableEstimate.objects.filter(restatement=restatement)
        .select_related("award__executive", "award__measure", "recorded_by")
        .prefetch_related(Prefetch("event_study_results", queryset=adopted, to_attr="adopted_from"))
    )
    return [
        {
            "award": e.award.key,
            "executive": e.award.executive.name,
            "measure": e.award.measure.name if e.award.measure else "",
            "measure_category": e.award.measure.get_category_display() if e.award.measure else "",
            "measure_period": e.award.measure_period,
            "restated_value": dec(e.restated_value)
            if e.restated_value is not None
            else "; ".join(f"{k}: {v}" for k, v in sorted((e.restated_values or {}).items())),
            "method": e.method,
            "documents": [line.strip() for line in e.documents.splitlines() if line.strip()],
            "adopted_on": iso(e.adopted_on),
            "provided_to_exchange_on": iso(e.provided_to_exchange_on),
            "recorded_by": person(e.recorded_by),
            "event_study": _event_study_summary(e.adopted_from[0]) if e.adopted_from else None,
        }
        for e in rows
    ]


def recovery_position(claims, *, on: date = date.max) -> list[dict]:
    """Per claim: owed, recovered, forgone and outstanding on `on` (everything recorded by default), from
    `clawback.services.recovery.claim_position_of`, with the recovery steps taken by then. Used by the
    determination, the impracticability packet and the dashboard alike."""
    result = []
    for claim in claims:
        position = claim_position_of(claim, as_of=on)
        result.append(
            {
                "claim": claim,
                "executive": claim.executive,
                "owed": position.amount_owed,
                "recovered": position.recovered,
                "forgone": position.forgone,
                "outstanding": position.outstanding,
                "days_outstanding": position.days_outstanding,
                "disclosable_180": position.disclosable_180,
                "events": [e for e in claim.events.all() if e.occurred_on <= on],
            }
        )
    return result


def claims_for(restatement: Restatement):
    return (
        RecoveryClaim.objects.filter(restatement=restatement)
        .select_related("executive")
        .prefetch_related("events", "impracticabilities__decision")
        .order_by("executive__name")
    )


def _recovery(restatement: Restatement) -> list[dict]:
    return [
        {
            "executive": p["executive"].name,
            "sought_from": p["claim"].get_sought_from_display(),
            "party_name": p["claim"].party_name,
            "determined_on": iso(p["claim"].determined_on),
            "owed": dec(p["owed"]),
            "units_owed": dec(p["claim"].units_owed),
            "recovered": dec(p["recovered"]),
            "forgone": dec(p["forgone"]),
            "outstanding": dec(p["outstanding"]),
            "events": [
                {
                    "occurred_on": iso(e.occurred_on),
                    "method": e.get_method_display(),
                    "amount": dec(e.amount),
                    "units": dec(e.units),
                    # Policy "Successors": the party it was recovered from, as recorded with the event.
                    "recovered_from": _recovered_from(e),
                    "evidence": e.evidence,
                }
                for e in p["events"]
            ],
        }
        for p in recovery_position(claims_for(restatement))
    ]


def _recovered_from(event: RecoveryEvent) -> str:
    """'the executive', or the successor and their name ('Executor: Jane Roe'), as the case page says it."""
    if event.recovered_from == RecoveryClaim.Party.EXECUTIVE:
        return "the executive"
    label = event.get_recovered_from_display()
    return f"{label}: {event.party_name}" if event.party_name else label


def _impracticabilities(restatement: Restatement) -> list[dict]:
    rows = (
        Impracticability.objects.filter(claim__restatement=restatement)
        .select_related("claim__executive", "decision")
        .order_by("id")
    )
    result = []
    for item in rows:
        checks = []
        if item.ground == Impracticability.Ground.EXPENSE:
            cost = item.third_party_cost
            checks.append(
                {
                    "test": "Third-party expense exceeds the amount to recover (Rule 10D-1(b)(1)(iv)(A))",
                    "met": cost is not None and cost > item.amount_forgone,
                    "detail": (
                        f"third-party cost {'not recorded' if cost is None else usd(cost)} vs "
                        f"amount forgone {usd(item.amount_forgone)}"
                    ),
                }
            )
            checks.append(
                {
                    "test": "Reasonable attempt to recover documented",
                    "met": bool(item.attempts.strip()),
                    "detail": "",
                }
            )
        if item.ground == Impracticability.Ground.HOME_COUNTRY_LAW:
            adopted = item.law_adopted_on
            checks.append(
                {
                    "test": "Home-country law adopted before 2022-11-28 (Rule 10D-1(b)(1)(iv)(B))",
                    "met": adopted is not None and adopted < HOME_COUNTRY_LAW_CUTOFF,
                    "detail": f"adopted {iso(adopted) or 'not recorded'}",
                }
            )
            checks.append(
                {
                    "test": "Opinion of home-country counsel recorded",
                    "met": bool(item.opinion.strip()),
                    "detail": "",
                }
            )
        if item.ground == Impracticability.Ground.RETIREMENT_PLAN:
            checks.append(
                {
                    "test": "Broad-based tax-qualified retirement plan named, and why recovery would make it "
                    "fail 26 U.S.C. 401(a)(13) or 411(a) (Rule 10D-1(b)(1)(iv)(C))",
                    "met": bool(item.plan_description.strip()),
                    "detail": "",
                }
            )
        result.append(
            {
                "id": item.pk,
                "executive": item.claim.executive.name,
                "ground": item.get_ground_display(),
                "amount_forgone": dec(item.amount_forgone),
                "amount_owed": dec(item.claim.amount_owed),
                "third_party_cost": dec(item.third_party_cost),
                "cost_description": item.cost_description,
                "attempts": item.attempts,
                "law_adopted_on": iso(item.law_adopted_on),
                "opinion": item.opinion,
                "plan_description": item.plan_description,
                "provided_to_exchange_on": iso(item.provided_to_exchange_on),
                "checks": checks,
                "decision": _decision_data(item.decision, restatement),
            }
        )
    return result


def measure_names(restatement: Restatement) -> dict[str, str]:
    """The company's measures, key -> name: the engine's text names a measure by its key."""
    return dict(Measure.objects.filter(company=restatement.company).values_list("key", "name"))


def worksheet(
    inputs: dict, result: dict, measure_named: dict[str, str] | None = None
) -> tuple[list[dict], list[dict]]:
    """Per-award rows (inputs beside the result) and per-executive totals. Each row's `explanation` is the
    engine's in plain words (clawback.wording); `measure` is the key the scenario file names it by,
    `measure_name` its name (`measure_named`, key -> name)."""
    measure_named = measure_named or {}
    awards_in = {a["id"]: a for a in inputs.get("awards", [])}
    names = {x["id"]: x["name"] for x in inputs.get("executives", [])}
    measures = inputs.get("measures", {})
    type_labels = dict(Award.Type.choices)
    basis_labels = dict(Award.Basis.choices)
    rows = []
    for item in result.get("awards", []):
        source = awards_in.get(item["id"], {})
        measure_key = source.get("measure")
        value = measures.get(measure_key, {}).get("values", {}).get(source.get("measure_period"), {})
        estimate = source.get("estimate")
        scorecard = source.get("scorecard")
        if scorecard:
            measure_key = "scorecard"
            value = {}
        rows.append(
            {
                "id": item["id"],
                "executive": names.get(item["executive"], item["executive"]),
                "type": type_labels.get(source.get("type"), source.get("type", "")),
                "basis": basis_labels.get(source.get("basis"), source.get("basis", "")),
                "performance_period": "{} – {}".format(
                    source.get("performance_period", {}).get("start", ""),
                    source.get("performance_period", {}).get("end", ""),
                ),
                "received_on": item.get("received_on"),
                "measure": measure_key or "",
                "measure_name": "Scorecard"
                if scorecard
                else (measure_named.get(measure_key) or choice_label(measure_key) if measure_key else ""),
                "measure_period": source.get("measure_period") or "",
                "original_value": value.get("original"),
                "restated_value": (estimate or {}).get("restated_value") or value.get("restated"),
                "restated_source": "estimate"
                if estimate
                else ("restated" if "restated" in value else "not restated"),
                "formula": _scorecard_text(scorecard, measure_named)
                if scorecard
                else _formula_text(source.get("formula")),
                "unit": item["unit"],
                "value_per_unit": source.get("value_per_unit"),
                "received": item.get("received"),
                "original_formula": item.get("original_formula"),
                "recomputed": item.get("recomputed"),
                "excess": item.get("excess"),
                "excess_usd": item.get("excess_usd"),
                # What was already recovered of the same award, and what remains (a `/2` result).
                "already_recovered": item.get("already_recovered"),
                "to_recover": item.get("to_recover", item.get("excess")),
                "to_recover_usd": item.get("to_recover_usd", item.get("excess_usd")),
                "status": item.get("status"),
                "status_label": STATUS_LABELS.get(item.get("status"), item.get("status")),
                "in_scope": item.get("in_scope"),
                "reasons": [rule_label(code) for code in item.get("reasons", [])],
                "reason_codes": list(item.get("reasons", [])),
                "explanation": plain_explanation(item.get("explanation", ""), measure_named),
            }
        )
    totals = [
        {
            "id": e["id"],
            "name": names.get(e["id"], e["id"]),
            "excess_usd": e["excess_usd"],
            "excess_units": e["excess_units"],
            "to_recover_usd": e.get("to_recover_usd", e["excess_usd"]),
            "to_recover_units": e.get("to_recover_units", e["excess_units"]),
            "pending_estimates": e["pending_estimates"],
            "awards": sum(1 for r in rows if r["executive"] == names.get(e["id"], e["id"])),
            "in_scope": sum(
                1 for r in rows if r["executive"] == names.get(e["id"], e["id"]) and r["in_scope"]
            ),
        }
        for e in result.get("executives", [])
    ]
    return rows, totals


def _scorecard_text(scorecard: dict, names: dict[str, str] | None = None) -> str:
    """A scorecard as people read it: "Scorecard, target 500,000 × weighted score (cap 1.5): 40% Adjusted
    EBITDA FY2023 curve 100 → 0.5, 120 → 1, 140 → 2; 20% operational goal, score 1.2"."""
    from compliance_site.lib.numbers import num

    goals = []
    for goal in scorecard.get("components", []):
        weight = f"{num(goal.get('weight'))} ×"
        if "measure" in goal:
            curve = ", ".join(f"{num(x)} → {num(f)}" for x, f in goal.get("points") or [])
            name = (names or {}).get(goal["measure"]) or choice_label(goal["measure"])
            goals.append(f"{weight} {name} {goal.get('measure_period', '')} curve {curve}")
        else:
            basis = choice_label(str(goal.get("basis", "")))
            goals.append(f"{weight} {basis}, score {num(goal.get('factor'))} (as assessed)")
    cap = f" (cap {num(scorecard['cap_factor'])})" if scorecard.get("cap_factor") is not None else ""
    return f"Scorecard, target {num(scorecard.get('target'))} × weighted score{cap}: " + "; ".join(goals)


def plan_formulas(rows: list[dict]) -> list[dict]:
    """The distinct plan formulas of the worksheet, numbered F1, F2...; each row gets its `formula_ref`.
    Awards share a handful of plan curves: printing each once keeps the worksheet readable (and short)."""
    refs: dict[str, str] = {}
    for row in rows:
        text = row["formula"]
        if not text or row["status"] == "excluded":  # excluded awards are not recomputed
            row["formula_ref"] = ""
            continue
        if text not in refs:
            refs[text] = f"F{len(refs) + 1}"
        row["formula_ref"] = refs[text]
    return [{"ref": ref, "text": text} for text, ref in refs.items()]


def _restatement_data(restatement: Restatement) -> dict:
    return {
        "id": restatement.pk,
        "title": restatement.title,
        "kind": restatement.get_kind_display(),
        "kind_code": restatement.kind,
        "description": restatement.description,
        "status": restatement.get_status_display(),
        "periods_restated": ", ".join(
            sorted({r.value.period_label for r in restatement.restated_values.select_related("value")})
        ),
        "restated_values": [
            {
                "measure": r.value.measure.name,
                "period": r.value.period_label,
                "original": dec(r.value.original),
                "restated": dec(r.restated),
                "source": r.source,
            }
            for r in restatement.restated_values.select_related("value__measure").order_by(
                "value__measure__name", "value__period_label"
            )
        ],
        "administering_body": restatement.get_administering_body_display(),
        "no_indemnification_confirmed_at": iso(restatement.no_indemnification_confirmed_at),
        "events": [
            {"kind": e.get_kind_display(), "date": iso(e.date), "rationale": e.rationale}
            for e in restatement.events.order_by("date", "id")
        ],
    }


def _determination_meta(determination: Determination | None) -> dict:
    if determination is None:
        return {
            "source": "live",
            "number": None,
            "sha256": "",
            "rule_version": RULE_VERSION,
            "computed_at": None,
            "computed_by": "",
            "approved": False,
            "invalidated_at": None,
        }
    return {
        "source": "determination",
        "id": determination.pk,
        "number": determination.number,
        "sha256": determination.sha256,
        "rule_version": determination.rule_version,
        "computed_at": iso(determination.computed_at),
        "computed_by": person(determination.computed_by),
        "approved": is_live_approval(determination),
        "invalidated_at": iso(determination.invalidated_at),
    }


def determination_data(restatement: Restatement) -> dict:
    """The recovery determination for the Board (policy "Administration"; docs/clawback-rules
    §1.4–§1.8)."""
    determination, inputs, result = _inputs_and_result(restatement)
    names = measure_names(restatement)
    rows, totals = worksheet(inputs, result, names)
    formulas = plan_formulas(rows)
    decision = determination.decision if determination is not None and determination.decision_id else None
    lookback = result.get("lookback") or {}
    statuses = [r["status"] for r in rows]
    titles = dict(Executive.objects.filter(company=restatement.company).values_list("key", "title"))
    for total in totals:
        total["title"] = titles.get(total["id"], "")
    return {
        "restatement": _restatement_data(restatement),
        "determination": _determination_meta(determination),
        "summary": {
            "triggers_recovery_analysis": result.get("triggers_recovery_analysis"),
            "required_on": result.get("required_on"),
            "required_on_event": rule_label(result.get("required_on_event") or ""),
            "window_start": lookback.get("start"),
            "window_end": lookback.get("end"),
            "window_periods": lookback.get("periods", []),
            "total_excess_usd": result.get("totals", {}).get("excess_usd", "0.00"),
            "total_excess_units": result.get("totals", {}).get("excess_units", "0"),
            "total_to_recover_usd": result.get("totals", {}).get(
                "to_recover_usd", result.get("totals", {}).get("excess_usd", "0.00")
            ),
            "credited": [r for r in rows if r.get("already_recovered") not in (None, "0", "0.00")],
            "pending_estimates": result.get("totals", {}).get("pending_estimates", 0),
            "awards": len(rows),
            "in_scope": sum(1 for r in rows if r["in_scope"]),
            "excluded": statuses.count("excluded"),
            "estimated": statuses.count("estimated"),
            "estimate_required": statuses.count("reasonable_estimate_required"),
            "warnings": [plain_explanation(w, names) for w in result.get("warnings", [])],
        },
        "executives": totals,
        "awards": rows,
        "formulas": formulas,
        "exclusions": [r for r in rows if r["status"] == "excluded"],
        "estimates": _estimates(restatement),
        "impracticabilities": _impracticabilities(restatement),
        "recovery": _recovery(restatement),
        "recovery_methods": [label for _, label in RecoveryEvent.Method.choices],
        "decision": _decision_data(decision, restatement),
        "policy": _policy_data(restatement, result.get("required_on")),
        "scenario": inputs,
        "result": result,
    }


def estimates_data(restatement: Restatement) -> dict:
    """The reasonable-estimate documentation the exchange must receive (Rule 10D-1(b)(1)(iii)(A))."""
    determination, inputs, result = _inputs_and_result(restatement)
    rows, _ = worksheet(inputs, result, measure_names(restatement))
    by_award = {r["id"]: r for r in rows}
    estimates = _estimates(restatement)
    for item in estimates:
        item["worksheet"] = by_award.get(item["award"])
    pending = [r for r in rows if r["status"] == "reasonable_estimate_required"]
    return {
        "restatement": _restatement_data(restatement),
        "determination": _determination_meta(determination),
        "estimates": estimates,
        "pending": pending,
        "required_on": result.get("required_on"),
    }


def impracticability_data(restatement: Restatement) -> dict:
    """The impracticability packet: each determination, its ground, the tests and the decision
    (Rule 10D-1(b)(1)(iv); docs/clawback-rules §1.8)."""
    determination = determination_for_document(restatement)
    recovery = _recovery(restatement)
    return {
        "restatement": _restatement_data(restatement),
        "determination": _determination_meta(determination),
        "impracticabilities": _impracticabilities(restatement),
        "recovery": recovery,
        "recoveries": [{"executive": r["executive"], **e} for r in recovery for e in r["events"]],
    }


def _table(rows, *columns) -> dict:
    """A record table of `rows` (dicts): a column is a key, printed as its header, or (header, key) or
    (header, function of the row)."""
    columns = [(c, c) if isinstance(c, str) else c for c in columns]
    return table(
        [header for header, _ in columns],
        [[read(row) if callable(read) else row[read] for _, read in columns] for row in rows],
    )


def record_tables(data: dict) -> dict:
    """The determination's records as tables for CSV and XLSX (auditor bundle)."""
    decision = data["decision"] or {}
    return {
        "award_worksheet": _table(
            data["awards"],
            ("award", "id"),
            *("executive", "type", "basis", "performance_period", "received_on", "measure", "measure_period"),
            *("original_value", "restated_value", "restated_source", "formula", "unit", "value_per_unit"),
            *("received", "original_formula", "recomputed", "excess", "excess_usd", "status"),
            ("reasons", lambda a: "; ".join(a["reason_codes"])),
            "explanation",
        ),
        "executive_totals": _table(
            data["executives"],
            ("executive_key", "id"),
            "name",
            ("title", lambda e: e.get("title", "")),
            *("excess_usd", "excess_units", "pending_estimates"),
        ),
        "reasonable_estimates": _table(
            data["estimates"],
            *("award", "executive", "measure", "restated_value", "method"),
            ("documents", lambda e: "; ".join(e["documents"])),
            *("adopted_on", "provided_to_exchange_on"),
        ),
        "recovery_claims": _table(
            data["recovery"],
            *("executive", "determined_on", "sought_from", "owed", "recovered", "forgone", "outstanding"),
        ),
        "recovery_events": _table(
            [{"executive": r["executive"], **e} for r in data["recovery"] for e in r["events"]],
            *("executive", "occurred_on", "method", "amount", "units"),
            ("recovered_from", lambda e: e.get("recovered_from", "")),
            "evidence",
        ),
        "impracticability": _table(
            data["impracticabilities"],
            *("executive", "ground", "amount_forgone", "third_party_cost", "law_adopted_on"),
            ("plan_description", lambda i: i.get("plan_description", "")),
            "provided_to_exchange_on",
            ("decision_held_on", lambda i: (i["decision"] or {}).get("held_on")),
            ("decision_body", lambda i: (i["decision"] or {}).get("body")),
        ),
        "decision_votes": _table(decision.get("votes") or [], ("member", "name"), ("vote", "choice")),
    }


def audit_scope(restatement: Restatement) -> list[tuple[str, list[str]]]:
    """The (object_type, ids) pairs whose audit trail belongs with the case."""

    def ids(queryset) -> list:
        return list(queryset.values_list("id", flat=True))

    executives = ids(restatement.covered_executives)
    claims = ids(RecoveryClaim.objects.filter(restatement=restatement))
    decisions = ids(Decision.objects.filter(restatement=restatement))
    pairs = [
        ("clawback.restatement", [restatement.pk]),
        ("clawback.restatementevent", ids(restatement.events)),
        ("clawback.recusal", ids(restatement.recusals)),
        ("clawback.executive", executives),
        ("clawback.award", ids(Award.objects.filter(executive_id__in=executives))),
        ("clawback.reasonableestimate", ids(restatement.estimates)),
        ("clawback.decision", decisions),
        ("clawback.vote", ids(Vote.objects.filter(decision_id__in=decisions))),
        ("clawback.recoveryclaim", claims),
        ("clawback.recoveryevent", ids(RecoveryEvent.objects.filter(claim_id__in=claims))),
        ("clawback.impracticability", ids(Impracticability.objects.filter(claim_id__in=claims))),
    ]
    return [(kind, [str(i) for i in values]) for kind, values in pairs if values]


def sees_every_case(user) -> bool:
    """False for a covered executive: they must not read their own case even as a company-wide figure."""
    return not Restatement.objects.exclude(pk__in=visible_queryset(user, Restatement).values("pk")).exists()
