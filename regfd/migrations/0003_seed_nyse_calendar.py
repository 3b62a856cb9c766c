"""Seed the NYSE calendar table (closures and early closes 2023–2028) from python-holidays' NYSE calendar,
which matches the exchange's published calendar (tests/lib/test_nyse_seed.py checks 2025–2028)."""

from django.db import migrations


def seed(apps, schema_editor):
    from compliance_site.lib.nyse_seed import SEED_YEARS, nyse_calendar_rows

    MarketClosure = apps.get_model("regfd", "MarketClosure")
    for row in nyse_calendar_rows(SEED_YEARS):
        MarketClosure.objects.get_or_create(
            exchange="NYSE",
            date=row.date,
            active=True,
            defaults={"kind": row.kind, "name": row.name, "source": row.source},
        )


class Migration(migrations.Migration):
    dependencies = [("regfd", "0002_policy_records")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
