from django.apps import AppConfig


class CalendarFeedConfig(AppConfig):
    name = "compliance_site.calendar_feed"
    label = "calendar_feed"
    verbose_name = "Calendar feeds"

    def ready(self):
        # Connected at start-up, not when a page first imports the services: `manage.py changepassword`
        # and the admin change a password without them.
        from . import links  # noqa: F401
