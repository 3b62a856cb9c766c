"""The second factor: who must have one, and the fresh check before a step that binds the company.

- **Required.** Whoever holds a capability in `roles.SECOND_FACTOR_CAPABILITIES` (who can approve, vote,
  sign, administer or read a case) must have an authenticator app (TOTP) or a security key (WebAuthn);
  recovery codes come with either. Without one, `SecondFactorRequiredMiddleware` sends them to set one up
  before anything else. `settings.MFA_REQUIRED` turns the rule on (the default everywhere but in tests
  that do not test it).
- **Fresh.** A vote, a committee decision, a FINAL document and a recovery entry need a second-factor check
  made within `settings.MFA_FRESH_CHECK_SECONDS` (5 minutes): on the pages, `fresh_second_factor_required`
  asks for a code (or the security key) and then carries on with the very step that was submitted; over the
  API, the session's recent check or the current code in the `X-MFA-Code` header (`check_api_request`).

README, "Second factor and single sign-on".
"""

import time
from functools import wraps

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.internal.flows.reauthentication import suspend_request
from allauth.mfa.base.forms import ReauthenticateForm
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from rest_framework import exceptions

from .roles import needs_second_factor

API_CODE_HEADER = "X-MFA-Code"
FRESH_CHECK_MESSAGE = (
    "This step binds the company: confirm it is you with your authenticator app, a recovery code or your "
    "security key."
)
SETUP_MESSAGE = (
    "Your role gives access to confidential compensation and disclosure records, so your account needs a "
    "second factor: set up an authenticator app (or a security key) to continue."
)


def enforced() -> bool:
    return bool(getattr(settings, "MFA_REQUIRED", True))


def second_factor_required(user) -> bool:
    """Whether `user` must have a second factor to use the application (the rule itself, when enforced)."""
    return bool(user.is_authenticated and user.is_active and needs_second_factor(user.role_set))


def has_second_factor(user) -> bool:
    # Recovery codes alone are a way back in, not a factor of their own.
    return is_mfa_enabled(user, [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN])


def must_set_up_second_factor(user) -> bool:
    return enforced() and second_factor_required(user) and not has_second_factor(user)


def has_fresh_second_factor(request) -> bool:
    """A second factor re-entered in this session within MFA_FRESH_CHECK_SECONDS (the sign-in's own check
    does not count: the check is asked for at the step, so the person sees what they confirm)."""
    if not enforced():
        return True
    now = time.time()
    return any(
        record.get("method") == "mfa"
        and record.get("reauthenticated")
        and now - record.get("at", 0) < settings.MFA_FRESH_CHECK_SECONDS
        for record in get_authentication_records(request, request.user)
    )


def ask_for_fresh_second_factor(request):
    """Keep the submitted step and go to the second-factor check; once passed, the step carries on."""
    if not has_second_factor(request.user):
        messages.warning(request, SETUP_MESSAGE)
        return redirect("mfa_index")
    methods = get_account_adapter(request).get_reauthentication_methods(request.user)
    messages.info(request, FRESH_CHECK_MESSAGE)
    return suspend_request(request, methods[0]["url"])


def fresh_second_factor_required(view=None, *, when=None):
    """Page decorator: a POST (for which `when(request)` holds, when given) needs a fresh second factor.
    Put it under `capability_required`, so someone who may not take the step is refused, not asked."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if (
                request.method == "POST"
                and (when is None or when(request))
                and not has_fresh_second_factor(request)
            ):
                return ask_for_fresh_second_factor(request)
            return view(request, *args, **kwargs)

        wrapped.fresh_second_factor = True
        return wrapped

    return decorator(view) if view is not None else decorator


class SecondFactorNeeded(exceptions.PermissionDenied):
    default_code = "second_factor_required"


def check_api_request(request) -> None:
    """API: the step needs the session's fresh check or the current code (authenticator app or an unused
    recovery code) in the X-MFA-Code header; otherwise a 403 saying so. A code is accepted once."""
    if not enforced() or has_fresh_second_factor(request):
        return
    check_code(request.user, request.headers.get(API_CODE_HEADER, ""))


def check_token_request(user, request) -> None:
    """Issuing an API token is a sign-in: a user whose role needs a second factor gives the current code in
    the X-MFA-Code header beside the password, so a token never goes round the second factor."""
    if enforced() and second_factor_required(user):
        check_code(user, request.headers.get(API_CODE_HEADER, ""))


def check_code(user, code: str) -> None:
    code = code.strip()
    if not has_second_factor(user):
        raise SecondFactorNeeded("Set up a second factor on the site before taking this step.")
    if not code:
        raise SecondFactorNeeded(
            f"This step needs a second factor: send the current code of your authenticator app (or a "
            f"recovery code) in the {API_CODE_HEADER} header."
        )
    # Validating spends the code (a TOTP code once per window, a recovery code for good); nothing is kept in
    # a session, which a token client does not have.
    if not ReauthenticateForm(user=user, data={"code": code}).is_valid():
        raise SecondFactorNeeded(f"The code in the {API_CODE_HEADER} header is not valid (or already used).")


def api_step_needs_fresh_second_factor(view, request) -> bool:
    """The API view declares its steps: `fresh_second_factor_actions = {"record_decision"}`, or a mapping of
    action to a test of the request (`{"create": lambda request: request.data.get("status") == "final"}`)."""
    declared = getattr(view, "fresh_second_factor_actions", None)
    action = getattr(view, "action", None)
    if not declared or action not in declared:
        return False
    when = declared[action] if isinstance(declared, dict) else None
    return when is None or bool(when(request))
