"""How long a free text may be: the one table of limits, read by the forms, the serializers and the services.

Finding 7: nine megabytes of incident text were accepted and stored. Names, titles and references are
model `CharField`s, bounded by their column (200 or 300 characters). The narratives are `TextField`s, which
the database does not bound; their limits are here, by field name, and are enforced three times:

- in the services: `install_model_limits()` (at start-up, `compliance_site/apps.py`) adds a validator to every
  model `TextField` named below, so the `full_clean()` every service runs before saving refuses an oversized
  text whatever brought it (a page, the API, the spreadsheet import, a scenario file, the admin, a shell).
  No column changes, so no migration: the validator is attached to the field at start-up, not declared in
  its definition (docs/architecture.md, "Services");
- on the pages and in the API: `limit_text_fields(__name__)` at the end of a forms or serializers module
  gives each free-text field of its forms and serializers named below its `max_length` (a form error or a
  400 naming the field, before any service runs); a `ModelSerializer` field inherits the model's validator.

A limit is generous for what a person types in a box: a long narrative is 20,000 characters (some eight
pages); a reason or an explanation, 5,000. A longer text belongs in an attached document.
"""

import sys

NARRATIVE = 20_000
EXPLANATION = 5_000

TEXT_LIMITS: dict[str, int] = {
    # Reg FD: the incident, its assessment and exclusions, and the records kept under the policy.
    "information": NARRATIVE,
    "materiality_assessment": NARRATIVE,
    "counsel_rationale": NARRATIVE,
    "rationale": NARRATIVE,
    "evidence": NARRATIVE,
    "deadline_explanation": NARRATIVE,
    "participants": NARRATIVE,
    "script": NARRATIVE,
    "record_of_discussion": NARRATIVE,
    "debrief_notes": NARRATIVE,
    "request": NARRATIVE,
    "response": NARRATIVE,
    "reconciliation": NARRATIVE,
    "usefulness_statement": NARRATIVE,
    "details": NARRATIVE,
    "answer": NARRATIVE,
    "scope": NARRATIVE,
    "content_reviewed": NARRATIVE,
    "conditions": NARRATIVE,
    "notes": NARRATIVE,
    # Clawback: the case, estimates, decisions, recovery and impracticability.
    "description": NARRATIVE,
    "method": NARRATIVE,
    "documents": NARRATIVE,
    "resolution": NARRATIVE,
    "invalidated_reason": NARRATIVE,
    "cost_description": NARRATIVE,
    "attempts": NARRATIVE,
    "opinion": NARRATIVE,
    "plan_description": NARRATIVE,
    # Where imported figures come from (an event study's prices).
    "source": EXPLANATION,
    # Reasons given for a step (closing, revoking, reversing, a change after sign-off).
    "reason": EXPLANATION,
    "comment": EXPLANATION,
    "outcome_reason": EXPLANATION,
    "closed_reason": EXPLANATION,
    "revocation_reason": EXPLANATION,
    "reversal_reason": EXPLANATION,
    "void_reason": EXPLANATION,
}


def limit_for(name: str) -> int | None:
    """The most characters field `name` may hold, or None when it is not a free text of the table."""
    return TEXT_LIMITS.get(name)


def too_long_message(limit: int, *, counted: bool = True) -> str:
    """The refusal, in words a person can act on; `counted` adds the length they typed (`%(show_value)d`,
    filled in by Django's validator)."""
    length = " (it has %(show_value)d)" if counted else ""
    return (
        f"This text is too long: at most {limit:,} characters{length}. "
        "Shorten it, or attach the full text as a document."
    )


def _bounded_validator(limit: int):
    from django.core.validators import MaxLengthValidator

    return MaxLengthValidator(limit, message=too_long_message(limit))


def install_model_limits(models) -> int:
    """Attach the limit of the table to every `TextField` of `models` named in it; returns how many.

    The validator goes on the field's cached `validators`, not in its definition (`_validators`), so
    `makemigrations` sees no change. Safe to call twice."""
    from django.core.validators import MaxLengthValidator
    from django.db.models import TextField

    installed = 0
    for model in models:
        for field in model._meta.local_fields:
            limit = limit_for(field.name)
            if not isinstance(field, TextField) or field.max_length or limit is None:
                continue
            if not any(isinstance(v, MaxLengthValidator) for v in field.validators):
                field.validators = [*field.validators, _bounded_validator(limit)]
            installed += 1
    return installed


def _bound_form_field(field, limit: int) -> None:
    field.max_length = limit
    field.validators.append(_bounded_validator(limit))
    field.error_messages = {**field.error_messages, "max_length": too_long_message(limit)}
    field.widget.attrs.update(field.widget_attrs(field.widget))  # maxlength: the browser stops there too


def _bound_serializer_field(field, limit: int) -> None:
    # A serializer's declared fields are rebuilt from their constructor arguments for every instance
    # (Field.__deepcopy__), so the limit goes into those arguments.
    field._kwargs["max_length"] = limit
    field._kwargs["error_messages"] = {
        **field._kwargs.get("error_messages", {}),
        "max_length": too_long_message(limit, counted=False),
    }


def limit_text_fields(module_name: str) -> None:
    """Give every free-text field of the forms and serializers defined in `module_name` the limit of the
    table (unless it already has a lower one). Called once at the end of each forms or serializers module.
    """
    from django import forms
    from rest_framework import serializers

    module = sys.modules[module_name]
    for cls in list(vars(module).values()):
        if not isinstance(cls, type) or cls.__module__ != module_name:
            continue
        if issubclass(cls, forms.BaseForm):
            for name, field in cls.base_fields.items():
                limit = limit_for(name)
                if limit and type(field) is forms.CharField and (field.max_length or limit + 1) > limit:
                    _bound_form_field(field, limit)
        elif issubclass(cls, serializers.Serializer):
            for name, field in cls._declared_fields.items():
                limit = limit_for(name)
                if (
                    limit
                    and type(field) is serializers.CharField
                    and not field.read_only
                    and (field.max_length is None or field.max_length > limit)
                ):
                    _bound_serializer_field(field, limit)
