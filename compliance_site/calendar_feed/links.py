"""A person's calendar link: made, turned off, and turned off by a password change. Apart from the feed
(`services`) because the password-change receiver is connected at every start-up (CalendarFeedConfig.ready),
and the feed brings the iCalendar library, which a command has no use for."""

import secrets
from datetime import datetime

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from compliance_site.accounts.signals import password_changed
from compliance_site.audit.recorder import audit_context, record_action

from .models import CalendarFeedToken
from .selectors import digest_of

TOKEN_BYTES = 32


@transaction.atomic
def issue_feed_link(*, user, now: datetime) -> str:
    """Make `user` a new calendar link and return its secret, which is shown once and never stored (only its
    SHA-256 is). A link the user had stops working at once: there is one live link per person."""
    revoked = CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = CalendarFeedToken(user=user, digest=digest_of(token), created_at=now)
    link.full_clean()
    link.save()
    with audit_context(actor=user):
        record_action(
            actor=user, verb="make_calendar_link", obj=user, details={"replaced_a_live_link": bool(revoked)}
        )
    return token


@transaction.atomic
def revoke_feed_link(*, user, now: datetime, reason: str = "") -> bool:
    """Turn off `user`'s calendar link: the feed then answers 404 to it. False if there was none."""
    revoked = CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    if revoked:
        with audit_context(actor=user):
            record_action(actor=user, verb="turn_off_calendar_link", obj=user, reason=reason)
    return bool(revoked)


@receiver(password_changed, dispatch_uid="calendar-link-revoke-on-password-change")
def _revoke_link_on_password_change(sender, user, **kwargs):
    # The link opens the person's deadlines without a sign-in, like an API token: it dies with the password.
    revoke_feed_link(user=user, now=timezone.now(), reason="The password was changed.")
