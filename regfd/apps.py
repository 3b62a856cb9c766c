from django.apps import AppConfig


class RegfdConfig(AppConfig):
    name = "regfd"
    verbose_name = "Regulation FD"

    def ready(self):
        from django.db.models.signals import post_migrate

        # What the program plugs into the shared parts, which never import it (docs/architecture.md). Each
        # module registers on import, as an admin module does: selectors, its visibility rules
        # (compliance_site.accounts.visibility); demo, its demo loader (compliance_site.demo); navigation, its
        # menu entries; panels, its panels on the shared pages (compliance_site.panels); reminders, its
        # reminder sources and triggers (compliance_site.notifications.registry); documents.kinds, its kinds
        # of document (compliance_site.documents.registry); calendar_events, its deadlines in people's
        # calendar feeds (compliance_site.calendar_feed.registry).
        from . import calendar_events, demo, navigation, panels, reminders, selectors  # noqa: F401
        from .documents import kinds  # noqa: F401

        post_migrate.connect(_ensure_calendar_seeded, sender=self, dispatch_uid="regfd_seed_calendar")


def _ensure_calendar_seeded(sender, using="default", **kwargs):
    """Seed the NYSE calendar when its table is empty: after the first migrate (migration 0003 does the
    same) and after a test flush, which empties every table and then sends post_migrate."""
    from compliance_site.lib.nyse_seed import SEED_YEARS, nyse_calendar_rows

    from .models import MarketClosure

    if MarketClosure.objects.using(using).filter(exchange="NYSE").exists():
        return
    MarketClosure.objects.using(using).bulk_create(
        MarketClosure(exchange="NYSE", date=row.date, kind=row.kind, name=row.name, source=row.source)
        for row in nyse_calendar_rows(SEED_YEARS)
    )
