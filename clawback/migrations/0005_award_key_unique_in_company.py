import datetime

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clawback", "0004_fill_award_company_and_plan_description"),
        ("company", "0003_policy_records"),
    ]

    operations = [
        migrations.AlterField(
            model_name="award",
            name="company",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="awards",
                to="company.company",
            ),
        ),
        migrations.RemoveConstraint(model_name="award", name="award_unique_key"),
        migrations.AddConstraint(
            model_name="award",
            constraint=models.UniqueConstraint(fields=("company", "key"), name="award_unique_key_in_company"),
        ),
        migrations.AddConstraint(
            model_name="impracticability",
            constraint=models.CheckConstraint(
                condition=models.Q(("ground", "expense"), _negated=True)
                | models.Q(
                    ("third_party_cost__gt", models.F("amount_forgone")),
                    models.Q(("attempts", ""), _negated=True),
                    ("provided_to_exchange_on__isnull", False),
                ),
                name="impracticability_expense_documented",
            ),
        ),
        migrations.AddConstraint(
            model_name="impracticability",
            constraint=models.CheckConstraint(
                condition=models.Q(("ground", "home_country_law"), _negated=True)
                | models.Q(
                    ("law_adopted_on__lt", datetime.date(2022, 11, 28)),
                    models.Q(("opinion", ""), _negated=True),
                    ("provided_to_exchange_on__isnull", False),
                ),
                name="impracticability_home_law_documented",
            ),
        ),
        migrations.AddConstraint(
            model_name="impracticability",
            constraint=models.CheckConstraint(
                condition=models.Q(("ground", "retirement_plan"), _negated=True)
                | models.Q(("plan_description", ""), _negated=True),
                name="impracticability_plan_described",
            ),
        ),
    ]
