"""The data migration that gives each restatement its own restated values, run on a copy of the demo data as it
was before (`fixtures/demo_before_0006.json`, dumped from the demo loaded by the code before the change):
every value and every award before equals after, and each case ends up with the restated figures it used to
read."""

import json
from decimal import Decimal
from pathlib import Path

import pgtrigger
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "demo_before_0006.json"
BEFORE = ("clawback", "0005_award_key_unique_in_company")

# Parents before children, so every foreign key finds its row.
ORDER = [
    "accounts.user",
    "accounts.roleassignment",
    "company.company",
    "company.fiscalperiod",
    "company.policyversion",
    "company.policydistribution",
    "clawback.executive",
    "clawback.officerperiod",
    "clawback.namedexecutiveyear",
    "clawback.measure",
    "clawback.measurevalue",
    "clawback.award",
    "clawback.restatement",
    "clawback.restatementevent",
    "clawback.recusal",
    "clawback.decision",
    "clawback.vote",
    "clawback.determination",
    "clawback.reasonableestimate",
    "clawback.recoveryclaim",
    "clawback.recoveryevent",
    "clawback.impracticability",
    "company.policyacknowledgement",
]


def _load(apps, objects) -> None:
    rows = sorted(objects, key=lambda o: ORDER.index(o["model"]))
    later = []
    for item in rows:
        model = apps.get_model(item["model"])
        values = {}
        for name, value in item["fields"].items():
            field = model._meta.get_field(name)
            if field.many_to_many:
                later.append((model, item["pk"], name, value))
            elif field.is_relation:
                values[field.attname] = value
            else:
                values[name] = value
        # Rows a migration seeds (the policy versions) are already there: take the demo's values.
        model.objects.update_or_create(pk=item["pk"], defaults=values)
    for model, pk, name, value in later:
        getattr(model.objects.get(pk=pk), name).set(value)


@pytest.mark.django_db(transaction=True)
def test_restated_values_move_to_their_restatement_without_loss():
    objects = json.loads(FIXTURE.read_text())
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    # Row-history triggers (PostgreSQL) write into history tables that migrating back removes: they come
    # off for the round trip and go back on after it, as `migrate` installs them.
    triggers = connection.vendor == "postgresql"
    if triggers:
        pgtrigger.uninstall()
    try:
        executor.migrate([BEFORE])
        # The state of everything still applied (the other apps stay as far along as they can).
        applied = list(MigrationLoader(connection).applied_migrations)
        old = MigrationLoader(connection).project_state(applied).apps
        _load(old, objects)
        values_before = {
            (v.measure.key, v.period_label): (v.original, v.restated, v.source)
            for v in old.get_model("clawback", "MeasureValue").objects.select_related("measure")
        }
        awards_before = {
            a["key"]: a
            for a in old.get_model("clawback", "Award").objects.values(
                "key", "executive_id", "measure_id", "measure_period", "formula", "received", "value_per_unit"
            )
        }
        cases_before = {
            c.pk: (set(c.measures_restated.values_list("pk", flat=True)), c.periods_restated)
            for c in old.get_model("clawback", "Restatement").objects.all()
        }
        assert any(restated is not None for _, restated, _ in values_before.values())

        executor = MigrationExecutor(connection)
        executor.migrate(leaves)
        new = executor.loader.project_state(leaves).apps
        MeasureValue = new.get_model("clawback", "MeasureValue")
        RestatedValue = new.get_model("clawback", "RestatedValue")

        # Every value as first reported, unchanged.
        assert {
            (v.measure.key, v.period_label): (v.original, v.source)
            for v in MeasureValue.objects.select_related("measure")
        } == {key: (original, source) for key, (original, _, source) in values_before.items()}
        # Every award, unchanged.
        assert {
            a["key"]: a
            for a in new.get_model("clawback", "Award").objects.values(
                "key", "executive_id", "measure_id", "measure_period", "formula", "received", "value_per_unit"
            )
        } == awards_before
        # Each case has the restated figures of the measures it named (all of them when it named none).
        moved = 0
        for case_pk, (chosen, _) in cases_before.items():
            expected = {
                key: restated
                for key, (_, restated, _) in values_before.items()
                if restated is not None
                and (
                    not chosen
                    or key[0]
                    in {m.key for m in new.get_model("clawback", "Measure").objects.filter(pk__in=chosen)}
                )
            }
            got = {
                (r.value.measure.key, r.value.period_label): r.restated
                for r in RestatedValue.objects.filter(restatement_id=case_pk).select_related("value__measure")
            }
            assert got == expected, case_pk
            moved += len(got)
            assert all(isinstance(v, Decimal) for v in got.values())
        assert moved >= 3
    finally:
        MigrationExecutor(connection).migrate(leaves)
        if triggers:
            pgtrigger.install()
