from django.apps import AppConfig


class CalendarFeedConfig(AppConfig):
    name = "compliance_site.calendar_feed"
    label = "calendar_feed"
    verbose_name = "Calendar feeds"
