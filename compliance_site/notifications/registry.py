"""The reminders registry: which records are reminded of what, registered by the programs that own the
records (docs/architecture.md). The notifications app never imports a program; each program fills this
from its own `reminders` module, imported by its AppConfig.ready():

- `register_source(ReminderSource(...))`: for one model, the reminders a record needs now (`plans`, from
  schedule.py's rules), who receives each kind (`roles`), what it says (`message`), whose visibility decides
  who may receive it and where it links (`subject`, `url`), who is left out (`excluded_users`), and the
  open-ended series the sweep keeps going (`series`).
- `register_trigger(model, records)`: a save of `model` (and its delete, with `on_delete=True`) reschedules
  the reminders of each record `records(instance)` returns. signals.py's one receiver reads these.

What a message may say (issue #15): an e-mail is forwarded by mistake, printed, synced to a phone, kept by
the mail relay; the record's page, behind the sign-in and its visibility rules, is where the facts are. So a
reminder's title and body (the e-mail's subject and text, and the in-app notification) carry only:

- what kind of reminder it is and what to do (review, vote, disclose, ...) with the rule it comes from;
- the record's neutral reference: an incident's reference, a case's number and title (a title names the
  restatement, never a person), a determination's number or fingerprint;
- its dates and deadlines, and the reminder's label ('4 h before the deadline').

Never an amount (owed, recovered, outstanding), never the name of a covered executive or of anyone else the
record is about (an incident's recipient, who disclosed), never the substance of an incident (its title or
the information disclosed) or of a resolution. services.py adds the link (SITE_URL + `url`) and, to every
e-mail, the company's confidentiality legend. tests/notifications/test_message_content.py builds every kind
of reminder from the demo data and fails on any of these.

Plain dicts filled in INSTALLED_APPS order. Registering a model's source, or the same trigger function,
again replaces it, so a module imported twice (autoreload, tests) changes nothing.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.db import models


def _itself(record):
    return record


def _nobody(kind: str, record) -> set[int]:
    return set()


@dataclass(frozen=True)
class ReminderSource:
    model: type[models.Model]
    roles: Mapping[str, tuple[str, ...]]  # reminder kind (schedule.Kind) -> the roles that receive it
    plans: Callable  # (record, *, now, config) -> tuple[schedule.Planned, ...]: the reminders it needs now
    message: Callable  # (reminder, record, *, now) -> (title, body), from the record as it stands
    url: Callable[[models.Model], str]  # (record) -> the page the reminder links to
    subject: Callable = _itself  # (record) -> the record whose visibility decides who may receive it
    excluded_users: Callable = _nobody  # (kind, record) -> ids of users who get no reminder of that kind
    # (records that are active, kind): an active record always has its next reminder of that kind pending,
    # so one missing means a save escaped the signals (queryset.update, raw SQL): the sweep reschedules it.
    series: tuple[tuple[models.Q, str], ...] = ()


# Keyed by the model class itself, not its label: a migration's historical model of the same name (saved by
# a data migration or its test) is another class, and must reschedule nothing, as a sender= receiver would.
SOURCES: dict[type[models.Model], ReminderSource] = {}

# model -> {trigger key: (records, on_delete)}
TRIGGERS: dict[
    type[models.Model], dict[str, tuple[Callable[[models.Model], Iterable[models.Model]], bool]]
] = {}


def register_source(source: ReminderSource) -> ReminderSource:
    SOURCES[source.model] = source
    return source


def source_for(record) -> ReminderSource:
    source = SOURCES.get(type(record))
    if source is None:
        raise TypeError(f"no reminders are defined for {type(record).__name__}")
    return source


def register_trigger(model: type[models.Model], records: Callable, *, on_delete: bool = False) -> Callable:
    """`records(instance)` -> the records whose reminders a save (or delete) of `instance` changes."""
    key = f"{records.__module__}.{records.__qualname__}"
    TRIGGERS.setdefault(model, {})[key] = (records, on_delete)
    return records


def triggers_for(model: type[models.Model], *, deleted: bool) -> list[Callable]:
    found = TRIGGERS.get(model, {}).values()
    return [records for records, on_delete in found if on_delete or not deleted]
