"""Who signs off a Regulation G review: the CFO, or a delegate the CFO has named (policy I.F;
docs/regfd-rules §2.6).

The policy asks for non-GAAP measures to be "reviewed in advance ... by our CFO". The CFO is the authorized
officer whose role carries the CFO title (an officer without a title is neither CEO nor CFO). When the CFO
cannot review a release in time, the CFO names a delegate in the application: a record of its own, for New
York dates, with the reason, that only the CFO creates and revokes. A delegate signs only while the
delegation is live (begun, not ended, not revoked, and its delegator still the CFO), and the review records
the capacity it was signed in.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from compliance_site.accounts.models import RoleAssignment
from compliance_site.accounts.permissions import has_capability
from compliance_site.lib.timefmt import EXCHANGE_TZ

from ..models import NonGaapDelegation, NonGaapReview
from .common import grant, require_aware, require_text, revoke
from .spokespersons import is_authorized_officer, is_cfo

# A delegate already works on Regulation G reviews in the application: opens and revises them (the program's
# managers) or is an authorized officer. An auditor, a director or an employee is never one.
DELEGATE_CAPABILITIES = ("regfd.manage", "regfd.approve")
ONLY_THE_CFO = "Only the CFO, or a delegate the CFO has named, signs off a Regulation G review (policy I.F)."


def _day(instant: datetime) -> date:
    return instant.astimezone(EXCHANGE_TZ).date()


def may_be_delegate(user) -> bool:
    """An active user who works on Regulation G reviews (see DELEGATE_CAPABILITIES)."""
    return bool(
        user is not None
        and user.is_active
        and any(has_capability(user, capability) for capability in DELEGATE_CAPABILITIES)
    )


# ---- Sign-off authority ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Authority:
    """In which capacity a user may sign off a review at an instant; `refusal` says why not when they may
    not (then `capacity` is "")."""

    capacity: str = ""
    delegation: NonGaapDelegation | None = None
    refusal: str = ""


def _is_live(delegation: NonGaapDelegation, now: datetime) -> bool:
    day = _day(now)
    return (
        delegation.valid_from <= day <= delegation.valid_until
        and (delegation.revoked_at is None or delegation.revoked_at > now)
        and is_cfo(delegation.delegator)
    )


def _why_not_live(delegation: NonGaapDelegation, now: datetime) -> str:
    name = f"Your delegation #{delegation.pk} from {delegation.delegator}"
    if delegation.revoked_at is not None and delegation.revoked_at <= now:
        return f"{name} was revoked on {_day(delegation.revoked_at):%Y-%m-%d}."
    if delegation.valid_from > _day(now):
        return f"{name} starts on {delegation.valid_from:%Y-%m-%d} (New York date)."
    if delegation.valid_until < _day(now):
        return f"{name} ended on {delegation.valid_until:%Y-%m-%d} (New York date)."
    return f"{name} lapsed: {delegation.delegator} is no longer the CFO."


def signing_authority(user, *, now: datetime, lock: bool = False) -> Authority:
    """May `user` sign off a Regulation G review at `now`, and in which capacity? As the CFO; or as the
    delegate of a live delegation; else a refusal saying why (the closest delegation's state, or the
    officer's title). `lock` (inside the sign-off's transaction) holds the delegate's delegations, so a
    revocation made at the same moment either comes first and refuses, or waits for the sign-off."""
    require_aware(now, "now")
    if user is None or not user.is_authenticated or not user.is_active:
        return Authority(refusal=ONLY_THE_CFO)
    if is_cfo(user):
        return Authority(capacity=NonGaapReview.Capacity.CFO)
    if not may_be_delegate(user):
        return Authority(refusal=ONLY_THE_CFO)
    delegations = NonGaapDelegation.objects.filter(delegate=user).select_related("delegator")
    if lock:
        delegations = delegations.select_for_update(of=("self",))
    delegations = list(delegations.order_by("-valid_until", "-id"))
    for delegation in delegations:
        if _is_live(delegation, now):
            return Authority(capacity=NonGaapReview.Capacity.DELEGATE, delegation=delegation)
    if delegations:
        return Authority(refusal=f"{ONLY_THE_CFO} {_why_not_live(delegations[0], now)}")
    if is_authorized_officer(user):
        title = user.officer_title
        if title:
            label = RoleAssignment.Title(title).label
            return Authority(refusal=f"{ONLY_THE_CFO} You are recorded as the {label}.")
        return Authority(
            refusal=f"{ONLY_THE_CFO} Your Authorized Officer role has no CEO or CFO title, so you are not "
            "taken for the CFO: an administrator sets the title on the role."
        )
    return Authority(refusal=ONLY_THE_CFO)


# ---- Delegations -----------------------------------------------------------------------------------------


def _require_cfo(actor, doing: str) -> None:
    if not is_cfo(actor):
        raise ValidationError(f"Only the CFO {doing} (policy I.F).")


@transaction.atomic
def delegate_nongaap_sign_off(
    *, actor, now: datetime, delegate, valid_from: date, valid_until: date, reason: str
) -> NonGaapDelegation:
    """The CFO names `delegate` to sign off Regulation G reviews in the CFO's place from `valid_from` to
    `valid_until` (New York dates, both included), with the reason. A delegation starts today or later: it
    never covers a sign-off already made. One live delegation to a person at a time."""
    require_aware(now, "now")
    _require_cfo(actor, "names a delegate for the Regulation G sign-off")
    if delegate is None or not delegate.is_active:
        raise ValidationError({"delegate": "Choose an active user."})
    if delegate == actor:
        raise ValidationError({"delegate": "You are the CFO: you sign off yourself, without a delegation."})
    if not may_be_delegate(delegate):
        raise ValidationError(
            {
                "delegate": f"{delegate} does not work on Regulation G reviews in the application: name an "
                "authorized officer, the Corporate Secretary or another manager of the program."
            }
        )
    require_text(reason, "reason", "Say why you delegate the sign-off.")
    if valid_from < _day(now):
        raise ValidationError({"valid_from": "A delegation starts today or later (New York date)."})
    overlapping = NonGaapDelegation.objects.filter(
        delegate=delegate, revoked_at__isnull=True, valid_from__lte=valid_until, valid_until__gte=valid_from
    ).first()
    if overlapping is not None:
        raise ValidationError(
            f"{delegate} already holds delegation #{overlapping.pk} for {overlapping.valid_from:%Y-%m-%d} to "
            f"{overlapping.valid_until:%Y-%m-%d}: revoke it first, or choose dates outside it."
        )
    return grant(
        NonGaapDelegation,
        actor=actor,
        now=now,
        valid_from=valid_from,
        valid_until=valid_until,
        noun="delegation",
        verb="delegate_nongaap_sign_off",
        delegator=actor,
        delegate=delegate,
        reason=reason,
    )


@transaction.atomic
def revoke_nongaap_delegation(
    *, actor, delegation: NonGaapDelegation, reason: str, now: datetime
) -> NonGaapDelegation:
    """The CFO ends a delegation at `now`, with the reason; it stays on record, and the reviews its delegate
    signed under it keep their capacity."""
    _require_cfo(actor, "revokes a delegation of the Regulation G sign-off")
    return revoke(
        delegation, actor=actor, now=now, reason=reason, noun="delegation", verb="revoke_nongaap_delegation"
    )
