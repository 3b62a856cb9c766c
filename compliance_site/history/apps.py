from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "compliance_site.history"
    label = "history"
    verbose_name = "Row history"
    default_auto_field = "django.db.models.BigAutoField"
