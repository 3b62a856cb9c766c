"""Enforcement of the capability table in roles.py, for views, the API and the admin alike."""

from functools import wraps

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from rest_framework import permissions

from .mfa import api_step_needs_fresh_second_factor, check_api_request
from .roles import CAPABILITIES, Role

CAPABILITY_PREFIX = "cap:"


def has_capability(user, capability: str) -> bool:
    if capability not in CAPABILITIES:
        raise LookupError(f"unknown capability {capability!r}")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return capability in user.capabilities


class RoleBackend(ModelBackend):
    """Passwords as Django checks them; permissions from roles.

    `user.has_perm("cap:clawback.view")` answers from the capability table. Django model permissions
    (used only by the admin site) belong to Administrators alone, so the admin can never be a side door.
    """

    def has_perm(self, user_obj, perm, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous:
            return False
        if perm.startswith(CAPABILITY_PREFIX):
            return has_capability(user_obj, perm.removeprefix(CAPABILITY_PREFIX))
        return Role.ADMIN in user_obj.role_set

    def has_module_perms(self, user_obj, app_label):
        return user_obj.is_active and not user_obj.is_anonymous and Role.ADMIN in user_obj.role_set

    def get_all_permissions(self, user_obj, obj=None):
        return {CAPABILITY_PREFIX + cap for cap in getattr(user_obj, "capabilities", ())}


def capability_required(capability: str):
    """Function-view decorator: anonymous users go to the login page, others without it get a 403."""
    roles_check = CAPABILITIES[capability]  # fail at import time for a misspelt capability
    del roles_check

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not has_capability(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_capability = capability
        return wrapped

    return decorator


class CapabilityRequiredMixin(AccessMixin):
    """Class-based views: `capability = "regfd.view"`."""

    capability: str = ""
    raise_exception = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_capability(request.user, self.capability):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class HasCapability(permissions.BasePermission):
    """DRF: the view declares `capabilities = {"list": "regfd.view", "create": "regfd.manage", ...}`
    (by action) or `capability = "..."` for every action. Unauthenticated requests get a 401."""

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        if hasattr(view, "action_map") and getattr(view, "action", None) is None:
            return True  # a method the viewset does not route: let DRF answer 405
        capability = _capability_for(view)
        if not has_capability(request.user, capability):
            return False
        # A vote, a decision, a FINAL document, a recovery entry: a fresh second factor too (mfa.py).
        if api_step_needs_fresh_second_factor(view, request):
            check_api_request(request)
        return True


def _capability_for(view) -> str:
    per_action = getattr(view, "capabilities", None)
    if per_action:
        action = getattr(view, "action", None) or request_method_action(view)
        if action in per_action:
            return per_action[action]
        if "*" in per_action:
            return per_action["*"]
        raise LookupError(f"{type(view).__name__} has no capability for action {action!r}")
    capability = getattr(view, "capability", None)
    if not capability:
        raise LookupError(f"{type(view).__name__} declares no capability")
    return capability


def request_method_action(view) -> str:
    return {"GET": "read", "HEAD": "read", "OPTIONS": "read"}.get(view.request.method, "write")
