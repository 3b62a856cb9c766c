"""Company profile, fiscal calendar, policy versions, and the seats on the Board and its Compensation
Committee."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from compliance_site.accounts.permissions import has_capability
from compliance_site.audit.recorder import audit_context, save_audited
from compliance_site.lib.limits import EXPLANATION, too_long_message

from .models import BodyMembership, Company, FiscalPeriod, PolicyVersion


@transaction.atomic
def update_company(*, actor, company: Company, data: dict, reason: str = "") -> Company:
    for field, value in data.items():
        setattr(company, field, value)
    return save_audited(company, actor=actor, reason=reason)


@transaction.atomic
def add_fiscal_period(
    *, actor, company: Company, label: str, start, end, transition: bool = False
) -> FiscalPeriod:
    """Add a fiscal year or transition period; periods never overlap (the look-back window of
    docs/clawback-rules §1.5 depends on it)."""
    period = FiscalPeriod(company=company, label=label, start=start, end=end, transition=transition)
    period.full_clean()
    overlapping = FiscalPeriod.objects.filter(company=company, start__lte=end, end__gte=start).first()
    if overlapping is not None:
        raise ValidationError({"start": f"Overlaps {overlapping}."})
    with audit_context(actor=actor):
        period.save()
    return period


@transaction.atomic
def add_policy_version(
    *,
    actor,
    kind: str,
    version: str,
    title: str,
    text: str,
    effective_date,
    approved_on=None,
    approved_by: str = "",
    approval_record: str = "",
) -> PolicyVersion:
    """Record a new version of a policy. Versions are never edited: a change is a new version."""
    policy = PolicyVersion(
        kind=kind,
        version=version,
        title=title,
        text=text,
        effective_date=effective_date,
        approved_on=approved_on,
        approved_by=approved_by,
        approval_record=approval_record,
        created_by=actor,
    )
    return save_audited(policy, actor=actor)


# ---- Seats on the Board and the Compensation Committee ---------------------------------------------------
#
# Who may vote on a decision is read from the seats held on its date (policy "Administration"), so a seat is
# only ever added and later ended: never edited, never deleted. The history of the bodies is then the
# history of their seats, and a past decision keeps the membership it was taken with.


def _on(day) -> str:
    return f"{day:%Y-%m-%d}"


def _held(seat: BodyMembership) -> str:
    """When `seat` is held, in words: "from 2020-01-01" or "from 2020-01-01 to 2023-06-30"."""
    return f"from {_on(seat.starts_on)}" + (f" to {_on(seat.ends_on)}" if seat.ends_on else " (still held)")


def _lock_company(company: Company) -> None:
    # Two secretaries adding seats at once must not both pass the overlap checks below: seat changes of a
    # company queue behind its row (the audit head is taken first: docs/architecture.md, "Lock order").
    Company.objects.select_for_update().filter(pk=company.pk).first()


@transaction.atomic
def add_seat(
    *,
    actor,
    company: Company,
    body: str,
    member,
    chair: bool,
    independent: bool,
    starts_on: date,
) -> BodyMembership:
    """Seat `member` on the Board or the Compensation Committee from `starts_on`, the seat still held (it
    is ended with `end_seat`). Refused, each on its field: a member without a vote in the app (the Board
    member or Compensation Committee member role); a second seat of the same member on the same body over
    the same days; a second chair of the same body over the same days."""
    seat = BodyMembership(
        company=company,
        body=body,
        member=member,
        chair=chair,
        independent=independent,
        starts_on=starts_on,
        recorded_by=actor,
    )
    errors: dict[str, list[str]] = {}
    if member is not None and not has_capability(member, "clawback.vote"):
        errors.setdefault("member", []).append(
            f"{member} has no vote in the app: give them the Board member or Compensation Committee member "
            "role first (an administrator does, in the admin site)."
        )
    if body in BodyMembership.Body.values and starts_on is not None and member is not None:
        _lock_company(company)
        # The new seat runs from `starts_on` with no end yet: any seat still held on or after that day
        # overlaps it.
        overlapping = BodyMembership.objects.filter(company=company, body=body).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
        )
        same_member = overlapping.filter(member=member).order_by("starts_on").first()
        if same_member is not None:
            errors.setdefault("starts_on", []).append(
                f"{member} already holds a seat on the {seat.get_body_display()} {_held(same_member)}: "
                "end that seat first, or start this one after it ends."
            )
        other_chair = (
            overlapping.filter(chair=True).select_related("member").order_by("starts_on").first()
            if chair
            else None
        )
        if other_chair is not None:
            errors.setdefault("chair", []).append(
                f"{other_chair.member} chairs the {seat.get_body_display()} {_held(other_chair)}: a body has "
                "one chair at a time. End that seat first, or add this one without the chair."
            )
    if errors:
        raise ValidationError(errors)
    return save_audited(seat, actor=actor)


@transaction.atomic
def end_seat(*, actor, seat: BodyMembership, ends_on: date, reason: str) -> BodyMembership:
    """End a seat held: its last day is `ends_on` (the seat still counts on that day). `reason` (a
    resignation, the end of a term, a board resolution) goes to the audit trail with the change. A seat
    already ended is not ended again: a seat's dates are never rewritten."""
    # Read again under a lock, so two people ending the same seat at once cannot both end it; the lock is on
    # the seat's row only, not on its member's.
    seat = BodyMembership.objects.select_for_update(of=("self",)).select_related("member").get(pk=seat.pk)
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if seat.ends_on is not None:
        errors.setdefault("ends_on", []).append(f"This seat already ended on {_on(seat.ends_on)}.")
    elif ends_on is None:
        errors.setdefault("ends_on", []).append("Give the seat's last day.")
    elif ends_on < seat.starts_on:
        errors.setdefault("ends_on", []).append(
            f"A seat cannot end before it starts: this one starts on {_on(seat.starts_on)}."
        )
    if not reason:
        errors.setdefault("reason", []).append("Say why the seat ends (kept in the audit trail).")
    elif len(reason) > EXPLANATION:
        errors.setdefault("reason", []).append(too_long_message(EXPLANATION, counted=False))
    if errors:
        raise ValidationError(errors)
    seat.ends_on = ends_on
    return save_audited(seat, actor=actor, reason=reason, verb="end_seat", details={"ends_on": _on(ends_on)})
