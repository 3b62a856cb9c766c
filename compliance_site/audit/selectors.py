import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import dateformat
from django.utils.text import capfirst

from compliance_site.accounts.permissions import has_capability
from compliance_site.accounts.visibility import has_rule, visible_queryset
from compliance_site.lib import timefmt

from .models import AuditEvent
from .walls import walled_events


def events_visible_to(user) -> QuerySet[AuditEvent]:
    """The trail a user may read: everything, for a holder of audit.view, but the entries about records
    walled from them (a covered executive never reads the history of the case about their own pay, nor of
    anything belonging to it: docs/architecture.md, "The audit walls"). Every reader of the trail starts
    here: the walls cost one query whatever their number, and the trail stays one query."""
    if not has_capability(user, "audit.view"):
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.select_related("actor").order_by("-seq")
    walled = walled_events(user)
    return qs.exclude(walled) if walled is not None else qs


def filter_events(
    qs: QuerySet[AuditEvent],
    *,
    q="",
    actor="",
    object_type="",
    action="",
    date_from=None,
    date_to=None,
    zone: tzinfo = UTC,
) -> QuerySet[AuditEvent]:
    """The events matching a filter. `date_from` and `date_to` are calendar dates in `zone`, both included:
    UTC for the API (as its schema says), New York for the audit trail page (as its form says)."""
    if q:
        qs = qs.filter(Q(object_repr__icontains=q) | Q(reason__icontains=q) | Q(verb__icontains=q))
    if actor:
        qs = qs.filter(actor_repr__iexact=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if action:
        qs = qs.filter(action=action)
    # Compare instants: midnight starting each date in `zone`. Midnight exists exactly once in New York (the
    # DST changes happen at 02:00), so combining a date with the zone is never ambiguous.
    if date_from:
        qs = qs.filter(at__gte=datetime.combine(date_from, time.min, tzinfo=zone))
    if date_to and date_to < date.max:  # up to the last day there is: no upper bound (date.max + 1 overflows)
        qs = qs.filter(at__lt=datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone))
    return qs


def record_history(user, *, object_type: str, object_id: str) -> QuerySet[AuditEvent]:
    """A record's events, unless the record itself is hidden from the user (a covered executive who may read
    the audit trail still never sees the history of the case about their own pay)."""
    qs = events_visible_to(user).filter(object_type=object_type, object_id=str(object_id))
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return qs
    if has_rule(model) and model._default_manager.filter(pk=object_id).exists():
        if not visible_queryset(user, model).filter(pk=object_id).exists():
            return qs.none()
    return qs


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model, name: str):
    """The model field an entry's key names; the key is the field's attname (`executive_id`) for a
    relation, which get_field also answers to."""
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def field_label(model, name: str) -> str:
    """A field as the forms name it ("Amount owed"), else the name in words ("Amount owed" from
    `amount_owed`)."""
    field = _field(model, name)
    if field is not None and getattr(field, "verbose_name", None):
        return _SHA256.sub("SHA-256", capfirst(str(field.verbose_name)))
    return _SHA256.sub("SHA-256", capfirst(name.removesuffix("_id").replace("_", " ").strip())) or name


_SHA256 = re.compile(r"\bsha256\b", re.IGNORECASE)


def _is_user_ref(field) -> bool:
    return field is not None and field.is_relation and field.related_model is get_user_model()


# Words the stored names spell in lower case: `sign_off_nongaap_review` reads "Sign off non-GAAP review".
_WORDS = {
    "nongaap": "non-GAAP",
    "gaap": "GAAP",
    "regfd": "Reg FD",
    "fd": "FD",
    "sox": "SOX",
    "mfa": "MFA",
    "id": "ID",
    "sha256": "SHA-256",
    "url": "URL",
    "api": "API",
    "pdf": "PDF",
    "csv": "CSV",
    "xlsx": "XLSX",
    "docx": "DOCX",
    "8k": "8-K",
    "ceo": "CEO",
    "cfo": "CFO",
}
_SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")


def in_words(name: str) -> str:
    """A stored name (a verb, a key of an action's details, a choice nobody labelled) in words:
    `approve_determination` -> "Approve determination"."""
    words = [_WORDS.get(word, word) for word in str(name).split("_") if word]
    return capfirst(" ".join(words)) or str(name)


def _readable(value):
    """A value as words: yes/no, a number with thousands separators, an enum-like word in words, a structure
    (a formula, an estimate) as `label: value` pairs rather than JSON."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict):
        return "; ".join(f"{in_words(key)}: {_readable(item)}" for key, item in value.items())
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(item, (list, tuple)) for item in value):
            return ", ".join(f"({', '.join(str(_readable(x)) for x in item)})" for item in value)
        return ", ".join(str(_readable(item)) for item in value)
    if isinstance(value, (int, float, Decimal)) or (isinstance(value, str) and _NUMBER.match(value)):
        return _grouped(str(value))
    if isinstance(value, str) and _SNAKE.match(value):
        return in_words(value).lower() if value.islower() else in_words(value)
    return value


_NUMBER = re.compile(r"^-?[1-9]\d*(?:\.\d+)?$|^-?0\.\d+$")


def _grouped(text: str) -> str:
    """'325000.00' -> '325,000.00' (an amount keeps its cents); '4000.000000' -> '4000'; '40000000' ->
    '40,000,000'. A whole number of four digits or fewer stays as it is: it may be a year (2026)."""
    number = Decimal(text)
    if -number.as_tuple().exponent == 2:
        return f"{number:,.2f}"
    if number == number.to_integral_value():
        whole = number.to_integral_value()
        return f"{whole:,}" if abs(whole) >= 10000 else str(whole)
    return f"{number.normalize():,f}"


def _shown(field, value, people: dict):
    """A stored value as a reader knows it: a choice by its label, a yes/no as such, a user by name, an
    amount with thousands separators, a structure as words."""
    if value is None or value == "":
        return value
    if field is None or isinstance(value, (list, dict)):
        return _readable(value)
    if field.choices:
        return {str(key): label for key, label in field.flatchoices}.get(str(value), value)
    if isinstance(field, models.BooleanField):
        return "Yes" if value else "No"
    if _is_user_ref(field):
        return people.get(str(value), value)
    if field.is_relation:
        return value
    if isinstance(field, models.DecimalField) and _NUMBER.match(str(value)):
        return f"{Decimal(str(value)):,.2f}" if field.decimal_places == 2 else _grouped(str(value))
    if isinstance(field, (models.IntegerField, models.FloatField)) and _NUMBER.match(str(value)):
        return _grouped(str(value))
    if isinstance(field, models.DateTimeField):
        return _instant(value)
    return _readable(value)


def _instant(value) -> str:
    """A stored instant ("2026-12-05T05:00:21.530Z") as the trail's times read: "Dec 5, 2026 12:00 AM ET"."""
    try:
        instant = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return value
    if instant.tzinfo is None:
        return value
    return f"{dateformat.format(timefmt.in_zone(instant, timefmt.EXCHANGE_TZ), 'M j, Y g:i A')} ET"


def _records_named(field, value, named: dict):
    """The records an action's details list by key (a case's covered executives: ["dwhitfield", "rcosta"])
    by their names ("Dana Whitfield, Rene Costa"); any other detail as `_readable` gives it."""
    if not _many(field) or not isinstance(value, list) or field.related_model not in named:
        return _readable(value)
    names = named[field.related_model]
    return ", ".join(names.get(str(item), str(item)) for item in value)


def _is_identifier(field) -> bool:
    """A record's key (a SlugField: `net_income`), shown as the identifier import files name it by."""
    return isinstance(field, models.SlugField)


def describe_events(events: list[AuditEvent]) -> list[AuditEvent]:
    """Give each event what the audit trail page shows an auditor: `record_type` (the model's name in
    words) and `lines`, its changes with each field by its label and each value by what it means.

    The users that changes point at, and the records an action's details list by key (a case's covered
    executives), are read in one query each for the whole page, whatever its length."""
    user_ids = set()
    related: dict = {}  # model -> the keys (or ids) of its records the details list
    for event in events:
        model = _model(event.object_type)
        for name, pair in (event.changes or {}).items():
            field = _field(model, name)
            if _is_user_ref(field):
                values = pair if isinstance(pair, list) else [pair]
                user_ids.update(str(v) for v in values if isinstance(v, (int, str)) and str(v).isdigit())
            elif event.action == AuditEvent.Action.ACTION and _many(field) and isinstance(pair, list):
                related.setdefault(field.related_model, set()).update(str(v) for v in pair)
    people = {}
    if events:  # one query for any page of events (none for none), so the count never depends on the rows
        users = get_user_model().objects.filter(pk__in=[int(pk) for pk in user_ids] or [0])
        people = {str(u.pk): str(u) for u in users}
    named = {model: _named(model, keys) for model, keys in related.items()}
    for event in events:
        model = _model(event.object_type)
        event.record_type = capfirst(str(model._meta.verbose_name)) if model else event.object_type
        event.verb_label = in_words(event.verb) if event.verb else ""
        event.lines = _lines(event, model, people, named)
    return events


def _many(field) -> bool:
    return field is not None and field.many_to_many and field.related_model is not None


def _named(model, keys: set[str]) -> dict[str, str]:
    """The records of `model` with these keys (its `key` field, else its id), key -> name."""
    if any(f.name == "key" for f in model._meta.get_fields()):
        return {str(obj.key): str(obj) for obj in model._base_manager.filter(key__in=keys)}
    ids = [key for key in keys if key.isdigit()]
    return {str(obj.pk): str(obj) for obj in model._base_manager.filter(pk__in=ids)}


def _lines(event: AuditEvent, model, people: dict, named: dict | None = None) -> list[dict]:
    """As the `audit_lines` filter, with labels: details of an action as `label: value`, field changes as
    before → after, leaving out fields that were empty before and after."""
    if event.action == AuditEvent.Action.ACTION:
        return [
            {
                "field": key,
                "label": field_label(model, key),
                "value": _records_named(_field(model, key), value, named or {}),
                "detail": True,
            }
            for key, value in (event.changes or {}).items()
        ]
    lines = []
    for name, pair in (event.changes or {}).items():
        before, after = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        if before in (None, "") and after in (None, ""):
            continue
        field = _field(model, name)
        lines.append(
            {
                "field": name,
                "label": field_label(model, name),
                "before": _shown(field, before, people),
                "after": _shown(field, after, people),
                "detail": False,
                "identifier": _is_identifier(field),
            }
        )
    return lines
