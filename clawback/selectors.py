"""Who sees which clawback records, decided once, with the joins each page needs."""

import operator
from dataclasses import dataclass
from datetime import date, datetime
from functools import reduce

from django.db.models import Prefetch, Q, QuerySet

from compliance_site.accounts.permissions import has_capability
from compliance_site.accounts.visibility import visible_to
from compliance_site.company.models import PolicyAcknowledgement, PolicyVersion

from .models import Award, AwardCredit, EventStudy, Executive, Measure, Recusal, Restatement, RestatementEvent
from .recovery import AwardResult, RecoveryResult, Scenario, evaluate
from .scenario import ScenarioError, result_to_json


@visible_to(Restatement)
def restatements_visible_to(user) -> QuerySet[Restatement]:
    """Everyone with clawback access, except a covered executive for the case about their own pay (policy
    "Administration"; an executive must never review their own recovery)."""
    if not has_capability(user, "clawback.view"):
        return Restatement.objects.none()
    return (
        Restatement.objects.exclude(covered_executives__user=user)
        .select_related("company")
        # A stable order for pagination (the list annotates these rows).
        .order_by("-created_at", "-id")
    )


@visible_to(EventStudy)
def event_studies_visible_to(user) -> QuerySet[EventStudy]:
    """A study is seen with its case (voided ones too, so the reports made of them stay readable): a
    covered executive never sees the study of the case about their own pay, nor a report made of it."""
    return EventStudy.all_objects.filter(restatement__in=restatements_visible_to(user).values("pk"))


@visible_to(Executive)
def executives_visible_to(user, *, include_voided: bool = False) -> QuerySet[Executive]:
    """Live executives (voided ones too with `include_voided`), except the user's own record."""
    if not has_capability(user, "clawback.view"):
        return Executive.objects.none()
    manager = Executive.all_objects if include_voided else Executive.objects
    return manager.exclude(user=user).select_related("company")


@visible_to(Award)
def awards_visible_to(user, *, include_voided: bool = False) -> QuerySet[Award]:
    if not has_capability(user, "clawback.view"):
        return Award.objects.none()
    manager = Award.all_objects if include_voided else Award.objects
    return manager.exclude(executive__user=user).select_related("executive", "measure")


def restatement_detail(user, pk) -> Restatement:
    from django.shortcuts import get_object_or_404

    qs = restatements_visible_to(user).prefetch_related("events", "covered_executives", "recusals__user")
    return get_object_or_404(qs, pk=pk)


def determinations_invalidated_at(user, now: datetime):
    """The determinations a change made at `now` invalidated, on cases the user may see (a change of a
    record withdraws the approvals resting on it in the same transaction: `records.recheck_approvals`)."""
    from .models import Determination

    return (
        Determination.objects.filter(
            invalidated_at=now, restatement__in=restatements_visible_to(user).values("pk")
        )
        .select_related("restatement")
        .order_by("restatement_id", "number")
    )


def is_recused(user, restatement: Restatement) -> bool:
    return Recusal.objects.filter(restatement=restatement, user=user).exists()


# --- Records pages (executives, measures, awards, restatements) -----------------------------------


@visible_to(Measure)
def measures_visible_to(user, *, include_voided: bool = False) -> QuerySet[Measure]:
    """Measures carry no one's pay: everyone with clawback access sees them all."""
    if not has_capability(user, "clawback.view"):
        return Measure.objects.none()
    manager = Measure.all_objects if include_voided else Measure.objects
    return manager.select_related("company")


@visible_to(RestatementEvent)
def restatement_events_visible_to(user) -> QuerySet[RestatementEvent]:
    """An event is visible with its case (its documents, e.g. the rationale for a "reasonably should
    have concluded" date, go with it)."""
    return RestatementEvent.objects.filter(restatement__in=restatements_visible_to(user).values("pk"))


def restatement_list_rows(user) -> QuerySet[Restatement]:
    """The cases for the list page, each with the date it was required to be prepared (the earliest
    qualifying event, docs/clawback-rules §1.4) and the amount owed under its approved determination: two
    subqueries, so the list costs the same whatever its length."""
    from django.db.models import DecimalField, OuterRef, Subquery, Sum

    from .models import RecoveryClaim
    from .recovery import REQUIRED_ON_EVENT_KINDS

    earliest = (
        RestatementEvent.objects.filter(
            restatement=OuterRef("pk"), kind__in=[str(k) for k in REQUIRED_ON_EVENT_KINDS]
        )
        .order_by("date", "id")
        .values("date")[:1]
    )
    owed = (
        RecoveryClaim.objects.filter(restatement=OuterRef("pk"))
        .values("restatement")
        .annotate(total=Sum("amount_owed"))
        .values("total")
    )
    return (
        restatements_visible_to(user)
        .select_related("policy_version")
        .annotate(
            required_on=Subquery(earliest),
            amount_owed=Subquery(owed, output_field=DecimalField(max_digits=18, decimal_places=2)),
        )
    )


def _search(qs: QuerySet, q: str, fields: tuple[str, ...], **choices: tuple[str, list]) -> QuerySet:
    """The rows with `q` in any of `fields`, narrowed by each choice given as (value, the field's choices);
    a value outside its choices narrows nothing."""
    if q:
        qs = qs.filter(reduce(operator.or_, (Q(**{f"{field}__icontains": q}) for field in fields)))
    for field, (value, allowed) in choices.items():
        if value in allowed:
            qs = qs.filter(**{field: value})
    return qs


def search_executives(qs: QuerySet[Executive], *, q: str = "") -> QuerySet[Executive]:
    return _search(qs, q, ("name", "title", "key"))


def search_measures(qs: QuerySet[Measure], *, q: str = "", category: str = "") -> QuerySet[Measure]:
    return _search(qs, q, ("name", "key"), category=(category, Measure.Category.values))


def search_awards(
    qs: QuerySet[Award], *, q: str = "", award_type: str = "", basis: str = ""
) -> QuerySet[Award]:
    return _search(
        qs,
        q,
        ("key", "executive__name", "measure__name"),
        award_type=(award_type, Award.Type.values),
        basis=(basis, Award.Basis.values),
    )


def search_restatements(qs: QuerySet[Restatement], *, q: str = "", status: str = "") -> QuerySet[Restatement]:
    return _search(qs, q, ("title", "description"), status=(status, Restatement.Status.values))


def executive_list_rows(user, *, include_voided: bool = False) -> QuerySet[Executive]:
    # Prefetched so the list costs the same number of queries whatever its length.
    return executives_visible_to(user, include_voided=include_voided).prefetch_related(
        "officer_periods", "neo_years"
    )


def measure_list_rows(user, *, include_voided: bool = False) -> QuerySet[Measure]:
    return measures_visible_to(user, include_voided=include_voided).prefetch_related("values")


def executive_detail(user, pk, *, include_voided: bool = False) -> Executive:
    """One executive the user may see; a voided one only for its page (`include_voided`), never to change."""
    from django.shortcuts import get_object_or_404

    qs = executives_visible_to(user, include_voided=include_voided).prefetch_related(
        "officer_periods", "neo_years"
    )
    return get_object_or_404(qs, pk=pk)


def measure_detail(user, pk, *, include_voided: bool = False) -> Measure:
    from django.shortcuts import get_object_or_404

    qs = measures_visible_to(user, include_voided=include_voided).prefetch_related("values")
    return get_object_or_404(qs, pk=pk)


def award_detail(user, pk, *, include_voided: bool = False) -> Award:
    from django.shortcuts import get_object_or_404

    qs = awards_visible_to(user, include_voided=include_voided).select_related("executive__company")
    credits = Prefetch("credits", queryset=AwardCredit.objects.select_related("under_case"))
    return get_object_or_404(qs.prefetch_related("components__measure", credits), pk=pk)


def voided_rows(manager, *, related: tuple[str, ...] = (), **filters):
    """Voided rows of a record type for a page's "show voided" list, newest first, with who voided them and
    the `related` rows their names read (one query whatever their number)."""
    return (
        manager.voided().filter(**filters).select_related("voided_by", *related).order_by("-voided_at", "-pk")
    )


def restatements_for_change(user) -> QuerySet[Restatement]:
    """The cases a user may see, plain (no annotations) so that one can be saved back."""
    return Restatement.objects.filter(pk__in=restatements_visible_to(user).values("pk")).select_related(
        "company", "policy_version"
    )


def restatements_with_details(user) -> QuerySet[Restatement]:
    """The cases with everything their page and worksheet show, in a fixed number of queries."""
    return (
        restatements_visible_to(user)
        .select_related("policy_version", "no_indemnification_confirmed_by")
        .prefetch_related(
            "events",
            "covered_executives__officer_periods",
            "recusals__user",
        )
    )


def restatement_for_change(user, pk) -> Restatement:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(restatements_for_change(user), pk=pk)


def restatement_full_detail(user, pk) -> Restatement:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(restatements_with_details(user), pk=pk)


# --- The recovery worksheet -----------------------------------------------------------------------

NOT_TRIGGERING = "not_triggering"
NO_AWARDS_IN_SCOPE = "no_awards_in_scope"
NO_EXCESS = "no_excess"


@dataclass(frozen=True)
class WorksheetAward:
    """One award's line: the engine's result, the record it came from, and whether the company's own
    policy reaches it (policy "Effective Date": awards approved, awarded or granted on or after it)."""

    result: AwardResult
    award: Award | None
    executive_name: str
    policy_applies: bool | None  # None: neither an approval nor a grant date is recorded
    predates_policy: bool  # in scope under the listing standard, but granted before the policy


@dataclass(frozen=True)
class AcknowledgementStatus:
    """Whether an executive acknowledged a clawback policy version, and whether they must: an executive
    officer serving on or after the version's effective date agrees to it as a condition of their award
    agreements (policy "Other Recovery Rights"); one who left before it never had to."""

    executive: Executive
    required: bool
    acknowledgement: PolicyAcknowledgement | None

    @property
    def acknowledged_at(self) -> datetime | None:
        return self.acknowledgement.acknowledged_at if self.acknowledgement else None

    @property
    def missing(self) -> bool:
        return self.required and self.acknowledgement is None


def acknowledgement_statuses(policy: PolicyVersion, executives) -> list[AcknowledgementStatus]:
    """The status of each executive (prefetch `officer_periods`) for `policy`: an acknowledgement recorded for
    the executive, or given by their sign-in. Two queries whatever the number of executives."""
    executives = list(executives)
    by_executive, by_user = {}, {}
    acknowledgements = PolicyAcknowledgement.objects.filter(policy=policy).filter(
        Q(executive__in=[x.pk for x in executives]) | Q(user__in=[x.user_id for x in executives if x.user_id])
    )
    for acknowledgement in acknowledgements.select_related("recorded_by"):
        if acknowledgement.executive_id:
            by_executive[acknowledgement.executive_id] = acknowledgement
        else:
            by_user[acknowledgement.user_id] = acknowledgement
    return [
        AcknowledgementStatus(
            executive=x,
            required=any(p.end is None or p.end >= policy.effective_date for p in x.officer_periods.all()),
            acknowledgement=by_executive.get(x.pk) or (by_user.get(x.user_id) if x.user_id else None),
        )
        for x in executives
    ]


def acknowledgement_report(user, policy: PolicyVersion) -> list[AcknowledgementStatus]:
    """Every executive the user may see, for the missing-acknowledgement report: missing ones first."""
    executives = executive_list_rows(user).order_by("name", "pk")
    statuses = acknowledgement_statuses(policy, executives)
    return sorted(statuses, key=lambda s: (not s.missing, s.acknowledgement is not None, s.executive.name))


def clawback_policies():
    """The approved versions of the clawback policy, newest first."""
    return PolicyVersion.objects.filter(kind=PolicyVersion.Kind.CLAWBACK, approved_on__isnull=False).order_by(
        "-effective_date", "-id"
    )


@dataclass(frozen=True)
class Worksheet:
    restatement: Restatement
    problems: tuple[tuple[str, str], ...]
    scenario: Scenario | None
    result: RecoveryResult | None
    awards: tuple[WorksheetAward, ...]
    outcome: str  # incomplete, no_required_date, pending_estimates, recovery, no_recovery
    outcome_text: str
    no_recovery_reason: str | None
    policy: PolicyVersion | None
    acknowledgements: tuple[AcknowledgementStatus, ...]

    @property
    def result_json(self) -> dict | None:
        return None if self.result is None else result_to_json(self.result)


def restatement_worksheet(restatement: Restatement, *, today: date) -> Worksheet:
    """The recovery analysis of a case, computed by the engine from the database
    (`evaluate(scenario_with_estimates(case))`, the committee's reasonable estimates included), with the
    Item 402(w)(2) sentence when nothing is to be recovered. A fixed number of queries whatever the number
    of awards."""
    from compliance_site.company.selectors import policy_in_force

    from .services.scenarios import scenario_with_estimates

    policy = restatement.policy_version or policy_in_force("clawback", on=today)
    # restatements_with_details prefetches the covered executives with their officer periods.
    covered = list(restatement.covered_executives.all())
    acknowledgements = tuple(acknowledgement_statuses(policy, covered)) if policy is not None else ()
    try:
        # With the committee's recorded estimates: the figures the determination freezes.
        scenario = scenario_with_estimates(restatement)
    except ScenarioError as exc:
        return Worksheet(
            restatement=restatement,
            problems=tuple(exc.errors),
            scenario=None,
            result=None,
            awards=(),
            outcome="incomplete",
            outcome_text="The analysis cannot run until the case's records are complete (problems below).",
            no_recovery_reason=None,
            policy=policy,
            acknowledgements=acknowledgements,
        )
    result = evaluate(scenario)
    records = {
        a.key: a
        for a in Award.objects.filter(executive__in=[x.pk for x in covered]).select_related(
            "executive", "measure"
        )
    }
    names = {x.id: x.name for x in scenario.executives}
    lines = tuple(_worksheet_award(r, records.get(r.id), names, policy) for r in result.awards)
    outcome, reason, text = _outcome(restatement, result)
    return Worksheet(
        restatement=restatement,
        problems=(),
        scenario=scenario,
        result=result,
        awards=lines,
        outcome=outcome,
        outcome_text=text,
        no_recovery_reason=reason,
        policy=policy,
        acknowledgements=acknowledgements,
    )


def policy_applies_to(award: Award, policy: PolicyVersion | None) -> bool | None:
    """Policy "Effective Date": the policy reaches compensation approved, awarded or granted on or after it.
    None when neither an approval nor a grant date is recorded (or there is no policy)."""
    if award is None or policy is None:
        return None
    dates = [d for d in (award.approval_date, award.grant_date) if d is not None]
    return max(dates) >= policy.effective_date if dates else None


def _worksheet_award(result: AwardResult, award: Award | None, names: dict, policy) -> WorksheetAward:
    policy_applies = policy_applies_to(award, policy)
    return WorksheetAward(
        result=result,
        award=award,
        executive_name=names.get(result.executive, result.executive),
        policy_applies=policy_applies,
        predates_policy=result.in_scope and policy_applies is False,
    )


def _outcome(restatement: Restatement, result: RecoveryResult) -> tuple[str, str | None, str]:
    """The case's conclusion in one sentence; "no recovery" always says why (Item 402(w)(2))."""
    if not result.triggers_recovery_analysis:
        return (
            "no_recovery",
            NOT_TRIGGERING,
            f"No recovery is required, because this is not a triggering restatement: "
            f"{restatement.get_kind_display().lower()} does not correct an error in previously issued "
            f"financial statements (Rule 10D-1(b)(1)).",
        )
    if result.required_on is None:
        return (
            "no_required_date",
            None,
            "The analysis cannot be completed until an event sets the date the company was required to "
            "prepare the restatement (a board, committee or officer conclusion, a 'reasonably should have "
            "concluded' date, or a court or regulator's direction).",
        )
    totals = result.totals
    if totals.pending_estimates:
        return (
            "pending_estimates",
            None,
            f"The amount cannot be determined yet: {totals.pending_estimates} award"
            f"{'s' if totals.pending_estimates != 1 else ''} awaiting the committee's reasonable estimate "
            f"(Item 402(w)(1)(i)(E)).",
        )
    if totals.excess_usd > 0 or totals.excess_units > 0:
        units = f", including {_plain(totals.excess_units)} shares or units," if totals.excess_units else ""
        return (
            "recovery",
            None,
            f"Erroneously awarded compensation of ${totals.excess_usd:,.2f}{units} must be recovered "
            f"reasonably promptly.",
        )
    if not any(a.in_scope for a in result.awards):
        return (
            "no_recovery",
            NO_AWARDS_IN_SCOPE,
            "No recovery is required, because no incentive-based compensation received by a covered "
            "executive falls within the recovery period and the rule's scope (no awards in scope).",
        )
    return (
        "no_recovery",
        NO_EXCESS,
        "No recovery is required, because all recomputed amounts equal (or exceed) what was received: "
        "the restated measures did not change what any award in scope paid.",
    )


def _plain(value) -> str:
    """A number of shares or units as people read it: 4600.000 -> 4,600; 1234.5 -> 1,234.5."""
    whole, _, fraction = format(value, "f").partition(".")
    fraction = fraction.rstrip("0")
    return f"{int(whole):,}" + (f".{fraction}" if fraction else "")


def proposed_covered_executives(company, executives: QuerySet[Executive], *, events=(), today: date):
    """The executive officers a case is proposed to cover, each with why: those who served as an officer at
    any time in the look-back window (the three completed fiscal years before the required-to-prepare date;
    before any event sets it, the three before `today`). Only proposed: the user ticks each one."""
    from .recovery import FiscalPeriod as EnginePeriod
    from .recovery import RestatementEvent as EngineEvent
    from .recovery import lookback_window, required_to_prepare

    required = required_to_prepare(EngineEvent(kind=e.kind, date=e.date) for e in events)
    as_of = required[0] if required else today
    periods = [
        EnginePeriod(label=p.label, start=p.start, end=p.end, transition=p.transition)
        for p in company.fiscal_periods.all()
    ]
    window = lookback_window(periods, as_of)
    if window is None:
        return []
    why = f"served as an officer in the look-back window ({window.periods[0]}–{window.periods[-1]})"
    proposed = (
        executives.filter(officer_periods__start__lte=window.end)
        .filter(Q(officer_periods__end__isnull=True) | Q(officer_periods__end__gte=window.start))
        .filter(officer_periods__voided_at__isnull=True)
        .distinct()
    )
    return [(x, why) for x in proposed]
