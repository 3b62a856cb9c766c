"""API tokens: issued for a user name and password, stored hashed (django-rest-knox keeps a SHA-512 digest,
never the token), expiring after API_TOKEN_TTL_HOURS, listed without their secret, revoked one by one or all
at once, and all revoked when the user's password changes, whatever changed it (README, "API tokens").

A token is named in lists and in the revoke endpoint by `public_id`: the start of its digest, which says
nothing about the token itself.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.http import Http404
from django.utils import timezone
from knox.models import AuthToken

from .signals import password_changed

PUBLIC_ID_LENGTH = 16


def public_id(token: AuthToken) -> str:
    return token.digest[:PUBLIC_ID_LENGTH]


def live_tokens_of(user):
    """The user's tokens that still authenticate, newest first."""
    alive = Q(expiry__isnull=True) | Q(expiry__gt=timezone.now())
    return AuthToken.objects.filter(alive, user=user).order_by("-created")


@transaction.atomic
def issue_token(*, user) -> tuple[AuthToken, str]:
    """A new token for `user`: the stored row and the token itself, which is shown once and never again."""
    # Expired rows are dead weight: knox deletes them lazily, here they go when their owner asks for another.
    AuthToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
    limit = settings.API_TOKEN_LIMIT_PER_USER
    if live_tokens_of(user).count() >= limit:
        raise PermissionDenied(
            f"You already have {limit} API tokens that have not expired. Revoke one you no longer use "
            "(DELETE /api/auth/tokens/<id>/, or POST /api/auth/logout-all/ for all of them) and ask again."
        )
    return AuthToken.objects.create(user=user, expiry=settings.API_TOKEN_TTL)


def revoke_token(*, user, token_id: str) -> None:
    """Revoke one of `user`'s tokens. Another user's token is not found, like one that does not exist."""
    if len(token_id) != PUBLIC_ID_LENGTH:
        raise Http404("No such token.")
    deleted, _ = AuthToken.objects.filter(user=user, digest__startswith=token_id).delete()
    if not deleted:
        raise Http404("No such token.")


def revoke_all_tokens(*, user) -> int:
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted


# ---- Every token dies with the password ----------------------------------------------------------------


@receiver(password_changed, dispatch_uid="tokens-revoke-on-password-change")
def _revoke_tokens_on_password_change(sender, user, **kwargs):
    revoke_all_tokens(user=user)
