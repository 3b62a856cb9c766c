import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("clawback", "0002_case_management"),
        ("company", "0003_policy_records"),
    ]

    operations = [
        migrations.AddField(
            model_name="recoveryevent",
            name="recovered_from",
            field=models.CharField(
                choices=[
                    ("executive", "The executive"),
                    ("beneficiary", "Beneficiary"),
                    ("heir", "Heir"),
                    ("executor", "Executor"),
                    ("legal_representative", "Legal representative"),
                ],
                default="executive",
                max_length=30,
            ),
        ),
        migrations.AddField(
            model_name="recoveryevent",
            name="party_name",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="award",
            name="company",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="awards",
                to="company.company",
            ),
        ),
        migrations.AlterField(
            model_name="award",
            name="key",
            field=models.SlugField(
                help_text="Unique within the company, as in scenario files.", max_length=80
            ),
        ),
        migrations.AddField(
            model_name="impracticability",
            name="plan_description",
            field=models.TextField(
                blank=True,
                help_text="Ground C: the tax-qualified retirement plan, under which benefits are broadly "
                "available to employees, and why recovery would make it fail 26 U.S.C. 401(a)(13) or 411(a).",
            ),
        ),
    ]
