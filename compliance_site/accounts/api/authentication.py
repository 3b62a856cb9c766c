"""API tokens (django-rest-knox's: stored hashed, expiring), with the holder's time zone made current.

A session is known to the middleware, which makes the person's zone current for the whole request; a token
is read only when the API authenticates the request, after the middleware. Without this, the same endpoint
answered a token in UTC and a session in the person's zone."""

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework.authentication import get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from ..middleware import activate_user_zone


class TokenAuthentication(KnoxTokenAuthentication):
    def authenticate(self, request):
        try:
            get_authorization_header(request).decode("ascii")
        except UnicodeDecodeError:
            # knox decodes the token as UTF-8 and let the error through: a 500 for anyone, signed in or not.
            raise AuthenticationFailed("Invalid token.") from None
        found = super().authenticate(request)
        if found is not None:
            activate_user_zone(found[0])
        return found


class TokenScheme(KnoxTokenScheme):
    """The schema describes the subclass as knox's own token (drf-spectacular matches classes exactly)."""

    target_class = TokenAuthentication
