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
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from compliance_site.accounts.permissions import has_capability
from compliance_site.audit.recorder import audit_context, record_action
from compliance_site.lib.numbers import MISSING, num
from compliance_site.lib.timefmt import EXCHANGE_TZ

from ..models import (
    Decision,
    Determination,
    Measure,
    Restatement,
)
from ..recovery import RecoveryResult, Scenario, evaluate
from ..scenario import ScenarioError, parse_scenario, result_to_json, scenario_to_json
from ..wording import choice_label
from .case_documents import scenario_with_estimates as _case_scenario

S = Restatement.Status

# Policy "No Indemnification"; docs/clawback-rules §1.9 (the Release reads the ban to cover insurance and
# premiums too).
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


def _scenario_error(exc: ScenarioError) -> ValidationError:
    return ValidationError(
        [f"The case cannot be evaluated yet: {path}: {message}" for path, message in exc.errors[:20]]
    )


def scenario_with_estimates(case: Restatement) -> Scenario:
    """The case as the engine sees it with the committee's recorded reasonable estimates
    (`case_documents.scenario_with_estimates`); a ValidationError while the records cannot form a scenario."""
    try:
        return _case_scenario(case)
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
    # A vote is locked to the determination it was opened on: members must not vote on numbers that changed.
    for decision in Decision.objects.filter(
        restatement_id=determination.restatement_id,
        status=Decision.Status.OPEN,
        determination_sha256=determination.sha256,
    ):
        decision.status = Decision.Status.WITHDRAWN
        decision.decided_at = now
        decision.outcome_reason = f"Withdrawn: the determination voted on was replaced ({reason[:300]})."
        decision.save(update_fields=["status", "decided_at", "outcome_reason"])
        record_action(
            actor=actor,
            verb="withdraw_vote",
            obj=determination.restatement,
            details={"decision": decision.pk, "reason": decision.outcome_reason},
        )


# --- What changed ---------------------------------------------------------------------------------------


# How an award's fields of the scenario document are named in an invalidation reason.
_AWARD_FIELDS = {
    "type": "type",
    "basis": "basis",
    "performance_period": "performance period",
    "measure": "measure",
    "measure_period": "measure period",
    "formula": "formula",
    "scorecard": "scorecard goals",
    "unit": "unit",
    "value_per_unit": "value per unit",
    "received": "amount received",
    "requires_estimate": "estimate required",
    "estimate": "reasonable estimate",
    "already_recovered": "amounts already recovered",
}


def _show(value: Any, names: Mapping[str, str] | None = None) -> str:
    """A value of the scenario document in words: a number with thousands separators, a date as written,
    a choice by its label, a measure by its name; a structure (a formula, an estimate) is not quoted."""
    if value is None or value == "—":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict) and set(value) == {"start", "end"}:
        return f"{value['start']} to {value['end'] or 'now'}"
    if isinstance(value, (dict, list)):
        return "recorded"
    text = str(value)
    if (names or {}).get(text):
        return names[text]
    if num(text) != MISSING and not text.startswith("0"):
        return num(text)
    text = choice_label(text) if "_" in text else text
    return text if len(text) <= 60 else text[:57] + "..."


def _award_change(name: str, old: Any, new: Any, names: Mapping[str, str]) -> str:
    field = _AWARD_FIELDS.get(name, name.replace("_", " "))
    if isinstance(old, (dict, list)) or isinstance(new, (dict, list)):
        if old in (None, "—"):
            return f"{field} added"
        if new in (None, "—"):
            return f"{field} removed"
        return f"{field} changed"
    return f"{field} {_show(old, names)} → {_show(new, names)}"


def describe_changes(
    before: Mapping[str, Any], after: Mapping[str, Any], *, measure_names: Mapping[str, str] | None = None
) -> str:
    """A short account of how two scenario documents differ, for the invalidation reason, in words: the
    measures by name (`measure_names`, key -> name), the executives by name, each award by its key with
    what changed in it."""
    names = dict(measure_names or {})
    parts: list[str] = []
    if before.get("company") != after.get("company"):
        parts.append("company fiscal periods or listing changed")
    if before.get("restatement") != after.get("restatement"):
        parts.append("restatement kind or events changed")
    b_measures, a_measures = before.get("measures", {}), after.get("measures", {})
    for key in sorted(set(b_measures) | set(a_measures)):
        if b_measures.get(key) != a_measures.get(key):
            parts.append(f"measure {names.get(key) or choice_label(key)} changed")
    b_execs = {e["id"]: e for e in before.get("executives", [])}
    a_execs = {e["id"]: e for e in after.get("executives", [])}
    for key in sorted(set(b_execs) | set(a_execs)):
        name = (a_execs.get(key) or b_execs.get(key) or {}).get("name") or key
        if key not in a_execs:
            parts.append(f"executive {name} removed")
        elif key not in b_execs:
            parts.append(f"executive {name} added")
        elif b_execs[key] != a_execs[key]:
            parts.append(f"executive {name} changed")
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
                _award_change(name, old.get(name, "—"), new.get(name, "—"), names)
                for name in sorted(set(old) | set(new))
                if old.get(name) != new.get(name)
            ]
            parts.append(f"award {label}: " + ", ".join(fields))
    text = "; ".join(parts) or "the scenario document changed"
    return text if len(text) <= 1500 else text[:1497] + "..."


def _measure_names(case: Restatement) -> dict[str, str]:
    return dict(Measure.objects.filter(company_id=case.company_id).values_list("key", "name"))


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
        reason="inputs changed: "
        + describe_changes(live.inputs, computation.inputs, measure_names=_measure_names(case)),
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
            normalized_inputs(live.inputs) or live.inputs,
            computation.inputs,
            measure_names=_measure_names(case),
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


def cases_walled_from(actor) -> QuerySet[Restatement]:
    """The cases `actor` takes no part in: recused from, or covered by (their own pay). The one wall: it keeps
    them from the case's steps here and from changing its inputs (`walls.check_may_change_inputs`)."""
    return Restatement.objects.filter(Q(recusals__user=actor) | Q(covered_executives__user=actor))


def _is_recused(actor, case: Restatement) -> bool:
    return cases_walled_from(actor).filter(pk=case.pk).exists()


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


@contextmanager
def _case_step(actor, case: Restatement, *statuses: str, action: str, now: datetime) -> Iterator[Restatement]:
    """The frame of a workflow step: a participant only, the approval checked against the live inputs first
    (withdrawn for good if they changed), then, in one transaction, the case locked and in one of `statuses`.
    Yields the locked case."""
    _participant(actor, case)
    check = ensure_approval_current(case, actor=actor, now=now)
    with transaction.atomic():
        case = _lock(case)
        _require_status(case, *statuses, action=action, check=check)
        yield case


def _not_future(value: date, *, field: str, now: datetime, errors: dict) -> None:
    if value > exchange_date(now):
        errors.setdefault(field, []).append("This date is in the future.")


# --- Review -----------------------------------------------------------------------------------------------


def submit_for_review(*, actor, case: Restatement, now: datetime) -> Determination:
    """draft → review: compute the determination on the case's inputs and freeze it (inputs, result,
    SHA-256, rule version) for the administering body to review."""
    with _case_step(actor, case, S.DRAFT, action="submit for review", now=now) as case:
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
