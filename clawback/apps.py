from django.apps import AppConfig


class ClawbackConfig(AppConfig):
    name = "clawback"
    verbose_name = "Clawback (Rule 10D-1)"

    def ready(self):
        # What the program plugs into the shared parts, which never import it (docs/architecture.md). Each
        # module registers on import, as an admin module does: selectors, its visibility rules
        # (compliance_site.accounts.visibility); demo, its demo loader (compliance_site.demo); navigation, its
        # menu entries; panels, its panels on the shared pages (compliance_site.panels); reminders, its
        # reminder sources and triggers (compliance_site.notifications.registry); documents.kinds, its kinds
        # of document (compliance_site.documents.registry); audit_walls, its case walls on the audit trail
        # (compliance_site.audit.walls); calendar_events, its deadlines in people's calendar feeds
        # (compliance_site.calendar_feed.registry).
        from . import audit_walls, calendar_events, demo, navigation, panels, reminders, selectors  # noqa: F401
        from .documents import kinds  # noqa: F401
