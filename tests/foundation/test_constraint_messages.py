"""A database rule that a form or an API call trips reads as a sentence, never as "Constraint “name” is
violated.": every check constraint and every conditional unique constraint carries its own message (a plain
unique constraint's default, "… with this … already exists.", already reads as one)."""

from django.apps import apps
from django.db.models import BaseConstraint, UniqueConstraint

OURS = ("clawback.", "regfd.", "compliance_site.")


def test_every_constraint_that_django_would_name_has_a_sentence_instead():
    unnamed = []
    # Our models only: a library's constraints (allauth's) guard its own forms, which say it their way.
    for model in (m for m in apps.get_models() if m.__module__.startswith(OURS)):
        for constraint in model._meta.constraints:
            reads_well = (
                isinstance(constraint, UniqueConstraint) and constraint.fields and not constraint.condition
            )
            if (
                not reads_well
                and constraint.violation_error_message == BaseConstraint.default_violation_error_message
            ):
                unnamed.append(f"{model._meta.label}.{constraint.name}")
    assert unnamed == []
