from django.apps import AppConfig


class ClawbackConfig(AppConfig):
    name = "clawback"
    verbose_name = "Clawback (Rule 10D-1)"

    def ready(self):
        from . import selectors  # noqa: F401  (registers visibility rules)
