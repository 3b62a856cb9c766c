"""Data for 0003's new columns: each award's company from its executive; a retirement-plan
impracticability's plan description from the opinion field that used to hold it; each recovery event's
party from its claim (the only record of who it was sought from until now)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def forwards(apps, schema_editor):
    Award = apps.get_model("clawback", "Award")
    Executive = apps.get_model("clawback", "Executive")
    Impracticability = apps.get_model("clawback", "Impracticability")
    Award.objects.filter(company__isnull=True).update(
        company=Subquery(Executive.objects.filter(pk=OuterRef("executive_id")).values("company_id")[:1])
    )
    RecoveryEvent = apps.get_model("clawback", "RecoveryEvent")
    for event in RecoveryEvent.objects.select_related("claim"):
        event.recovered_from, event.party_name = event.claim.sought_from, event.claim.party_name
        event.save(update_fields=["recovered_from", "party_name"])
    for record in Impracticability.objects.filter(ground="retirement_plan", plan_description=""):
        record.plan_description, record.opinion = record.opinion, ""
        record.save(update_fields=["plan_description", "opinion"])


def backwards(apps, schema_editor):
    Impracticability = apps.get_model("clawback", "Impracticability")
    for record in Impracticability.objects.filter(ground="retirement_plan"):
        record.opinion = record.plan_description
        record.save(update_fields=["opinion"])


class Migration(migrations.Migration):
    dependencies = [("clawback", "0003_award_company_plan_description")]

    operations = [migrations.RunPython(forwards, backwards)]
