"""The seam between the regulated records and their reminders: Django post_save and post_delete receivers.

The programs never call this app. Whatever changes one of their records — a service, the admin, the API or a
shell — goes through `save()` (or `delete()`), and the receiver here reschedules the reminders of each record
the triggers registered for that model name (registry.register_trigger, from the programs' `reminders`
modules; docs/architecture.md): `schedule_reminders_for(record)` upserts the reminders for the record's
current deadline and cancels the obsolete pending ones, inside the caller's transaction (a rolled-back change
leaves its reminders untouched).

One receiver for every model, connected in NotificationsConfig.ready() after the audit trail's receivers
(INSTALLED_APPS order), so the status change a review reminder counts from is already in the trail when it
runs; a model nobody registered a trigger for costs one dict lookup.

What escapes `save()` (QuerySet.update, raw SQL) is caught later: the sweep reschedules an active record
whose open-ended series has nothing pending, and a reminder whose anchor no longer matches its record is
cancelled when its turn comes instead of being sent.
"""

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from . import services
from .registry import triggers_for


def _reschedule(sender, instance, *, deleted: bool) -> None:
    triggers = triggers_for(sender, deleted=deleted)
    if not triggers:
        return
    now = timezone.now()
    for records in triggers:
        for record in records(instance):
            services.schedule_reminders_for(record, now=now)


def _saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the fixture's own rows, not a business change
        return
    _reschedule(sender, instance, deleted=False)


def _deleted(sender, instance, **kwargs):
    _reschedule(sender, instance, deleted=True)


def connect() -> None:
    post_save.connect(_saved, dispatch_uid="reminders:saved")
    post_delete.connect(_deleted, dispatch_uid="reminders:deleted")
