"""Row events of the shared apps' regulated records, and the transaction each audit-trail entry was written
in (so a row event can be matched to the entry that accounts for it: `accounting.py`)."""

import pgtrigger
from django.db import models

from compliance_site.audit.models import AuditEvent
from compliance_site.company.models import (
    BodyMembership,
    Company,
    FiscalPeriod,
    PolicyAcknowledgement,
    PolicyDistribution,
    PolicyVersion,
)
from compliance_site.db import row_event_models
from compliance_site.documents.models import Branding, GeneratedDocument
from compliance_site.notifications.models import (
    Notification,
    Reminder,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)

# A new regulated record of the shared apps joins this list: without row events it escapes
# `audit_row_changes`.
globals().update(
    row_event_models(
        Company,
        FiscalPeriod,
        BodyMembership,
        PolicyVersion,
        PolicyDistribution,
        PolicyAcknowledgement,
        GeneratedDocument,
        Branding,
        Reminder,
        Notification,
        WebhookEndpoint,
        WebhookDelivery,
        WebhookAttempt,
        app_label="history",
        module=__name__,
    )
)


class AuditTransaction(models.Model):
    """The database transaction an audit-trail entry was appended in, as the start time of that transaction
    (PostgreSQL's `now()`), which is also the `pgh_created_at` of every row event of the same transaction.
    Written by a trigger on the audit table, so the trail itself is left as it is."""

    seq = models.PositiveBigIntegerField(primary_key=True)
    started_at = models.DateTimeField(db_index=True)

    class Meta:
        triggers = [
            pgtrigger.Protect(name="audit_txn_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self):
        return f"audit #{self.seq} in the transaction of {self.started_at:%Y-%m-%d %H:%M:%S.%f}"


pgtrigger.register(
    pgtrigger.Trigger(
        name="audit_event_transaction",
        operation=pgtrigger.Insert,
        when=pgtrigger.After,
        func=(
            # The table name is this model's own, not input.
            f"INSERT INTO {AuditTransaction._meta.db_table} (seq, started_at) VALUES (NEW.seq, now()); "  # noqa: S608
            "RETURN NULL;"
        ),
    )
)(AuditEvent)
