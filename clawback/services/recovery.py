"""Recovering erroneously awarded compensation: recovery events by the policy's methods, the party it is
sought from, balances and the 180-day mark, and impracticability (policy "Method of Recovery",
"Impracticability", "Successors"; Rule 10D-1(b)(1)(iv))."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from compliance_site.audit.recorder import audit_context, record_action
from compliance_site.lib.numbers import num, usd

from .. import disclosure
from ..models import Decision, Impracticability, RecoveryClaim, RecoveryEvent, Restatement
from ..models.recovery import HOME_COUNTRY_LAW_CUTOFF
from .review import _participant, _require_status, ensure_approval_current, exchange_date

S = Restatement.Status
G = Impracticability.Ground

IMPRACTICABILITY_BODIES = (Decision.Body.COMPENSATION_COMMITTEE, Decision.Body.INDEPENDENT_DIRECTORS)


def claim_facts(claim: RecoveryClaim) -> disclosure.Claim:
    """The claim as the pure disclosure module reads it (prefetch `events` and
    `impracticabilities__decision` to keep this to no queries)."""
    return disclosure.Claim(
        executive=claim.executive.key,
        name=claim.executive.name,
        amount_owed=claim.amount_owed,
        units_owed=claim.units_owed,
        determined_on=claim.determined_on,
        recoveries=tuple(
            disclosure.Recovered(occurred_on=e.occurred_on, amount=e.amount, units=e.units)
            for e in claim.events.all()
        ),
        forgone=tuple(
            disclosure.Forgone(
                decided_on=i.decision.held_on,
                amount=i.amount_forgone,
                reason=f"{i.get_ground_display()}: {i.decision.resolution}",
                # Item 402(w)(1)(ii)'s group line: the ground and the decision, no resolution text (it
                # names the executive, who is not a named executive officer).
                group_reason=(
                    f"{i.get_ground_display()} — {i.decision.get_body_display()}, "
                    f"{i.decision.held_on.isoformat()}"
                ),
                ground=i.ground,
            )
            for i in claim.impracticabilities.all()
        ),
    )


def claim_position_of(claim: RecoveryClaim, *, as_of: date) -> disclosure.ClaimPosition:
    """Outstanding balance, days outstanding since the amount owed was determined and the 180-day flag."""
    return disclosure.claim_position(claim_facts(claim), as_of=as_of)


def _locked_claim(claim: RecoveryClaim) -> tuple[RecoveryClaim, Restatement]:
    case = Restatement.objects.select_for_update().get(pk=claim.restatement_id)
    claim = (
        RecoveryClaim.objects.select_for_update()
        .select_related("executive")
        .prefetch_related("events", "impracticabilities__decision")
        .get(pk=claim.pk)
    )
    return claim, case


def record_recovery_event(
    *,
    actor,
    claim: RecoveryClaim,
    occurred_on: date,
    method: str,
    amount: Decimal,
    units: Decimal = Decimal(0),
    evidence: str,
    now: datetime,
) -> RecoveryEvent:
    """Record a recovery by one of the policy's methods (a)–(e), with its evidence. Never more than is
    outstanding, never before the amount owed was determined, never in the future. The recovery names the
    party it came from: the one the claim is sought from (policy "Successors")."""
    case = claim.restatement
    _participant(actor, case)
    check = ensure_approval_current(case, actor=actor, now=now)
    with transaction.atomic():
        claim, case = _locked_claim(claim)
        _require_status(case, S.RECOVERY, action="record a recovery", check=check)
        position = claim_position_of(claim, as_of=date.max)
        errors: dict[str, list[str]] = {}
        if method not in RecoveryEvent.Method.values:
            errors["method"] = ["Choose one of the policy's recovery methods."]
        if amount < 0 or units < 0:
            errors["amount"] = ["Amounts cannot be negative."]
        elif amount == 0 and units == 0:
            errors["amount"] = ["Record the amount recovered, the units recovered, or both."]
        if amount > position.outstanding:
            errors.setdefault("amount", []).append(
                f"{usd(amount)} is more than the {usd(position.outstanding)} outstanding."
            )
        if units > position.units_outstanding:
            errors["units"] = [
                f"{num(units)} units is more than the {num(position.units_outstanding)} units outstanding."
            ]
        if occurred_on > exchange_date(now):
            errors["occurred_on"] = ["This date is in the future."]
        elif occurred_on < claim.determined_on:
            errors["occurred_on"] = [
                f"The amount owed was determined on {claim.determined_on.isoformat()}; a recovery under it "
                "cannot precede that."
            ]
        if not evidence.strip():
            errors["evidence"] = ["Say what shows the recovery happened."]
        if errors:
            raise ValidationError(errors)
        event = RecoveryEvent(
            claim=claim,
            occurred_on=occurred_on,
            method=method,
            amount=amount,
            units=units,
            recovered_from=claim.sought_from,
            party_name=claim.party_name,
            evidence=evidence.strip(),
            recorded_by=actor,
        )
        event.full_clean()
        with audit_context(actor=actor):
            event.save()
    return event


def reverse_recovery_event(*, actor, event: RecoveryEvent, reason: str, now: datetime) -> RecoveryEvent:
    """Correct a mistaken recovery entry by a reversing entry: the original stays on the ledger as it was
    recorded, and the reversal (amounts negated, same date, with the reason) cancels it, so balances, the
    180-day mark and Item 402(w) read as if the mistaken entry had never been made, and the history shows
    both.
    Once per entry; a reversal is not itself reversed (record the recovery again instead)."""
    claim = event.claim
    case = claim.restatement
    _participant(actor, case)
    with transaction.atomic():
        claim, case = _locked_claim(claim)
        event = RecoveryEvent.objects.select_for_update().get(pk=event.pk)
        errors: dict[str, list[str]] = {}
        reason = (reason or "").strip()
        if not reason:
            errors["reason"] = ["Say why this entry is reversed (kept in the history)."]
        if event.reverses_id is not None:
            errors.setdefault("__all__", []).append(
                "A reversing entry is not reversed: record the recovery again."
            )
        elif RecoveryEvent.objects.filter(reverses=event).exists():
            errors.setdefault("__all__", []).append("This entry has already been reversed.")
        if case.status not in (S.APPROVED, S.RECOVERY):
            errors.setdefault("__all__", []).append(
                f"The case is {case.get_status_display().lower()}: reopen it to correct its recovery ledger."
            )
        if errors:
            raise ValidationError(errors)
        reversal = RecoveryEvent(
            claim=claim,
            occurred_on=event.occurred_on,
            method=event.method,
            amount=-event.amount,
            units=-event.units,
            recovered_from=event.recovered_from,
            party_name=event.party_name,
            evidence=f"Reversal of the entry recorded {event.recorded_at:%Y-%m-%d}: {reason}",
            recorded_by=actor,
            reverses=event,
            reversal_reason=reason,
        )
        reversal.full_clean()
        with audit_context(actor=actor, reason=reason):
            reversal.save()
            record_action(
                actor=actor,
                verb="reverse_recovery",
                obj=claim,
                details={"reversed": event.pk, "amount": str(event.amount), "units": str(event.units)},
                reason=reason,
            )
    return reversal


def set_claim_party(
    *, actor, claim: RecoveryClaim, sought_from: str, party_name: str = "", now: datetime
) -> RecoveryClaim:
    """Seek the recovery from a former executive's beneficiary, heir, executor or legal representative
    (policy "Successors"), or from the executive again."""
    case = claim.restatement
    _participant(actor, case)
    check = ensure_approval_current(case, actor=actor, now=now)
    with transaction.atomic():
        claim, case = _locked_claim(claim)
        _require_status(
            case, S.APPROVED, S.RECOVERY, action="change who recovery is sought from", check=check
        )
        errors: dict[str, list[str]] = {}
        if sought_from not in RecoveryClaim.Party.values:
            errors["sought_from"] = ["Unknown party."]
        elif sought_from != RecoveryClaim.Party.EXECUTIVE:
            if not party_name.strip():
                errors["party_name"] = ["Name the person recovery is sought from."]
            today = exchange_date(now)
            serving = claim.executive.officer_periods.filter(start__lte=today).exclude(end__lt=today).exists()
            if serving:
                errors.setdefault("sought_from", []).append(
                    f"{claim.executive.name} is a current executive officer: recovery is sought from them; "
                    "successors are for former executives."
                )
        if errors:
            raise ValidationError(errors)
        claim.sought_from = sought_from
        claim.party_name = "" if sought_from == RecoveryClaim.Party.EXECUTIVE else party_name.strip()
        claim.full_clean()
        with audit_context(actor=actor):
            claim.save(update_fields=["sought_from", "party_name"])
    return claim


def determine_impracticable(
    *,
    actor,
    claim: RecoveryClaim,
    ground: str,
    decision: Decision,
    amount_forgone: Decimal,
    now: datetime,
    third_party_cost: Decimal | None = None,
    costs_are_third_party: bool | None = None,
    cost_description: str = "",
    attempts: str = "",
    law_adopted_on: date | None = None,
    opinion: str = "",
    plan_description: str = "",
    provided_to_exchange_on: date | None = None,
) -> Impracticability:
    """Record that recovering (part of) a claim is impracticable (Rule 10D-1(b)(1)(iv); policy
    "Impracticability"). The forgone amount is disclosed under Item 402(w)(1)(ii).

    - The decision: adopted, of kind impracticability, on this case, by the independent compensation
      committee or a majority of the independent directors (never the full Board), not used before.
    - (A) expense: the direct expense paid to a third party to enforce recovery exceeds the amount forgone
      (internal staff cost does not count: `costs_are_third_party` must be True), after a reasonable,
      documented attempt to recover, the documentation provided to the exchange.
    - (B) home-country law adopted before 2022-11-28, with home-country counsel's opinion, provided to the
      exchange.
    - (C) a tax-qualified retirement plan under which benefits are broadly available to employees would fail
      26 U.S.C. 401(a)(13) or 411(a): `plan_description` names the plan and says why; an `opinion` (e.g.
      benefits counsel's) may be kept with it.
    """
    case = claim.restatement
    _participant(actor, case)
    check = ensure_approval_current(case, actor=actor, now=now)
    with transaction.atomic():
        claim, case = _locked_claim(claim)
        _require_status(case, S.APPROVED, S.RECOVERY, action="determine recovery impracticable", check=check)
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        errors: dict[str, list[str]] = {}

        def error(field: str, message: str) -> None:
            errors.setdefault(field, []).append(message)

        if decision.restatement_id != case.pk:
            error("decision", "The decision was made on another case.")
        if decision.kind != Decision.Kind.IMPRACTICABILITY:
            error("decision", "The decision is not an impracticability determination.")
        if decision.body not in IMPRACTICABILITY_BODIES:
            error(
                "decision",
                "Only the independent compensation committee or a majority of the independent directors "
                "determines impracticability, not the Board (Rule 10D-1(b)(1)(iv)).",
            )
        if not decision.adopted:
            error("decision", "The decision was not adopted.")
        if Impracticability.objects.filter(decision=decision).exists():
            error("decision", "The decision already supports another impracticability determination.")

        position = claim_position_of(claim, as_of=date.max)
        if amount_forgone <= 0:
            error("amount_forgone", "The amount forgone must be positive.")
        elif amount_forgone > position.outstanding:
            error(
                "amount_forgone",
                f"{usd(amount_forgone)} is more than the {usd(position.outstanding)} outstanding.",
            )
        today = exchange_date(now)
        if provided_to_exchange_on is not None and provided_to_exchange_on > today:
            error("provided_to_exchange_on", "This date is in the future.")

        if ground == G.EXPENSE:
            if costs_are_third_party is not True:
                error(
                    "costs_are_third_party",
                    "Only the direct expense paid to a third party counts; internal costs (staff time) do "
                    "not (Rule 10D-1(b)(1)(iv)(A)).",
                )
            if third_party_cost is None:
                error("third_party_cost", "State the third-party enforcement expense.")
            elif amount_forgone > 0 and third_party_cost <= amount_forgone:
                error(
                    "third_party_cost",
                    f"The third-party expense ({usd(third_party_cost)}) must exceed the amount to be "
                    f"recovered ({usd(amount_forgone)}).",
                )
            if not attempts.strip():
                error("attempts", "Document the reasonable attempt(s) to recover made first.")
            if provided_to_exchange_on is None:
                error(
                    "provided_to_exchange_on", "Record when the documentation was provided to the exchange."
                )
        elif ground == G.HOME_COUNTRY_LAW:
            if law_adopted_on is None:
                error("law_adopted_on", "State when the home-country law was adopted.")
            elif law_adopted_on >= HOME_COUNTRY_LAW_CUTOFF:
                error(
                    "law_adopted_on",
                    "Only home-country law adopted before 2022-11-28 makes recovery impracticable "
                    "(Rule 10D-1(b)(1)(iv)(B)).",
                )
            if not opinion.strip():
                error(
                    "opinion", "Attach home-country counsel's opinion that recovery would violate that law."
                )
            if provided_to_exchange_on is None:
                error("provided_to_exchange_on", "Record when the opinion was provided to the exchange.")
        elif ground == G.RETIREMENT_PLAN:
            if not plan_description.strip():
                error(
                    "plan_description",
                    "Describe the tax-qualified retirement plan (benefits broadly available to employees) "
                    "and why recovery would make it fail 26 U.S.C. 401(a)(13) or 411(a).",
                )
        else:
            error("ground", "Choose one of the three grounds of Rule 10D-1(b)(1)(iv).")
        if errors:
            raise ValidationError(errors)

        record = Impracticability(
            claim=claim,
            decision=decision,
            ground=ground,
            amount_forgone=amount_forgone,
            third_party_cost=third_party_cost if ground == G.EXPENSE else None,
            cost_description=cost_description.strip() if ground == G.EXPENSE else "",
            attempts=attempts.strip(),
            law_adopted_on=law_adopted_on if ground == G.HOME_COUNTRY_LAW else None,
            opinion=opinion.strip() if ground != G.EXPENSE else "",
            plan_description=plan_description.strip() if ground == G.RETIREMENT_PLAN else "",
            provided_to_exchange_on=provided_to_exchange_on,
        )
        record.full_clean()
        with audit_context(actor=actor):
            record.save()
            record_action(
                actor=actor,
                verb="determine_impracticable",
                obj=case,
                details={"claim": claim.pk, "ground": ground, "amount_forgone": str(amount_forgone)},
            )
    return record
