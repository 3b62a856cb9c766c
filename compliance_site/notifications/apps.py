from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "compliance_site.notifications"
    label = "notifications"
    verbose_name = "Reminders and notifications"

    def ready(self):
        # The seam with regfd and clawback: their saves reschedule reminders through post_save receivers
        # connected here, so neither app imports this one (see signals.py).
        from . import signals

        signals.connect()
