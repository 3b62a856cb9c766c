"""Restated values move from the measure (one company-wide figure per period) to the restatement that restates
them, without loss.

A case had restated values through its "measures restated" choice, which the engine ignored: every case read
every restated figure of the company. Each restated figure becomes a restated value of every case that names
its measure among the measures restated, or of every case of the company when a case named none (which is
what that case used to read, so its result does not change). The free-text "periods restated" is kept in the
case's description where the restated values do not already say it.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    MeasureValue = apps.get_model("clawback", "MeasureValue")
    Restatement = apps.get_model("clawback", "Restatement")
    RestatedValue = apps.get_model("clawback", "RestatedValue")
    restated = list(
        MeasureValue.objects.filter(restated__isnull=False).select_related("measure").order_by("pk")
    )
    for case in Restatement.objects.order_by("pk"):
        chosen = set(case.measures_restated.values_list("pk", flat=True))
        labels = set()
        for value in restated:
            if value.measure.company_id != case.company_id:
                continue
            if chosen and value.measure_id not in chosen:
                continue
            RestatedValue.objects.create(
                restatement=case, value=value, restated=value.restated, source=value.source
            )
            labels.add(value.period_label)
        typed = [p.strip() for p in (case.periods_restated or "").replace(";", ",").split(",") if p.strip()]
        if any(label not in labels for label in typed):
            note = f"Periods restated (as first recorded): {case.periods_restated.strip()}"
            case.description = f"{case.description.rstrip()}\n\n{note}" if case.description.strip() else note
            case.save(update_fields=["description"])


def backwards(apps, schema_editor):
    # Back to one company-wide figure per period: the latest case's figure wins, as the old model could
    # hold only one; each case's measures restated are those it restates.
    RestatedValue = apps.get_model("clawback", "RestatedValue")
    for row in RestatedValue.objects.filter(voided_at__isnull=True).select_related("value").order_by("pk"):
        row.value.restated = row.restated
        row.value.save(update_fields=["restated"])
        row.restatement.measures_restated.add(row.value.measure_id)


class Migration(migrations.Migration):
    dependencies = [
        ("clawback", "0006_records_void_restated_scorecards"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
