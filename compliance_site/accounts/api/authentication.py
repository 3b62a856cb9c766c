"""API tokens: django-rest-knox's (stored hashed, expiring), refusing a header that is not ASCII with a 401.
knox decodes the token as UTF-8 and lets the error through: a 500 for anyone, signed in or not."""

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework.authentication import get_authorization_header
from rest_framework.exceptions import AuthenticationFailed


class TokenAuthentication(KnoxTokenAuthentication):
    def authenticate(self, request):
        try:
            get_authorization_header(request).decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("Invalid token.") from None
        return super().authenticate(request)


class TokenScheme(KnoxTokenScheme):
    """The schema describes the subclass as knox's own token (drf-spectacular matches classes exactly)."""

    target_class = TokenAuthentication
