"""Issue 20: statements gain the states "accepted except disputed lines" and "final" (the
period closed); every change a dispute's resolution makes to a line is kept as an
`Adjustment` row (reason and who), under the same closed-period guard as the other tables
(migration 0002's function)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

TABLE = "costs_adjustment"
GUARD = f"""
CREATE TRIGGER {TABLE}_closed_ins AFTER INSERT ON {TABLE}
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION costs_refuse_closed_rows();
CREATE TRIGGER {TABLE}_closed_upd AFTER UPDATE ON {TABLE}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION costs_refuse_closed_rows();
CREATE TRIGGER {TABLE}_closed_del AFTER DELETE ON {TABLE}
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION costs_refuse_closed_rows();
"""
UNGUARD = "".join(
    f"DROP TRIGGER IF EXISTS {TABLE}_closed_{op} ON {TABLE};" for op in ("ins", "upd", "del")
)


class Migration(migrations.Migration):
    dependencies = [
        ("costs", "0005_lines_without_per_row_checks"),
        ("tenants", "0003_agency_county"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="statement",
            name="state",
            field=models.CharField(
                choices=[
                    ("published", "Published (preliminary)"),
                    ("accepted", "Accepted"),
                    ("partly_accepted", "Accepted except disputed lines"),
                    ("disputed", "Disputed"),
                    ("final", "Final (period closed)"),
                ],
                default="published",
                max_length=16,
            ),
        ),
        migrations.CreateModel(
            name="Adjustment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("amount_ore", models.BigIntegerField(verbose_name="change (öre)")),
                ("reason", models.CharField(max_length=1000, verbose_name="reason")),
                ("made_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="tenants.agency",
                    ),
                ),
                (
                    "dispute",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="adjustments",
                        to="costs.dispute",
                    ),
                ),
                (
                    "line",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="adjustments",
                        to="costs.allocationline",
                    ),
                ),
                (
                    "made_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "period",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="adjustments",
                        to="costs.period",
                    ),
                ),
            ],
            options={
                "verbose_name": "adjustment",
                "verbose_name_plural": "adjustments",
                "ordering": ["made_at", "id"],
                "indexes": [
                    models.Index(fields=["period", "agency"], name="costs_adjust_period_agency")
                ],
            },
        ),
        migrations.RunSQL(GUARD, UNGUARD),
    ]
