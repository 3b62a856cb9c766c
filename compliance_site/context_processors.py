from functools import cache

from django.conf import settings
from django.utils import timezone

from compliance_site.accounts.permissions import has_capability
from compliance_site.navigation import navigation_for
from compliance_site.notifications.selectors import last_sweep, unread_count
from compliance_site.ops.services import heartbeat_is_stale


def site(request):
    user = getattr(request, "user", None)
    now = timezone.now()
    signed_in = user is not None and user.is_authenticated
    return {
        "nav_items": navigation_for(user) if user is not None else [],
        "now": now,
        "site_environment": settings.ENVIRONMENT,
        # Lazy and memoized: templates call a callable, so each costs its one query only on a page that shows
        # it (the header does, once), never on fragments, and nothing for anonymous visitors.
        "notifications_unread": cache(lambda: unread_count(user)) if signed_in else 0,
        "reminder_sweep_stale": cache(lambda: _sweep_stale(user, now)) if signed_in else False,
    }


def _sweep_stale(user, now) -> bool:
    """Administrators are warned when the reminder sweep has not run for 5 minutes (beat or workers down)."""
    if not has_capability(user, "ops.view"):
        return False
    return heartbeat_is_stale(last_sweep(), now=now)
