from django.apps import AppConfig


class RegfdConfig(AppConfig):
    name = "regfd"
    verbose_name = "Regulation FD"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import selectors  # noqa: F401  (registers visibility rules)

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
