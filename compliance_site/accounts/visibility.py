"""Which records of a model a user may see: each app's selectors register their rule here, so attachments,
the audit history and exports ask one question (`can_view`) whatever the record is."""

from collections.abc import Callable

from django.db import models

_rules: dict[type[models.Model], Callable] = {}


def visible_to(model: type[models.Model]):
    """Decorator for a selector `f(user) -> QuerySet` of the records of `model` the user may see."""

    def wrap(selector):
        _rules[model] = selector
        return selector

    return wrap


def has_rule(model: type[models.Model]) -> bool:
    return model in _rules


def visible_queryset(user, model: type[models.Model]) -> models.QuerySet:
    rule = _rules.get(model)
    if rule is None:
        # A record type nobody declared visibility for is visible to nobody: fail closed.
        return model._default_manager.none()
    return rule(user)


def can_view(user, obj: models.Model) -> bool:
    return visible_queryset(user, type(obj)).filter(pk=obj.pk).exists()
