"""Reg FD workflows. Each business action is one function, called by views, the API, admin and tasks."""

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from compliance_site.accounts.permissions import has_capability
from compliance_site.audit.recorder import audit_context
from compliance_site.lib.markets import require_aware

from ..calendar_source import current_calendar
from ..deadlines import DeadlineInput, compute_deadline
from ..models import MATERIAL_CATEGORIES, DeadlineComputation, Exclusion, Incident, PublicStatement
from .common import locked, require_text, save
from .public_statements import check_citations, replace_citations

MATERIAL_CATEGORY_CODES = [code for code, _ in MATERIAL_CATEGORIES]
# What a report says of the selective disclosure (open_incident's input beside its title): the form asks for
# these and the API shows them.
DISCLOSURE_FIELDS = (
    "disclosed_by",
    "recipient_name",
    "recipient_firm",
    "recipient_category",
    "information",
    "disclosed_at",
    "learned_at",
    "learned_by",
    "intentional",
)
_REASON_MAX = DeadlineComputation._meta.get_field("reason").max_length
# A deadline's history row copies these from the incident as they were computed.
DEADLINE_FIELDS = (
    "learned_at",
    "outer_limit",
    "policy_target",
    "due_at",
    "calendar_version",
    "rule_version",
)


def _next_reference(now: datetime) -> str:
    prefix = f"FD-{now:%Y}-"
    last = Incident.objects.filter(reference__startswith=prefix).order_by("-reference").first()
    number = int(last.reference.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


def apply_deadline(incident: Incident, *, calendar=None) -> bool:
    """Compute the incident's deadlines from T0 on the current calendar (stored with the calendar and rule
    versions that produced them); True if a deadline instant changed."""
    try:
        deadline = compute_deadline(
            DeadlineInput(
                learned_at=incident.learned_at,
                intentional=incident.intentional,
                disclosed_at=incident.disclosed_at,
            ),
            calendar=calendar or current_calendar(),
        )
    except (ValueError, OverflowError) as exc:  # a time outside the calendar's years, or a naive time
        raise ValidationError({"learned_at": str(exc)}) from exc
    instants = ("outer_limit", "policy_target", "due_at")
    before = tuple(getattr(incident, name) for name in instants)
    incident.outer_limit = deadline.outer_limit_utc
    incident.policy_target = deadline.policy_target_utc
    incident.due_at = deadline.working_deadline_utc
    incident.calendar_version = deadline.calendar_version
    incident.rule_version = deadline.rule_version
    incident.deadline_explanation = deadline.explanation
    return before != tuple(getattr(incident, name) for name in instants)


def _record_deadline(incident: Incident, *, now: datetime, reason: str) -> DeadlineComputation:
    return DeadlineComputation.objects.create(
        incident=incident,
        computed_at=now,
        reason=_truncate(reason, _REASON_MAX),
        **{name: getattr(incident, name) for name in DEADLINE_FIELDS},
    )


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _locked_open(incident: Incident) -> Incident:
    """The incident under a row lock, refused once closed: the lock comes first so that a concurrent close
    is seen before the check."""
    incident = locked(incident)
    if incident.status != Incident.Status.OPEN:
        raise ValidationError("This incident is already closed.")
    return incident


def _check_aware(value: datetime, *, field: str) -> None:
    try:
        require_aware(value, what=field)
    except (TypeError, ValueError) as exc:
        raise ValidationError({field: str(exc)}) from exc


@transaction.atomic
def open_incident(
    *,
    actor,
    now: datetime,
    title: str,
    disclosed_by: str,
    recipient_name: str,
    recipient_category: str,
    information: str,
    disclosed_at: datetime,
    learned_at: datetime,
    learned_by: str,
    recipient_firm: str = "",
    intentional: bool = False,
) -> Incident:
    """Log a selective disclosure and compute its public-disclosure deadline (policy I.B)."""
    _check_aware(disclosed_at, field="disclosed_at")
    _check_aware(learned_at, field="learned_at")
    if learned_at < disclosed_at:
        raise ValidationError({"learned_at": "A disclosure cannot be learned of before it was made."})
    if disclosed_at > now:
        raise ValidationError({"disclosed_at": "The disclosure time is in the future."})
    if learned_at > now:
        raise ValidationError({"learned_at": "T0 is in the future."})
    incident = Incident(
        reference=_next_reference(now),
        title=title,
        disclosed_by=disclosed_by,
        recipient_name=recipient_name,
        recipient_firm=recipient_firm,
        recipient_category=recipient_category,
        information=information,
        disclosed_at=disclosed_at,
        learned_at=learned_at,
        learned_by=learned_by,
        intentional=intentional,
        reported_by=actor,
        reported_at=now,
    )
    apply_deadline(incident)
    save(incident, actor=actor)
    _record_deadline(incident, now=now, reason="Incident logged")
    return incident


@transaction.atomic
def record_public_disclosure(
    *,
    actor,
    incident: Incident,
    disclosed_at: datetime,
    method: str,
    reference: str = "",
    now: datetime | None = None,
) -> Incident:
    """Record the public disclosure that cured the selective one (docs/regfd-rules §2.5: method, instant
    and channel evidence): on time if made by the working deadline, late otherwise. With `now`, a public
    disclosure dated in the future is refused: it would be recorded as on time before it happened."""
    _check_aware(disclosed_at, field="disclosed_at")
    incident = _locked_open(incident)
    if disclosed_at < incident.disclosed_at:
        raise ValidationError(
            {"disclosed_at": "The public disclosure cannot precede the selective disclosure."}
        )
    if now is not None and disclosed_at > now:
        raise ValidationError({"disclosed_at": "The public disclosure time is in the future."})
    if method not in Incident.DisclosureMethod.values:
        raise ValidationError({"method": "Choose one of the policy's means of public disclosure (II.C)."})
    incident.public_disclosure_at = disclosed_at
    incident.public_disclosure_method = method
    incident.public_disclosure_reference = reference
    incident.status = Incident.Status.DISCLOSED
    incident.outcome = Incident.Outcome.ON_TIME if disclosed_at <= incident.due_at else Incident.Outcome.LATE
    return save(incident, actor=actor, verb="record_public_disclosure", details={"method": method})


@transaction.atomic
def close_not_required(*, actor, incident: Incident, reason: str) -> Incident:
    """Close an incident whose information was not material or fell under an exclusion, with the reason."""
    incident = _locked_open(incident)
    require_text(reason, "reason", "Say why public disclosure is not required.")
    incident.status = Incident.Status.NOT_REQUIRED
    incident.outcome = Incident.Outcome.NOT_REQUIRED
    incident.closed_reason = reason
    return save(incident, actor=actor)


@transaction.atomic
def assess_materiality(
    *,
    actor,
    incident: Incident,
    material_categories: list[str],
    materiality_assessment: str,
    in_doubt: bool = False,
) -> Incident:
    """Record the Corporate Secretary's materiality assessment against the policy's list of material
    information (policy II.B). "When in doubt about whether particular nonpublic information is material,
    you should presume it is material": `in_doubt` makes the incident presumed material until counsel
    concludes otherwise (Incident.presumed_material)."""
    incident = _locked_open(incident)
    unknown = sorted(set(material_categories) - set(MATERIAL_CATEGORY_CODES))
    if unknown:
        raise ValidationError({"material_categories": f"Unknown categories: {', '.join(unknown)}."})
    require_text(
        materiality_assessment,
        "materiality_assessment",
        "Say why the information is, or is not, material (policy II.B).",
    )
    chosen = set(material_categories)
    incident.material_categories = [code for code in MATERIAL_CATEGORY_CODES if code in chosen]
    incident.materiality_assessment = materiality_assessment.strip()
    incident.in_doubt = in_doubt
    return save(incident, actor=actor)


@transaction.atomic
def conclude_materiality(
    *,
    actor,
    now: datetime,
    incident: Incident,
    conclusion: str,
    rationale: str,
    cited_statements: Iterable[PublicStatement] = (),
) -> Incident:
    """Record counsel's conclusion on materiality, with the rationale, who and when (policy II.B, II.I), and
    the public statements it cites among those attached as evidence (docs/regfd-rules §2.9): a revised
    conclusion replaces the citations of the one before.

    Only counsel (capability regfd.conclude) may conclude; checked here too, since the service is the one
    door to this record. A conclusion may be recorded or revised after the incident closed (counsel may
    conclude after the fact); the rationale is then the audit reason the trail requires after sign-off.
    """
    if not has_capability(actor, "regfd.conclude"):
        raise PermissionDenied("Only counsel records the materiality conclusion.")
    incident = locked(incident)
    allowed = set(Incident.CounselConclusion.values) - {Incident.CounselConclusion.PENDING}
    if conclusion not in allowed:
        raise ValidationError({"conclusion": "Choose material, not material or already public."})
    require_text(rationale, "rationale", "Give the reasoning behind the conclusion.")
    cited = check_citations(incident=incident, conclusion=conclusion, statements=cited_statements)
    incident.counsel_conclusion = conclusion
    incident.counsel_rationale = rationale.strip()
    incident.counsel_concluded_by = actor
    incident.counsel_concluded_at = now
    label = Incident.CounselConclusion(conclusion).label
    save(incident, actor=actor, reason=f"Counsel concluded: {label}. {rationale.strip()}")
    replace_citations(actor=actor, incident=incident, statements=cited)
    return incident


@transaction.atomic
def claim_exclusion(*, actor, incident: Incident, kind: str, evidence: str) -> Exclusion:
    """Claim an exclusion from Regulation FD for the disclosure (243.100(b)(2); policy II.J): a duty of
    trust or confidence, an express confidentiality agreement, or a registered offering, with the evidence
    that shows it applies. Documents go on the incident as attachments. Claiming does not close the
    incident: closing it as not required is a separate decision, with its reason."""
    incident = _locked_open(incident)
    require_text(evidence, "evidence", "Describe the evidence (agreement, engagement, offering).")
    exclusion = Exclusion(incident=incident, kind=kind, evidence=evidence.strip(), claimed_by=actor)
    return save(exclusion, actor=actor)


@transaction.atomic
def correct_learned_at(
    *, actor, now: datetime, incident: Incident, learned_at: datetime, reason: str
) -> Incident:
    """Correct T0, the instant a senior official learned of the disclosure (docs/regfd-rules §2.2). The
    deadline is recomputed on the current calendar and a DeadlineComputation row records the change and its
    reason (docs/regfd-rules §2.7); the audit event carries the reason too."""
    _check_aware(learned_at, field="learned_at")
    require_text(reason, "reason", "Say why T0 is corrected.")
    incident = _locked_open(incident)
    if learned_at < incident.disclosed_at:
        raise ValidationError({"learned_at": "A disclosure cannot be learned of before it was made."})
    if learned_at > now:
        raise ValidationError({"learned_at": "T0 is in the future."})
    incident.learned_at = learned_at
    apply_deadline(incident)
    why = f"T0 corrected: {reason.strip()}"
    save(incident, actor=actor, reason=why)
    _record_deadline(incident, now=now, reason=why)
    return incident


@transaction.atomic
def recompute_open_deadlines(*, actor, now: datetime, reason: str) -> list[Incident]:
    """Recompute every open incident's deadline on the current calendar (after a calendar edit). Each one
    whose deadline moves is saved with the reason and a new DeadlineComputation row; one whose deadline is
    unchanged is saved with the new calendar version only (audited with the reason, no history row), so the
    stored version is always the calendar its deadline was last checked against. Returns the incidents
    whose deadline moved."""
    calendar = current_calendar()
    moved = []
    for incident in Incident.objects.select_for_update().filter(status=Incident.Status.OPEN).order_by("id"):
        version = incident.calendar_version
        changed = apply_deadline(incident, calendar=calendar)
        if changed or incident.calendar_version != version:
            with audit_context(actor=actor, reason=reason):
                incident.save()
        if changed:
            _record_deadline(incident, now=now, reason=reason)
            moved.append(incident)
    return moved
