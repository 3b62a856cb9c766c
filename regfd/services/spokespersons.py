"""Authorized spokespersons (policy I.A) and keeping current (policy II.G).

The CEO and CFO, the users holding the Authorized Officer role, are the authorized officers and may speak to
Specified Persons. Anyone else may do so only under an authorized officer's written authorization, which
records the scope and content reviewed, any conditions, and its validity; an authorized officer can revoke it.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from compliance_site.accounts.models import RoleAssignment
from compliance_site.accounts.roles import Role
from compliance_site.lib.timefmt import EXCHANGE_TZ

from ..models import KeepingCurrentConfirmation, SpokespersonAuthorization
from .common import grant, require_aware, require_text, revoke, save


def is_authorized_officer(user) -> bool:
    """The CEO and CFO: an active user holding the Authorized Officer role (policy I.A)."""
    return bool(user is not None and user.is_active and user.has_role(Role.OFFICER))


def is_cfo(user) -> bool:
    """The CFO: the authorized officer whose role carries the CFO title (policy I.A, I.F). An officer whose
    role has no title is not taken for the CFO."""
    return is_authorized_officer(user) and user.officer_title == RoleAssignment.Title.CFO


def spokesperson_status(person, on: datetime) -> tuple[bool, str]:
    """May `person` communicate with Specified Persons at the instant `on`? (policy I.A)

    Yes if they are an authorized officer, or if an authorization by an authorized officer covers the New
    York calendar date of `on` and had not been revoked by then. Returns (authorized, a note saying why)."""
    require_aware(on, "on")
    if person is None:
        return False, "No spokesperson named."
    if is_authorized_officer(person):
        return True, f"{person} is an authorized officer (CEO/CFO)."
    if not person.is_active:
        return False, f"{person} is not an active user."
    day = on.astimezone(EXCHANGE_TZ).date()
    authorizations = SpokespersonAuthorization.objects.filter(
        person=person, valid_from__lte=day, valid_until__gte=day
    ).select_related("authorized_by")
    revoked = None
    for authorization in authorizations.order_by("-valid_until", "-id"):
        if authorization.revoked_at is not None and authorization.revoked_at <= on:
            revoked = authorization
            continue
        return True, (
            f"Authorized by {authorization.authorized_by} from {authorization.valid_from:%Y-%m-%d} "
            f"to {authorization.valid_until:%Y-%m-%d} (authorization #{authorization.pk})."
        )
    if revoked is not None:
        return False, (
            f"NOT AUTHORIZED: {person}'s authorization #{revoked.pk} covering {day:%Y-%m-%d} was revoked "
            f"on {revoked.revoked_at.astimezone(EXCHANGE_TZ):%Y-%m-%d}."
        )
    return False, (
        f"NOT AUTHORIZED: {person} is not an authorized officer and holds no authorization covering "
        f"{day:%Y-%m-%d}. Only the CEO, the CFO, or a person they have authorized may speak (policy I.A)."
    )


@transaction.atomic
def authorize_spokesperson(
    *,
    actor,
    now: datetime,
    person,
    scope: str,
    content_reviewed: str,
    valid_from: date,
    valid_until: date,
    conditions: str = "",
) -> SpokespersonAuthorization:
    """An authorized officer (the actor) authorizes another officer or employee to communicate with
    Specified Persons, having reviewed the scope and content (policy I.A). `now` is recorded as when the
    authorization was given."""
    if not is_authorized_officer(actor):
        raise ValidationError("Only an authorized officer (the CEO or CFO) may authorize a spokesperson.")
    if person is None or not person.is_active:
        raise ValidationError({"person": "Choose an active user."})
    if is_authorized_officer(person):
        raise ValidationError({"person": f"{person} is an authorized officer and needs no authorization."})
    require_text(scope, "scope", "Say which Specified Persons and topics this covers.")
    require_text(content_reviewed, "content_reviewed", "Describe the content you reviewed and authorized.")
    return grant(
        SpokespersonAuthorization,
        actor=actor,
        now=now,
        valid_from=valid_from,
        valid_until=valid_until,
        noun="authorization",
        person=person,
        authorized_by=actor,
        scope=scope,
        content_reviewed=content_reviewed,
        conditions=conditions,
    )


@transaction.atomic
def revoke_spokesperson_authorization(
    *, actor, authorization: SpokespersonAuthorization, reason: str, now: datetime
) -> SpokespersonAuthorization:
    """An authorized officer withdraws an authorization, with the reason; it stays on record."""
    if not is_authorized_officer(actor):
        raise ValidationError("Only an authorized officer (the CEO or CFO) may revoke an authorization.")
    return revoke(
        authorization,
        actor=actor,
        now=now,
        reason=reason,
        noun="authorization",
        verb="revoke_spokesperson_authorization",
    )


def is_spokesperson(person) -> bool:
    """An authorized officer, or a person holding an authorization that is current or was ever granted and
    not revoked (a spokesperson whose authorization ended still confirms the period it covered)."""
    if is_authorized_officer(person):
        return True
    return SpokespersonAuthorization.objects.filter(person=person, revoked_at__isnull=True).exists()


@transaction.atomic
def confirm_keeping_current(
    *,
    actor,
    now: datetime,
    period_label: str,
    reviewed_filings: bool,
    reviewed_press_releases: bool,
    attended_or_heard_calls: bool,
    notes: str = "",
) -> KeepingCurrentConfirmation:
    """A spokesperson confirms, for themselves, that they kept current for a period: reviewed all SEC
    filings and press releases and attended or listened to all public calls (policy II.G). The confirmation
    is always the actor's own; all three statements are required."""
    require_aware(now, "now")
    if not is_spokesperson(actor):
        raise ValidationError("Only a spokesperson (an authorized officer or an authorized person) confirms.")
    missing = {
        name: "Required: the policy asks spokespersons to do all three."
        for name, value in (
            ("reviewed_filings", reviewed_filings),
            ("reviewed_press_releases", reviewed_press_releases),
            ("attended_or_heard_calls", attended_or_heard_calls),
        )
        if value is not True
    }
    if missing:
        raise ValidationError(missing)
    period_label = period_label.strip()
    confirmation = KeepingCurrentConfirmation(
        person=actor,
        period_label=period_label,
        reviewed_filings=True,
        reviewed_press_releases=True,
        attended_or_heard_calls=True,
        notes=notes,
        confirmed_at=now,
    )
    return save(confirmation, actor=actor)
