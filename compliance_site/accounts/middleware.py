import zoneinfo

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone

from .mfa import SETUP_MESSAGE, must_set_up_second_factor


def activate_user_zone(user) -> None:
    """Make the person's own zone current (the server's, UTC, for someone anonymous or without one)."""
    tz = getattr(user, "time_zone", None) if user is not None and user.is_authenticated else None
    try:
        zone = zoneinfo.ZoneInfo(tz) if tz else None
    except zoneinfo.ZoneInfoNotFoundError:
        zone = None
    if zone is None:
        timezone.deactivate()
    else:
        timezone.activate(zone)


class UserTimezoneMiddleware:
    """Activates the signed-in user's zone on the pages, so `{% dual_time %}` can show it next to ET. The API
    answers in UTC whoever asks and however they sign in (a field in ET says so in its name): a program must
    not read another zone because the person whose session or token it uses chose one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX):  # below any SCRIPT_NAME prefix
            timezone.deactivate()
        else:
            activate_user_zone(getattr(request, "user", None))
        return self.get_response(request)


API_PREFIX = "/api/"


# What someone who must still set up a second factor may reach: the set-up pages themselves (allauth's
# `mfa_*` and `account_*` routes), signing out, and the health check.
_SETUP_ROUTES = ("mfa_", "account_")
_SETUP_ALLOWED = {"accounts:logout", "healthz"}


class SecondFactorRequiredMiddleware:
    """Sends a signed-in person whose role needs a second factor, and who has none yet, to set one up before
    anything else (compliance_site/accounts/mfa.py). The API answers such a session with a 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not must_set_up_second_factor(user):
            return None
        match = request.resolver_match
        if match is not None and (
            match.view_name in _SETUP_ALLOWED or match.view_name.startswith(_SETUP_ROUTES)
        ):
            return None
        if request.path.startswith("/api/"):
            # The API's error format imports DRF: not at start-up, where AccountsConfig.ready imports this
            # module for its sign-in signal (a command needs neither).
            from compliance_site.api.errors import error_response

            return error_response(403, "second_factor_setup_required", SETUP_MESSAGE)
        messages.warning(request, SETUP_MESSAGE)
        return redirect("mfa_index")


class SessionIdleTouchMiddleware:
    """Keeps the session's idle timeout sliding without writing the session on every request.

    Saving the session on every request (Django's SESSION_SAVE_EVERY_REQUEST) is an UPDATE and a commit per
    page view, most of them moving the expiry by a few seconds. Here a session is written when something in
    it changed, or when its expiry was last pushed back more than SESSION_TOUCH_SECONDS ago: a person idle
    for SESSION_COOKIE_AGE is still signed out, at most SESSION_TOUCH_SECONDS early. Placed after
    SessionMiddleware, whose response step does the write."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.every = settings.SESSION_TOUCH_SECONDS

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.modified and not session.is_empty():
            now = int(timezone.now().timestamp())
            if now - session.get(TOUCHED, 0) >= self.every:
                session[TOUCHED] = now
        return response


TOUCHED = "_touched"


def stamp_session_at_sign_in(sender, request, user, **kwargs):
    """Signing in writes the session anyway: it carries the first stamp, so the first page after it does
    not write the session again (connected in AccountsConfig.ready)."""
    if hasattr(request, "session"):
        request.session[TOUCHED] = int(timezone.now().timestamp())
