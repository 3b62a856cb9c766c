"""Collecting every problem of a record at once, as {field: [messages]}, so a form shows them all next to
their fields in one pass instead of one stage at a time."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def messages_of(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def errors_of(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            field: [str(m) for e in errors for m in e.messages] for field, errors in exc.error_dict.items()
        }
    return {"__all__": messages_of(exc)}


def collect(check) -> dict[str, list[str]]:
    """Run a check, returning its ValidationError as {field: [messages]} (empty when it passes)."""
    try:
        check()
    except ValidationError as exc:
        return errors_of(exc)
    return {}


def collect_value(errors: dict, compute):
    """compute(), or None with its errors merged into `errors`."""
    try:
        return compute()
    except ValidationError as exc:
        merge(errors, errors_of(exc))
        return None


def merge(errors: dict, more: dict) -> dict:
    for field, messages in more.items():
        for message in messages:
            if message not in errors.setdefault(field, []):
                errors[field].append(message)
    return errors
