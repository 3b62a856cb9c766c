"""The company-wide restated figures and the case's free-text scope are gone: each restatement now holds its
own restated values (0007 moved them there)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("clawback", "0007_restated_values_belong_to_their_restatement"),
    ]

    operations = [
        migrations.RemoveField(model_name="restatement", name="measures_restated"),
        migrations.RemoveField(model_name="restatement", name="periods_restated"),
        migrations.RemoveField(model_name="measurevalue", name="restated"),
    ]
