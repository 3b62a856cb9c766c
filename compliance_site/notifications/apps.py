from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "compliance_site.notifications"
    label = "notifications"
    verbose_name = "Reminders and notifications"
