from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "compliance_site.notifications"
    label = "notifications"
    verbose_name = "Reminders and notifications"

    def ready(self):
        # The seam with the programs: their saves reschedule reminders through the receivers connected here,
        # for the triggers they register from their own ready() (registry.py, signals.py), so neither this
        # app nor they import the other. The tasks are registered with Celery in every process: the services
        # enqueue them by name (tasks call services, never the reverse).
        from . import signals, tasks  # noqa: F401

        signals.connect()
