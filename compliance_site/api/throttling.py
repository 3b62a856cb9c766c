"""Sign-in throttles: how fast user names and passwords may be tried, on POST /api/auth/token/ and on the
login page (compliance_site/middleware.py), beside django-axes' lock-out of a user name at one address.

- Per client address (SIGN_IN_RATE_PER_ADDRESS): one address spraying many user names. The address is the
  one the trusted proxies vouch for (compliance_site/accounts/client_address.py), never the proxy's own.
- Per user name, token endpoint only (SIGN_IN_RATE_PER_USERNAME): guessing one account's password from many
  addresses. Someone else can use up this allowance for a user; the login page is not limited this way, so
  that person can still sign in to the pages, and the tokens they already hold keep working (README,
  "Sign-in limits").

Only POSTs count: showing the login page or asking the token endpoint for its methods is not an attempt.
"""

import hashlib

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from compliance_site.accounts.client_address import client_address


class _SignInThrottle(SimpleRateThrottle):
    setting = ""

    def get_rate(self):
        # Read on each request rather than once at import: the rates are settings like any other.
        return getattr(settings, self.setting)

    def get_ident(self, request):
        return client_address(request)

    def allow_request(self, request, view):
        if request.method != "POST":
            return True
        return super().allow_request(request, view)


class SignInAddressThrottle(_SignInThrottle):
    scope = "sign-in-address"
    setting = "SIGN_IN_RATE_PER_ADDRESS"

    def __init__(self, scope: str = "api-token"):
        # The token endpoint and the login page count separately: an integration asking for its tokens does
        # not use up the allowance of the people signing in to the pages from the same office.
        self.scope = f"sign-in-address-{scope}"
        super().__init__()

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class SignInUsernameThrottle(_SignInThrottle):
    scope = "sign-in-username"
    setting = "SIGN_IN_RATE_PER_USERNAME"

    def get_cache_key(self, request, view):
        data = getattr(request, "data", None)
        username = data.get("username") if hasattr(data, "get") else None
        if not isinstance(username, str) or not username:
            return None
        # Hashed: a user name may be long or hold characters a cache key cannot.
        ident = hashlib.sha256(username.encode("utf-8", "surrogatepass")).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}


def retry_message(wait: float | None) -> str:
    if wait is None:
        return "Too many sign-in attempts. Wait a minute and try again."
    seconds = max(1, round(wait))
    return f"Too many sign-in attempts. Try again in {seconds} seconds."
