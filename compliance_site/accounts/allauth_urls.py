"""django-allauth's routes under /accounts/, after this application's own (sign-in, sign-out, password):
the second factor (/accounts/2fa/), re-authentication and the single sign-on providers.

Accounts are created by the administrator, so allauth's self-service pages (sign-up, e-mail addresses,
password reset by e-mail, sign-in by e-mailed code) are not served: they answer 404 here, before allauth's
own routes are reached.
"""

from django.http import Http404
from django.urls import include, path, re_path


def not_offered(request, *args, **kwargs):
    raise Http404("Not offered: accounts are managed by the administrator.")


_NOT_OFFERED = (
    r"^signup/",
    r"^email/",
    r"^confirm-email/",
    r"^password/(change|set|reset)/",
    r"^login/code/",
    r"^reauthenticate/code/",
)

urlpatterns = [
    *(re_path(pattern, not_offered) for pattern in _NOT_OFFERED),
    path("", include("allauth.urls")),
]
