from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "compliance_site.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self):
        from . import recorder

        recorder.connect_signals()
