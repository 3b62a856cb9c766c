from django.apps import AppConfig
from django.core import checks


class DocumentsConfig(AppConfig):
    name = "compliance_site.documents"
    label = "documents"
    verbose_name = "Generated documents"

    def ready(self):
        # The rendering task is registered with Celery in every process: the services enqueue it by name
        # (tasks call services, never the reverse), and eager mode runs it in-process. The kinds of document
        # come from the programs' own ready() (registry.py; docs/architecture.md).
        from . import registry, tasks  # noqa: F401

        checks.register(registry.check_kinds, checks.Tags.models)
