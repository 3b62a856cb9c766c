"""One error format for the whole API:

    {"error": {"status": 400, "code": "invalid", "message": "...", "fields": {"field": ["..."]}}}

Django's ValidationError raised by a service becomes a 400 with the same shape, so a service's refusal
reads the same through the API as through a form; nothing a client sends can produce a 500. A body larger
than DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 and Django's other refusals of a request (too many fields or
files, SuspiciousOperation) a 400, here and, before any view runs, in compliance_site/middleware.py, which
answers with `error_response` (docs/architecture.md).
"""

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "request_too_large"


class BadRequest(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "The request cannot be read."
    default_code = "bad_request"


def error_payload(status_code: int, code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"status": status_code, "code": code, "message": message, "fields": fields or {}}}


def error_response(status_code: int, code: str, message: str) -> JsonResponse:
    """The API's error format outside DRF (the middleware refuses some requests before any view runs)."""
    return JsonResponse(error_payload(status_code, code, message), status=status_code)


def _django_validation_to_fields(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        # A service's record-wide problem ("__all__", Django's NON_FIELD_ERRORS) reads as DRF's own.
        return {
            ("non_field_errors" if field == "__all__" else field): [
                str(m) for e in errors for m in e.messages
            ]
            for field, errors in exc.error_dict.items()
        }
    return {"non_field_errors": [str(m) for m in exc.messages]}


def _flatten(detail):
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return [str(item) for item in detail]
        return [_flatten(item) for item in detail]
    return [str(detail)]


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_validation_to_fields(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    elif isinstance(exc, SuspiciousOperation):
        exc = BadRequest()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    fields = {}
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        if isinstance(detail, dict):
            fields = _flatten(detail)
            non_field = fields.get("non_field_errors") if set(fields) == {"non_field_errors"} else None
            message = "; ".join(non_field) if non_field else "The request has invalid fields."
        else:
            fields = {"non_field_errors": _flatten(detail)}
            message = "; ".join(fields["non_field_errors"])
        code = "invalid"
    else:
        message = str(exc.detail) if hasattr(exc, "detail") else str(exc)
        code = getattr(exc, "default_code", "error")
        if isinstance(getattr(exc, "detail", None), exceptions.ErrorDetail):
            code = exc.detail.code
    payload = error_payload(response.status_code, code, message, fields)
    headers = {k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After", "Allow")}
    if response.status_code == status.HTTP_401_UNAUTHORIZED and "WWW-Authenticate" not in headers:
        headers["WWW-Authenticate"] = 'Token realm="api"'
    return Response(payload, status=response.status_code, headers=headers)
