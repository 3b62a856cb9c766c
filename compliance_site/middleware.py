"""Hostile input is refused at the edge, with a clear 4xx, before any view can turn it into a 500.

One middleware (docs/architecture.md), listed before CsrfViewMiddleware so it sees a request's body before
anything parses it:

- a NUL character in the query string, or in a posted form field, is a 400: PostgreSQL text cannot hold one,
  so a search for "a%00b" would otherwise fail deep in the database driver;
- a body larger than DATA_UPLOAD_MAX_MEMORY_SIZE is a 413: for form posts Django raises RequestDataTooBig on
  reading it, but DRF reads a JSON body straight from the stream, past that limit. File uploads are
  multipart, and their files do not count towards that limit: a multipart body may be as large as the
  largest attachment (ATTACHMENT_MAX_BYTES) plus DATA_UPLOAD_MAX_MEMORY_SIZE of fields;
- Django's own refusals (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent) raised while a view reads
  the request become the same 413/400 instead of Django's bare page.

Pages get the app's 400 page (templates/errors/400.html), the API its error format
(compliance_site/api/errors.py). Nothing is read or written in the database before the refusal.

Two more guards at the edge, listed just after it: every API response is `Cache-Control: no-store`
(NoStoreAPIMiddleware), and the login page's POSTs are limited per client address (SignInThrottleMiddleware,
README "Sign-in limits").
"""

import math

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from compliance_site.api.errors import error_response
from compliance_site.api.throttling import SignInAddressThrottle, retry_message

NUL = "\x00"
API_PREFIX = "/api/"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# What Django raises on reading a request it will not parse: too many fields or files (SuspiciousOperation),
# a malformed multipart body, a BadRequest.
UNREADABLE = (SuspiciousOperation, MultiPartParserError, BadRequest)


def refuse(request, status: int, message: str):
    """A 4xx in the form the client reads: the API's JSON error, or the app's error page."""
    if request.path.startswith(API_PREFIX):
        code = "request_too_large" if status == 413 else "bad_request"
        return error_response(status, code, message)
    return render(request, "errors/400.html", {"status": status, "message": message}, status=status)


def _has_nul(querydict) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in querydict.lists())


def _content_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def body_limit(request) -> int | None:
    """The largest body this request may carry, in bytes (None: no limit)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None:
        return None
    if request.content_type == "multipart/form-data":
        return limit + settings.ATTACHMENT_MAX_BYTES
    return limit


class HostileInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Here rather than in __call__: the user is known, so the error page shows the usual header.
        try:
            if _has_nul(request.GET):
                return refuse(request, 400, "The address contains a NUL character, which no field accepts.")
            limit = body_limit(request)
            if limit is not None and _content_length(request) > limit:
                return refuse(request, 413, f"The request is larger than {limit // 1024} KB.")
            # Form posts to pages (not to the API's csrf-exempt views, which parse after authentication and
            # whose serializers refuse NUL themselves): CsrfViewMiddleware would read request.POST next.
            if (
                request.method == "POST"
                and request.content_type in FORM_TYPES
                and not getattr(view_func, "csrf_exempt", False)
                and _has_nul(request.POST)
            ):
                return refuse(request, 400, "A field contains a NUL character, which no field accepts.")
        except RequestDataTooBig:
            return refuse(request, 413, "The request is too large.")
        except UNREADABLE:
            return refuse(request, 400, "The request cannot be read.")
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, RequestDataTooBig):
            return refuse(request, 413, "The request is too large.")
        if isinstance(exception, UNREADABLE):
            return refuse(request, 400, "The request cannot be read.")
        return None


class NoStoreAPIMiddleware:
    """Every API response is `Cache-Control: no-store`: what the API returns is a case, a person's record or a
    new token, never something a browser or a proxy should keep a copy of (docs/architecture.md)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(API_PREFIX):
            patch_cache_control(response, no_store=True, private=True)
        return response


class SignInThrottleMiddleware:
    """The login page's POSTs are limited per client address (SIGN_IN_RATE_PER_ADDRESS), as the token
    endpoint's are (compliance_site/api/throttling.py); past the limit, a 429 page says when to try again.
    Here rather than in the view, so that whichever view serves sign-in (SIGN_IN_VIEW_NAMES) is covered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = getattr(request, "resolver_match", None)
        if request.method != "POST" or match is None or match.view_name not in settings.SIGN_IN_VIEW_NAMES:
            return None
        throttle = SignInAddressThrottle(scope="login-page")
        if throttle.allow_request(request, None):
            return None
        wait = throttle.wait()
        response = render(
            request,
            "errors/429.html",
            {"message": retry_message(wait), "minutes": max(1, math.ceil((wait or 60) / 60))},
            status=429,
        )
        response["Retry-After"] = str(max(1, math.ceil(wait or 60)))
        return response
