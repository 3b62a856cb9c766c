from django.apps import AppConfig


class RegfdConfig(AppConfig):
    name = "regfd"
    verbose_name = "Regulation FD"

    def ready(self):
        from . import selectors  # noqa: F401  (registers visibility rules)
