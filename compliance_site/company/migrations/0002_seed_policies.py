"""The current version of each policy, from the texts adopted by the Board (compliance_site/company/seeds/).

The effective and approval dates are installation defaults: an administrator records the Board's actual
approval as a new version if they differ."""

import datetime
from pathlib import Path

from django.db import migrations

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
POLICIES = [
    (
        "clawback",
        "1.0",
        "Clawback Policy",
        "clawback-policy.txt",
        datetime.date(2023, 12, 1),
        datetime.date(2023, 11, 15),
    ),
    (
        "regfd",
        "1.0",
        "Regulation FD Corporate Communications Policy",
        "regfd-communications-policy.txt",
        datetime.date(2023, 1, 1),
        datetime.date(2022, 12, 15),
    ),
]


def seed(apps, schema_editor):
    PolicyVersion = apps.get_model("company", "PolicyVersion")
    for kind, version, title, filename, effective, approved in POLICIES:
        PolicyVersion.objects.get_or_create(
            kind=kind,
            version=version,
            defaults={
                "title": title,
                "text": (SEEDS / filename).read_text(encoding="utf-8").strip(),
                "effective_date": effective,
                "approved_on": approved,
                "approved_by": "Board of Directors",
                "approval_record": "Seeded at installation from the adopted policy text; record the Board's "
                "resolution reference as a new version if it differs.",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("company", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
