import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("company", "0003_policy_records"),
        ("clawback", "0002_case_management"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="policyacknowledgement",
            name="user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="policy_acknowledgements",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="policyacknowledgement",
            name="executive",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="policy_acknowledgements",
                to="clawback.executive",
            ),
        ),
        migrations.AddField(
            model_name="policyacknowledgement",
            name="evidence",
            field=models.TextField(
                blank=True,
                help_text="What shows the acknowledgement: the signed form or letter, the award agreement "
                "clause, and where it is filed.",
            ),
        ),
        migrations.AddField(
            model_name="policyacknowledgement",
            name="recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="policyacknowledgement",
            constraint=models.UniqueConstraint(
                fields=("policy", "executive"), name="policyack_once_per_executive"
            ),
        ),
        migrations.AddConstraint(
            model_name="policyacknowledgement",
            constraint=models.CheckConstraint(
                condition=models.Q(("executive__isnull", True), ("user__isnull", False))
                | models.Q(("executive__isnull", False), ("user__isnull", True)),
                name="policyack_user_or_executive",
            ),
        ),
        migrations.AddConstraint(
            model_name="policyacknowledgement",
            constraint=models.CheckConstraint(
                condition=models.Q(("executive__isnull", True)) | models.Q(("evidence", ""), _negated=True),
                name="policyack_executive_evidence",
            ),
        ),
    ]
