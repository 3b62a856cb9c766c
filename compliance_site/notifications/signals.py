"""The seam between the regulated records and their reminders: Django post_save receivers.

regfd and clawback never call this app. Whatever changes one of their records — a service (open_incident,
record_public_disclosure, close_not_required, recompute_open_deadlines after a calendar edit, a T0
correction), the admin, the API or a shell — goes through `save()`, and the receiver here calls
`schedule_reminders_for(record)`, which upserts the reminders for the record's current deadline and
cancels the obsolete pending ones, inside the caller's transaction (a rolled-back change leaves its
reminders untouched).

Connected in NotificationsConfig.ready(), after the audit trail's receivers (INSTALLED_APPS order), so the
status change a review reminder counts from is already in the trail when the receiver runs.

| sender                        | reschedules                                       |
|-------------------------------|---------------------------------------------------|
| regfd.Incident                | the incident (deadline reminders, escalation)     |
| clawback.Restatement          | the case (review, fiscal year end) and its claims |
| clawback.RecoveryClaim        | the claim (180-day ageing)                        |
| clawback.RecoveryEvent        | its claim (the balance changed)                   |
| clawback.Impracticability     | its claim (the balance changed)                   |
| company.FiscalPeriod          | the company's active cases (the year end moved)   |

What escapes `save()` (QuerySet.update, raw SQL) is caught later: the sweep reschedules an active record
whose open-ended series has nothing pending, and a reminder whose anchor no longer matches its record is
cancelled when its turn comes instead of being sent.
"""

from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from clawback.models import Impracticability, RecoveryClaim, RecoveryEvent, Restatement
from compliance_site.company.models import FiscalPeriod
from regfd.models import Incident

from . import services, sources


def _record_saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the fixture's own rows, not a business change
        return
    now = timezone.now()
    services.schedule_reminders_for(instance, now=now)
    if isinstance(instance, Restatement):
        for claim in instance.claims.all():
            services.schedule_reminders_for(claim, now=now)


def _claim_balance_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    services.schedule_reminders_for(instance.claim, now=timezone.now())


def _fiscal_period_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    now = timezone.now()
    for case in Restatement.objects.filter(company_id=instance.company_id, status__in=sources.ACTIVE_CASE):
        services.schedule_reminders_for(case, now=now)


def connect() -> None:
    for model in (Incident, Restatement, RecoveryClaim):
        post_save.connect(_record_saved, sender=model, dispatch_uid=f"reminders:{model._meta.label_lower}")
    for model in (RecoveryEvent, Impracticability):
        uid = f"reminders:{model._meta.label_lower}"
        post_save.connect(_claim_balance_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_claim_balance_changed, sender=model, dispatch_uid=f"{uid}:delete")
    post_save.connect(
        _fiscal_period_saved, sender=FiscalPeriod, dispatch_uid="reminders:company.fiscalperiod"
    )
