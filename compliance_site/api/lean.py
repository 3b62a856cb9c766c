"""Lean reads: the same JSON as a DRF ModelSerializer, written with a fraction of the work per value.

A list page of 50 rows and 30 fields asks DRF for 1,500 values, and each goes through `get_attribute`
(a walk of the source path, a callable check, a PKOnlyObject for a relation) and, for a time, through
`enforce_timezone` (a look-up of the current zone every time). `LeanModelSerializer` plans each field once
per serializer (so once per request, for every row of a list) and then reads straight from the instance:

- a plain attribute is read with `getattr`, and None stays None, as DRF does;
- a primary-key relation is read from its `<name>_id` column: the same number DRF gives, without touching
  the related object;
- a date-time is converted to the zone DRF would use (the field's, or the current one, looked up once) and
  written as DRF writes ISO 8601 (`Z` for UTC);
- anything else (dotted sources, methods, `source="*"`, custom formats) goes through DRF's own
  `get_attribute` and `to_representation`, so its output is DRF's by construction.

Writes are not touched: only `to_representation` is. tests/performance/test_lean_serializers.py compares
every list endpoint's answer with the stock serializer's, value by value.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from rest_framework import ISO_8601, serializers
from rest_framework.fields import SkipField
from rest_framework.relations import ManyRelatedField, PKOnlyObject, PrimaryKeyRelatedField, RelatedField
from rest_framework.settings import api_settings

_Step = tuple[str, Callable[[Any], Any], Callable[[Any], Any] | None]


def _iso(zone):
    def represent(value):
        if isinstance(value, str):
            return value
        if zone is not None:
            value = value.astimezone(zone)
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return represent


def _drf_read(field):
    """DRF's own read, with its PKOnlyObject for relations unwrapped the way its serializer checks None."""

    def read(instance):
        attribute = field.get_attribute(instance)
        if isinstance(attribute, PKOnlyObject) and attribute.pk is None:
            return None
        return attribute

    return read


def _is_plain_attribute(model, name: str) -> bool:
    """A model field or a property: not a method DRF would call."""
    try:
        model._meta.get_field(name)
        return True
    except FieldDoesNotExist:
        return isinstance(getattr(model, name, None), property)


def _plan_field(model, field) -> _Step:
    name = field.field_name
    source = field.source
    simple = source != "*" and "." not in source
    if simple and type(field) is PrimaryKeyRelatedField and field.pk_field is None:
        try:
            column = model._meta.get_field(source).attname
        except FieldDoesNotExist:
            column = None
        if column and column != source:
            return name, attrgetter(column), None
    related = isinstance(field, RelatedField | ManyRelatedField)
    if related or not simple or model is None or not _is_plain_attribute(model, source):
        return name, _drf_read(field), field.to_representation
    read = attrgetter(source)
    if type(field) is serializers.DateTimeField:
        output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
        if output_format is not None and output_format.lower() == ISO_8601:
            zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()
            return name, read, _iso(zone)
    return name, read, field.to_representation


class LeanModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose reads follow a plan made once per serializer (see the module)."""

    def _lean_plan(self) -> list[_Step]:
        plan = self.__dict__.get("_plan")
        if plan is None:
            model = getattr(getattr(self, "Meta", None), "model", None)
            plan = self.__dict__["_plan"] = [_plan_field(model, field) for field in self._readable_fields]
        return plan

    def to_representation(self, instance):
        row = {}
        for name, read, represent in self._lean_plan():
            try:
                value = read(instance)
            except SkipField:
                continue
            if value is None:
                row[name] = None
            elif represent is None:
                row[name] = value
            else:
                row[name] = represent(value)
        return row
