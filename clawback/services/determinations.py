"""The determination workflow of a clawback case: review, reasonable estimates, the administering body's
decision, approval, recovery and closing.

    draft --submit_for_review--> review --record_decision (adopted approval)--> approved
    approved --start_recovery (no-indemnification checklist confirmed)--> recovery --close_case--> closed
    approved, closed --reopen_case(reason)--> review
    approved, recovery, closed --ensure_approval_current (an input changed)--> review

Submitting freezes a `Determination`: the exact scenario evaluated (with the committee's reasonable
estimates) and the engine's result, with their SHA-256. An approval points at one frozen determination; the
moment the live inputs differ from it, `ensure_approval_current` invalidates it, freezes a new
determination and sends the case back to review for a new decision. Every service here calls it first, and
so must any service that changes a case's inputs (awards, measures, events, fiscal periods, executives).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from compliance_site.accounts.permissions import has_capability
from compliance_site.audit.recorder import audit_context, record_action
from compliance_site.lib.timefmt import EXCHANGE_TZ

from ..models import (
    Award,
    Decision,
    Determination,
    Executive,
    ReasonableEstimate,
    RecoveryClaim,
    Recusal,
    Restatement,
    Vote,
)
from ..recovery import ESTIMATE_CATEGORIES, INCENTIVE_BASIS, RecoveryResult, Scenario, evaluate
from ..scenario import ScenarioError, parse_scenario, result_to_json, scenario_to_json
from . import scenarios

S = Restatement.Status

# Policy "No Indemnification"; rules.md §1.9 (the Release reads the ban to cover insurance and premiums too).
NO_INDEMNIFICATION_CHECKLIST: tuple[tuple[str, str], ...] = (
    (
        "no_indemnity_agreement",
        "No indemnification agreement, by-law, charter provision or other arrangement indemnifies any "
        "current or former executive officer against the loss of erroneously awarded compensation.",
    ),
    (
        "no_insurance",
        "No insurance policy or rider paid for by the company covers that loss.",
    ),
    (
        "no_premium_reimbursement",
        "The company does not pay or reimburse premiums for any policy an executive buys to cover that loss.",
    ),
)

# The transitions a person may start from each status (shown as buttons; the services enforce them).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.DRAFT: ("submit",),
    S.REVIEW: ("record_estimate", "designate", "record_decision", "confirm_no_indemnification"),
    S.APPROVED: ("confirm_no_indemnification", "start_recovery", "record_decision", "reopen"),
    S.RECOVERY: ("record_recovery_event", "record_decision", "determine_impracticable", "close"),
    S.CLOSED: ("reopen",),
}


def allowed_actions(case: Restatement) -> tuple[str, ...]:
    return TRANSITIONS.get(case.status, ())


# --- Inputs: the scenario with the committee's estimates, frozen with a digest ------------------------


def exchange_date(now: datetime) -> date:
    """Today in New York: meeting dates and "not in the future" checks use the exchange's calendar day."""
    return now.astimezone(EXCHANGE_TZ).date()


def canonical_json(data: Any) -> bytes:
    """Sorted keys, no whitespace, UTF-8: the same document always gives the same bytes."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sha256_of(data: Any) -> str:
    return hashlib.sha256(canonical_json(data)).hexdigest()


def normalized_inputs(document: dict) -> dict | None:
    """A frozen inputs document as the current scenario writer writes it, so a determination frozen in an
    earlier format (`clawback-scenario/1`) still matches live inputs that did not change; None when the
    document no longer parses (its inputs then count as changed)."""
    try:
        return scenario_to_json(parse_scenario(document, require_restatement_date=False))
    except ScenarioError:
        return None


def same_inputs(frozen: dict, live: dict) -> bool:
    """Whether a determination's frozen inputs are the live ones (Policy "Administration": any change to an
    input withdraws the approval resting on it)."""
    if sha256_of(frozen) == sha256_of(live):
        return True
    normalized = normalized_inputs(frozen)
    return normalized is not None and sha256_of(normalized) == sha256_of(live)


def needs_estimate(award: Award) -> bool:
    """Stock price and TSR measures always need a reasonable estimate (Rule 10D-1(b)(1)(iii)(A)); any other
    award does once the committee designated it (policy, "In all other instances")."""
    return award.requires_estimate or bool(estimate_measures(award))


def estimate_measures(award: Award) -> list:
    """The measures of an award whose restated value cannot be recalculated (stock price, TSR): its own
    measure, or a scorecard's measure goals. For a designated scorecard award, every measure goal."""
    if award.is_scorecard:
        goals = [c.measure for c in award.components.all() if c.measure_id]
        if award.requires_estimate:
            return goals
        return [m for m in goals if m.category in ESTIMATE_CATEGORIES]
    if award.measure is not None and award.measure.category in ESTIMATE_CATEGORIES:
        return [award.measure]
    return []


def _document_lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _scenario_error(exc: ScenarioError) -> ValidationError:
    return ValidationError(
        [f"The case cannot be evaluated yet: {path}: {message}" for path, message in exc.errors[:20]]
    )


def scenario_with_estimates(case: Restatement) -> Scenario:
    """The case as the engine sees it with the committee's recorded reasonable estimates
    (`scenarios.scenario_with_estimates`); a ValidationError while the records cannot form a scenario."""
    try:
        return scenarios.scenario_with_estimates(case)
    except ScenarioError as exc:
        raise _scenario_error(exc) from exc


@dataclasses.dataclass(frozen=True)
class Computation:
    """The live inputs of a case, evaluated: what a Determination would freeze now."""

    scenario: Scenario
    result: RecoveryResult
    inputs: dict
    result_json: dict

    @property
    def inputs_sha256(self) -> str:
        return sha256_of(self.inputs)

    @property
    def sha256(self) -> str:
        return sha256_of({"inputs": self.inputs, "result": self.result_json})


def compute(case: Restatement) -> Computation:
    """Evaluate the case's live inputs; a ValidationError when they cannot be evaluated yet."""
    scenario = scenario_with_estimates(case)
    try:
        result = evaluate(scenario)
    except ValueError as exc:
        raise ValidationError(f"The case cannot be evaluated yet: {exc}") from exc
    return Computation(
        scenario=scenario,
        result=result,
        inputs=scenario_to_json(scenario),
        result_json=result_to_json(result),
    )


def live_determination(case: Restatement) -> Determination | None:
    """The newest determination not invalidated: the one under review, or the approved one."""
    return case.determinations.filter(invalidated_at__isnull=True).order_by("-number").first()


def approved_determination(case: Restatement) -> Determination | None:
    return (
        case.determinations.filter(decision__isnull=False, invalidated_at__isnull=True)
        .select_related("decision")
        .first()
    )


def _freeze(case: Restatement, *, actor, now: datetime, computation: Computation) -> Determination:
    last = case.determinations.order_by("-number").values_list("number", flat=True).first() or 0
    determination = Determination(
        restatement=case,
        number=last + 1,
        inputs=computation.inputs,
        result=computation.result_json,
        sha256=computation.sha256,
        rule_version=computation.result.rule_version,
        computed_at=now,
        computed_by=actor,
    )
    determination.full_clean()
    determination.save()
    record_action(
        actor=actor,
        verb="freeze_determination",
        obj=case,
        details={"determination": determination.number, "sha256": determination.sha256},
    )
    return determination


def _invalidate(determination: Determination, *, actor, now: datetime, reason: str) -> None:
    determination.invalidated_at = now
    determination.invalidated_reason = reason[:4000]
    determination.save(update_fields=["invalidated_at", "invalidated_reason"])
    record_action(
        actor=actor,
        verb="invalidate_determination",
        obj=determination.restatement,
        details={"determination": determination.number, "approved": determination.decision_id is not None},
        reason=reason[:1000],
    )


# --- What changed ---------------------------------------------------------------------------------------


def _show(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return text if len(text) <= 40 else text[:37] + "..."


def describe_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> str:
    """A short account of how two scenario documents differ, for the invalidation reason."""
    parts: list[str] = []
    if before.get("company") != after.get("company"):
        parts.append("company fiscal periods or listing changed")
    if before.get("restatement") != after.get("restatement"):
        parts.append("restatement kind or events changed")
    b_measures, a_measures = before.get("measures", {}), after.get("measures", {})
    for key in sorted(set(b_measures) | set(a_measures)):
        if b_measures.get(key) != a_measures.get(key):
            parts.append(f"measure {key} changed")
    b_execs = {e["id"]: e for e in before.get("executives", [])}
    a_execs = {e["id"]: e for e in after.get("executives", [])}
    for key in sorted(set(b_execs) | set(a_execs)):
        if key not in a_execs:
            parts.append(f"executive {key} removed")
        elif key not in b_execs:
            parts.append(f"executive {key} added")
        elif b_execs[key] != a_execs[key]:
            parts.append(f"executive {key} changed")
    b_awards = {(a["executive"], a["id"]): a for a in before.get("awards", [])}
    a_awards = {(a["executive"], a["id"]): a for a in after.get("awards", [])}
    for key in sorted(set(b_awards) | set(a_awards)):
        label = key[1]
        if key not in a_awards:
            parts.append(f"award {label} removed")
        elif key not in b_awards:
            parts.append(f"award {label} added")
        elif b_awards[key] != a_awards[key]:
            old, new = b_awards[key], a_awards[key]
            fields = [
                f"{name} {_show(old.get(name, '—'))} → {_show(new.get(name, '—'))}"
                for name in sorted(set(old) | set(new))
                if old.get(name) != new.get(name)
            ]
            parts.append(f"award {label}: " + ", ".join(fields))
    text = "; ".join(parts) or "the scenario document changed"
    return text if len(text) <= 1500 else text[:1497] + "..."


# --- Keeping an approval honest --------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class InputsCheck:
    """The outcome of comparing a case's live inputs with its live determination."""

    current: bool
    reason: str = ""
    approval_invalidated: bool = False
    determination: Determination | None = None
    error: str = ""


def _lock(case: Restatement) -> Restatement:
    return Restatement.objects.select_for_update().select_related("company").get(pk=case.pk)


def inputs_status(case: Restatement) -> InputsCheck:
    """Read-only: are the live inputs still those of the live determination? Changes nothing."""
    live = live_determination(case)
    if case.status == S.DRAFT or live is None:
        return InputsCheck(current=live is not None or case.status == S.DRAFT, determination=live)
    try:
        computation = compute(case)
    except ValidationError as exc:
        return InputsCheck(current=False, determination=live, error="; ".join(exc.messages))
    if same_inputs(live.inputs, computation.inputs):
        return InputsCheck(current=True, determination=live)
    return InputsCheck(
        current=False,
        determination=live,
        reason="inputs changed: " + describe_changes(live.inputs, computation.inputs),
    )


@transaction.atomic
def ensure_approval_current(case: Restatement, *, actor, now: datetime) -> InputsCheck:
    """Recompute the case's inputs now; if their SHA-256 differs from the live determination's, invalidate
    that determination ("inputs changed: …"), freeze a new one for review and, if it was approved, move the
    case back to review: the amounts owed must be approved again by a new decision.

    Call it after any change to a case's inputs (an award, a measure value, an event, a fiscal period, an
    officer period, the covered executives). Safe to call any time and twice; a draft case is left alone.
    With `actor=None` (a system change) the approval is still withdrawn, but the new determination is frozen
    by the next person who manages the case (`check_inputs`).
    """
    case = _lock(case)
    if case.status == S.DRAFT:
        return InputsCheck(current=True)
    live = live_determination(case)
    try:
        computation = compute(case)
    except ValidationError as exc:
        computation, error = None, "; ".join(exc.messages)
    else:
        error = ""
    if live is not None and computation is not None and same_inputs(live.inputs, computation.inputs):
        return InputsCheck(current=True, determination=live)
    if live is None:
        # Only after inputs that could not be evaluated: freeze as soon as they can be.
        if computation is None or case.status != S.REVIEW or actor is None:
            return InputsCheck(current=False, error=error)
        fresh = _freeze(case, actor=actor, now=now, computation=computation)
        return InputsCheck(current=False, reason="determination recomputed", determination=fresh)
    if computation is None:
        reason = f"inputs changed: the case can no longer be evaluated ({error})"
    else:
        reason = "inputs changed: " + describe_changes(
            normalized_inputs(live.inputs) or live.inputs, computation.inputs
        )
    was_approved = live.decision_id is not None
    with audit_context(actor=actor, reason=reason[:1000]):
        _invalidate(live, actor=actor, now=now, reason=reason)
        if case.status != S.REVIEW:
            case.status = S.REVIEW
            case.save(update_fields=["status"])
        # Without an actor nobody can sign the new determination: the next manager to open the case does.
        fresh = (
            _freeze(case, actor=actor, now=now, computation=computation)
            if computation is not None and actor is not None
            else None
        )
    return InputsCheck(
        current=False, reason=reason, approval_invalidated=was_approved, determination=fresh, error=error
    )


def ensure_approvals_current(cases: Iterable[Restatement], *, actor, now: datetime) -> list[InputsCheck]:
    """`ensure_approval_current` for every case an input belongs to (an award is in every case covering
    its executive)."""
    return [ensure_approval_current(case, actor=actor, now=now) for case in cases]


def check_inputs(*, actor, case: Restatement, now: datetime) -> InputsCheck:
    """For the case page and the API: someone who manages the case brings it up to date
    (`ensure_approval_current`); anyone else only learns whether it is current."""
    if has_capability(actor, "clawback.manage") and not _is_recused(actor, case):
        return ensure_approval_current(case, actor=actor, now=now)
    return inputs_status(case)


# --- Guards -----------------------------------------------------------------------------------------------


def _is_recused(actor, case: Restatement) -> bool:
    return Recusal.objects.filter(restatement=case, user=actor).exists()


def _participant(actor, case: Restatement) -> None:
    """A recused member sees the case but takes no part in it (policy "Administration")."""
    if _is_recused(actor, case):
        raise PermissionDenied("You are recused from this case.")


def _require_status(case: Restatement, *statuses: str, action: str, check: InputsCheck | None = None) -> None:
    if case.status in statuses:
        return
    wanted = " or ".join(str(S(s).label).lower() for s in statuses)
    message = f"Cannot {action}: the case is {case.get_status_display().lower()}, not {wanted}."
    if check is not None and check.approval_invalidated:
        message += f" Its approval was withdrawn because the {check.reason}."
    raise ValidationError(message)


def _not_future(value: date, *, field: str, now: datetime, errors: dict) -> None:
    if value > exchange_date(now):
        errors.setdefault(field, []).append("This date is in the future.")


# --- Review -----------------------------------------------------------------------------------------------


def submit_for_review(*, actor, case: Restatement, now: datetime) -> Determination:
    """draft → review: compute the determination on the case's inputs and freeze it (inputs, result,
    SHA-256, rule version) for the administering body to review."""
    _participant(actor, case)
    check = ensure_approval_current(case, actor=actor, now=now)
    with transaction.atomic():
        case = _lock(case)
        _require_status(case, S.DRAFT, action="submit for review", check=check)
        computation = compute(case)
        with audit_context(actor=actor):
            case.status = S.REVIEW
            case.full_clean()
            case.save()
            determination = _freeze(case, actor=actor, now=now, computation=computation)
            record_action(
                actor=actor,
                verb="submit_for_review",
                obj=case,
                details={"determination": determination.number},
            )
    return determination


def _case_award(case: Restatement, award: Award) -> Award:
    award = Award.objects.select_related("executive", "measure").filter(pk=award.pk).first()
    if award is None or not case.covered_executives.filter(pk=award.executive_id).exists():
        raise ValidationError({"award": "This award is not one of the case's covered executives' awards."})
    return award


def record_estimate(
    *,
    actor,
    case: Restatement,
    award: Award,
    restated_value: Decimal | None = None,
    restated_values: dict | None = None,
    method: str,
    documents: str,
    adopted_on: date,
    provided_to_exchange_on: date | None = None,
    now: datetime,
) -> ReasonableEstimate:
    """Record (or replace) the committee's reasonable estimate of the restatement's effect on an award's
    measure: stock price or TSR, or an award it designated (Rule 10D-1(b)(1)(iii)(A); policy "Erroneously
    Awarded Compensation"). The method and supporting documents must be kept and provided to the exchange;
    approval waits for the date they were."""
    _participant(actor, case)
    check = ensure_approval_current(case, actor=actor, now=now)
    with transaction.atomic():
        case = _lock(case)
        _require_status(case, S.DRAFT, S.REVIEW, action="record an estimate", check=check)
        award = _case_award(case, award)
        errors: dict[str, list[str]] = {}
        if not needs_estimate(award):
            errors["award"] = [
                "This award's measure can be recalculated from the restatement; designate it first if the "
                "amount cannot be determined directly."
            ]
        restated_values = {k: v for k, v in (restated_values or {}).items() if v not in (None, "")}
        if award.is_scorecard:
            wanted = {m.key: m.name for m in estimate_measures(award)} or {
                c.measure.key: c.measure.name for c in award.components.all() if c.measure_id
            }
            missing = [name for key, name in wanted.items() if key not in restated_values]
            if missing:
                errors["restated_values"] = [f"Give the estimated restated {name}." for name in missing]
            restated_values = {k: str(Decimal(str(v))) for k, v in restated_values.items() if k in wanted}
            restated_value = None
        elif restated_value is None:
            errors["restated_value"] = ["Give the estimated restated value of the measure."]
        if not method.strip():
            errors["method"] = ["Describe how the estimate was determined."]
        if not _document_lines(documents):
            errors["documents"] = ["List the supporting documents, one per line."]
        _not_future(adopted_on, field="adopted_on", now=now, errors=errors)
        if provided_to_exchange_on is not None:
            _not_future(provided_to_exchange_on, field="provided_to_exchange_on", now=now, errors=errors)
            if provided_to_exchange_on < adopted_on:
                errors.setdefault("provided_to_exchange_on", []).append(
                    "The documentation cannot be provided before the estimate was adopted."
                )
        if errors:
            raise ValidationError(errors)
        estimate = ReasonableEstimate.objects.filter(
            restatement=case, award=award
        ).first() or ReasonableEstimate(restatement=case, award=award, recorded_by=actor)
        estimate.restated_value = restated_value
        estimate.restated_values = restated_values if award.is_scorecard else {}
        estimate.method = method.strip()
        estimate.documents = "\n".join(_document_lines(documents))
        estimate.adopted_on = adopted_on
        estimate.provided_to_exchange_on = provided_to_exchange_on
        estimate.recorded_by = actor
        estimate.full_clean()
        with audit_context(actor=actor):
            estimate.save()
    # The estimate is an input: the determination under review is recomputed with it.
    ensure_approval_current(case, actor=actor, now=now)
    return estimate


def designate_not_determinable(
    *, actor, case: Restatement, award: Award, reason: str, now: datetime
) -> Award:
    """The committee concludes an award's amount cannot be determined directly from the restatement: it
    will rest on a reasonable estimate (policy, "In all other instances"). Recorded on the award with why."""
    _participant(actor, case)
    check = ensure_approval_current(case, actor=actor, now=now)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the amount cannot be determined from the restatement."})
    with transaction.atomic():
        case = _lock(case)
        _require_status(case, S.DRAFT, S.REVIEW, action="designate an award", check=check)
        award = _case_award(case, award)
        if award.basis != INCENTIVE_BASIS or (award.measure_id is None and not award.is_scorecard):
            raise ValidationError(
                {"award": "Only incentive-based awards tied to a measure can be designated."}
            )
        if needs_estimate(award):
            raise ValidationError({"award": "This award already rests on a reasonable estimate."})
        award = Award.objects.select_for_update().get(pk=award.pk)
        note = f"{exchange_date(now).isoformat()}: designated for a reasonable estimate ({case}): "
        note += reason.strip()
        award.requires_estimate = True
        award.notes = f"{award.notes}\n{note}".strip()
        award.full_clean()
        with audit_context(actor=actor, reason=reason.strip()[:1000]):
            award.save()
            record_action(
                actor=actor,
                verb="designate_not_determinable",
                obj=award,
                details={"restatement": case.pk},
                reason=reason.strip()[:1000],
            )
    # The flag is an input of every case covering the executive, not only this one.
    ensure_approvals_current(
        Restatement.objects.filter(covered_executives=award.executive_id).exclude(status=S.DRAFT).distinct(),
        actor=actor,
        now=now,
    )
    return award


# --- The decision and the approval ------------------------------------------------------------------------


def approval_blockers(case: Restatement, determination: Determination | None) -> list[str]:
    """Why `determination` cannot be approved yet (empty when it can): an award still waiting for a
    reasonable estimate, or an estimate without its method, documents or the date they went to the
    exchange (Rule 10D-1(b)(1)(iii)(A)); no required-to-prepare date."""
    if determination is None:
        return ["There is no determination to approve: submit the case for review."]
    blockers = []
    result = determination.result
    if result.get("triggers_recovery_analysis") and result.get("required_on") is None:
        blockers.append(
            "No recorded event sets the date the company was required to prepare the restatement."
        )
    pending = [a["id"] for a in result.get("awards", []) if a.get("status") == "reasonable_estimate_required"]
    if pending:
        blockers.append(
            "Awaiting the committee's reasonable estimate for: "
            + ", ".join(pending)
            + " (Rule 10D-1(b)(1)(iii)(A))."
        )
    estimated = {
        (a["executive"], a["id"]) for a in result.get("awards", []) if a.get("status") == "estimated"
    }
    for estimate in ReasonableEstimate.objects.filter(restatement=case).select_related("award__executive"):
        if (estimate.award.executive.key, estimate.award.key) not in estimated:
            continue
        missing = [
            label
            for label, ok in (
                ("the method", bool(estimate.method.strip())),
                ("the supporting documents", bool(_document_lines(estimate.documents))),
                ("the date the documentation was provided to the exchange", estimate.provided_to_exchange_on),
            )
            if not ok
        ]
        if missing:
            blockers.append(f"The estimate for {estimate.award.key} lacks " + " and ".join(missing) + ".")
    return blockers


def approve_determination(*, actor, case: Restatement, decision: Decision, now: datetime) -> Determination:
    """Approve the live determination with an adopted decision of the administering body: the case becomes
    approved and a recovery claim is opened (or updated, after a re-approval) for each executive with an
    excess, the amount owed determined on the meeting date (Item 402(w)(1)(iii) counts from it).

    Blocks while an award waits for a reasonable estimate or an estimate lacks its method, documents or the
    date they were provided to the exchange. Called by `record_decision`; callable on its own for a decision
    recorded earlier."""
    _participant(actor, case)
    check = ensure_approval_current(case, actor=actor, now=now)
    with transaction.atomic():
        case = _lock(case)
        _refuse_if_recomputed(case, check)
        return _approve(case, decision=decision, actor=actor, now=now, check=check)


def _refuse_if_recomputed(case: Restatement, check: InputsCheck) -> None:
    # The body approves the numbers it reviewed: if the inputs changed since, the determination was just
    # recomputed and must be reviewed before anyone approves it.
    if not check.current and check.reason and case.status == S.REVIEW:
        live = live_determination(case)
        raise ValidationError(
            f"The case's {check.reason}. Determination {live.number if live else '—'} was computed for "
            "review; the body must review it before approving."
        )


def _approve(
    case: Restatement, *, decision: Decision, actor, now: datetime, check: InputsCheck
) -> Determination:
    _require_status(case, S.REVIEW, action="approve the determination", check=check)
    if (
        decision.restatement_id != case.pk
        or decision.kind != Decision.Kind.APPROVE_DETERMINATION
        or not decision.adopted
    ):
        raise ValidationError("Only an adopted decision to approve this case's determination approves it.")
    if Determination.objects.filter(decision=decision).exists():
        raise ValidationError("This decision already approved a determination.")
    live = live_determination(case)
    blockers = approval_blockers(case, live)
    if blockers:
        raise ValidationError(blockers)
    with audit_context(actor=actor):
        live.decision = decision
        live.save(update_fields=["decision"])
        case.status = S.APPROVED
        case.save(update_fields=["status"])
        _open_claims(case, live, determined_on=decision.held_on)
        record_action(
            actor=actor,
            verb="approve_determination",
            obj=case,
            details={"determination": live.number, "sha256": live.sha256, "decision": decision.pk},
        )
    return live


def _open_claims(case: Restatement, determination: Determination, *, determined_on: date) -> None:
    executives = {x.key: x for x in Executive.objects.filter(company=case.company)}
    claims = {c.executive_id: c for c in RecoveryClaim.objects.filter(restatement=case)}
    for row in determination.result.get("executives", []):
        executive = executives.get(row["id"])
        if executive is None:
            continue
        # What remains after amounts already recovered for the same awards (a `/2` result); a determination
        # frozen before credits existed carries only the excess.
        excess = Decimal(row.get("to_recover_usd", row["excess_usd"]))
        units = Decimal(row.get("to_recover_units", row["excess_units"]))
        claim = claims.get(executive.pk)
        if excess > 0:
            claim = claim or RecoveryClaim(restatement=case, executive=executive)
            claim.amount_owed = excess
            claim.units_owed = units
            claim.determined_on = determined_on
            claim.full_clean()
            claim.save()
        elif claim is not None:
            if claim.events.exists() or claim.impracticabilities.exists():
                claim.amount_owed = Decimal("0.00")
                claim.units_owed = Decimal(0)
                claim.determined_on = determined_on
                claim.save()
            else:
                claim.delete()


def record_decision(
    *,
    actor,
    case: Restatement,
    kind: str,
    body: str,
    held_on: date,
    members_present: Collection,
    quorum: int,
    resolution: str,
    votes: Mapping[Any, str],
    now: datetime,
    determination_number: int | None = None,
) -> Decision:
    """Record a meeting's decision: who was present, the quorum, the resolution and each member's vote.

    - An approval is made by the body administering the policy for this case (the Board, or the
      Compensation Committee it designated: policy "Administration"), on a case under review; an
      impracticability determination only by the independent compensation committee or a majority of the
      independent directors, never the full Board (Rule 10D-1(b)(1)(iv)), once the case is approved.
    - Members present who are not recused must reach the quorum; only members who may vote
      (clawback.vote), who were present and are not recused, vote.
    - Adopted when a majority of the votes cast (for and against; abstentions are not votes cast) are for.
    - An adopted approval approves the live determination at once (`approve_determination`), and is refused
      while the approval is blocked; when `determination_number` is given it must be the live one.
    """
    _participant(actor, case)
    check = ensure_approval_current(case, actor=actor, now=now)
    with transaction.atomic():
        case = _lock(case)
        errors: dict[str, list[str]] = {}

        def error(field: str, message: str) -> None:
            errors.setdefault(field, []).append(message)

        if kind == Decision.Kind.APPROVE_DETERMINATION:
            _require_status(case, S.REVIEW, action="record an approval decision", check=check)
            if body != case.administering_body:
                error(
                    "body",
                    f"This case is administered by the {case.get_administering_body_display()}; "
                    "only it approves the determination (policy 'Administration').",
                )
        elif kind == Decision.Kind.IMPRACTICABILITY:
            _require_status(
                case, S.APPROVED, S.RECOVERY, action="record an impracticability decision", check=check
            )
            if body not in (Decision.Body.COMPENSATION_COMMITTEE, Decision.Body.INDEPENDENT_DIRECTORS):
                error(
                    "body",
                    "Impracticability is determined by the committee of independent directors responsible "
                    "for executive compensation or a majority of the independent directors, not the Board "
                    "(Rule 10D-1(b)(1)(iv)).",
                )
        else:
            error("kind", "Unknown kind of decision.")
        if body not in Decision.Body.values:
            error("body", "Unknown body.")
        _not_future(held_on, field="held_on", now=now, errors=errors)
        if quorum < 1:
            error("quorum", "The quorum is at least one member.")
        if not resolution.strip():
            error("resolution", "Record the resolution as adopted or put to the vote.")

        present = list({member.pk: member for member in members_present}.values())
        recused = set(Recusal.objects.filter(restatement=case).values_list("user_id", flat=True))
        for member in present:
            if not has_capability(member, "clawback.vote"):
                error(
                    "members_present",
                    f"{member} is not a member of the body (cannot vote on clawback matters).",
                )
        counting = [m for m in present if m.pk not in recused]
        if len(counting) < quorum:
            note = (
                f", {len(present) - len(counting)} of them recused" if len(counting) != len(present) else ""
            )
            error(
                "members_present",
                f"{len(present)} member(s) present{note}: {len(counting)} count toward the quorum "
                f"of {quorum}.",
            )
        present_ids = {m.pk for m in present}
        tally = {choice: 0 for choice in Vote.Choice.values}
        for member, choice in votes.items():
            if member.pk in recused:
                error("votes", f"{member} is recused from this case and cannot vote.")
            elif not has_capability(member, "clawback.vote"):
                error("votes", f"{member} may not vote on clawback matters.")
            elif member.pk not in present_ids:
                error("votes", f"{member} voted but is not recorded as present.")
            if choice not in Vote.Choice.values:
                error("votes", f"{member}: unknown vote {choice!r}.")
            else:
                tally[choice] += 1
        if errors:
            raise ValidationError(errors)

        adopted = tally[Vote.Choice.FOR] > tally[Vote.Choice.AGAINST]
        if kind == Decision.Kind.APPROVE_DETERMINATION and adopted:
            _refuse_if_recomputed(case, check)
            live = live_determination(case)
            if determination_number is not None and (live is None or live.number != determination_number):
                raise ValidationError(
                    {
                        "determination": [
                            f"Determination {determination_number} is not the one under review "
                            f"({live.number if live else 'none'})."
                        ]
                    }
                )
            blockers = approval_blockers(case, live)
            if blockers:
                raise ValidationError(blockers)

        decision = Decision(
            restatement=case,
            kind=kind,
            body=body,
            held_on=held_on,
            quorum=quorum,
            resolution=resolution.strip(),
            recorded_by=actor,
        )
        decision.adopted = adopted
        decision.full_clean()
        with audit_context(actor=actor):
            decision.save()
            decision.members_present.set(present)
            for member, choice in votes.items():
                Vote.objects.create(decision=decision, member=member, choice=choice)
            record_action(
                actor=actor,
                verb="record_decision",
                obj=case,
                details={
                    "decision": decision.pk,
                    "kind": kind,
                    "body": body,
                    "adopted": adopted,
                    "for": tally[Vote.Choice.FOR],
                    "against": tally[Vote.Choice.AGAINST],
                    "abstain": tally[Vote.Choice.ABSTAIN],
                },
            )
        if kind == Decision.Kind.APPROVE_DETERMINATION and adopted:
            _approve(case, decision=decision, actor=actor, now=now, check=check)
    return decision


# --- Recovery and closing --------------------------------------------------------------------------------


def confirm_no_indemnification(
    *, actor, case: Restatement, now: datetime, confirmed: Collection[str] | None = None
) -> Restatement:
    """Confirm the case checklist: no indemnification, insurance or premium reimbursement covers a covered
    executive's loss of erroneously awarded compensation (policy "No Indemnification"; rules.md §1.9).
    Every item must be confirmed (`confirmed` holds their codes; None confirms all)."""
    _participant(actor, case)
    check = ensure_approval_current(case, actor=actor, now=now)
    codes = [code for code, _ in NO_INDEMNIFICATION_CHECKLIST]
    missing = [
        text for code, text in NO_INDEMNIFICATION_CHECKLIST if confirmed is not None and code not in confirmed
    ]
    if missing:
        raise ValidationError({"confirmed": [f"Not confirmed: {text}" for text in missing]})
    with transaction.atomic():
        case = _lock(case)
        _require_status(
            case, S.REVIEW, S.APPROVED, action="confirm the no-indemnification checklist", check=check
        )
        # A signed-off record changes only with a reason (compliance_site.audit.recorder).
        with audit_context(actor=actor, reason="No-indemnification checklist confirmed"):
            case.no_indemnification_confirmed_at = now
            case.no_indemnification_confirmed_by = actor
            case.save(update_fields=["no_indemnification_confirmed_at", "no_indemnification_confirmed_by"])
            record_action(actor=actor, verb="confirm_no_indemnification", obj=case, details={"items": codes})
    return case


def start_recovery(*, actor, case: Restatement, now: datetime) -> Restatement:
    """approved → recovery, once the no-indemnification checklist is confirmed."""
    _participant(actor, case)
    check = ensure_approval_current(case, actor=actor, now=now)
    with transaction.atomic():
        case = _lock(case)
        _require_status(case, S.APPROVED, action="start recovery", check=check)
        if case.no_indemnification_confirmed_at is None:
            raise ValidationError(
                "Confirm the no-indemnification checklist first (policy 'No Indemnification')."
            )
        with audit_context(actor=actor, reason="Recovery started"):
            case.status = S.RECOVERY
            case.save(update_fields=["status"])
            record_action(actor=actor, verb="start_recovery", obj=case)
    return case


def close_case(*, actor, case: Restatement, now: datetime) -> Restatement:
    """recovery → closed, only when nothing is outstanding on any claim after recoveries and amounts
    determined impracticable to recover."""
    from .recovery import claim_position_of

    _participant(actor, case)
    check = ensure_approval_current(case, actor=actor, now=now)
    with transaction.atomic():
        case = _lock(case)
        _require_status(case, S.RECOVERY, action="close the case", check=check)
        today = exchange_date(now)
        open_claims = []
        for claim in case.claims.select_related("executive").prefetch_related(
            "events", "impracticabilities__decision"
        ):
            position = claim_position_of(claim, as_of=today)
            if position.outstanding > 0:
                open_claims.append(f"{claim.executive.name} ({position.outstanding} USD outstanding)")
        if open_claims:
            raise ValidationError(
                "Recovery is not complete: " + "; ".join(open_claims) + ". Record recoveries, or an "
                "impracticability determination, first."
            )
        with audit_context(actor=actor, reason="Recovery complete: nothing outstanding"):
            case.status = S.CLOSED
            case.save(update_fields=["status"])
            record_action(actor=actor, verb="close_case", obj=case)
    return case


def reopen_case(*, actor, case: Restatement, reason: str, now: datetime) -> Determination | None:
    """closed or approved → review, with the reason: the approval is withdrawn and a new determination
    frozen for the body to review and approve again."""
    _participant(actor, case)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the case is reopened."})
    check = ensure_approval_current(case, actor=actor, now=now)
    with transaction.atomic():
        case = _lock(case)
        _require_status(case, S.APPROVED, S.CLOSED, action="reopen the case", check=check)
        reason = reason.strip()
        with audit_context(actor=actor, reason=reason[:1000]):
            approved = approved_determination(case)
            if approved is not None:
                _invalidate(approved, actor=actor, now=now, reason=f"reopened: {reason}")
            case.status = S.REVIEW
            case.save(update_fields=["status"])
            record_action(actor=actor, verb="reopen_case", obj=case, reason=reason[:1000])
            try:
                computation = compute(case)
            except ValidationError:
                return None
            return _freeze(case, actor=actor, now=now, computation=computation)
