# Controls look at an order's commitment split per calendar year, not at "this year" only.

import django.utils.timezone
from django.db import migrations, models


def backfill(apps, schema_editor):
    """Orders placed before commitments: what they took from their budget year, as recorded."""
    Order = apps.get_model("ordering", "Order")
    for order in Order.objects.all().only("pk", "budget_year", "year_effect_ore"):
        Order.objects.filter(pk=order.pk).update(
            commitment_ore=order.year_effect_ore,
            budget_effects={str(order.budget_year): order.year_effect_ore},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("ordering", "0002_orderline_seats_drawn"),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="commitment_ore",
            field=models.BigIntegerField(
                default=0,
                help_text="One-off costs plus twelve months of the monthly cost change.",
                verbose_name="commitment (öre)",
            ),
        ),
        migrations.AddField(
            model_name="order",
            name="budget_effects",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text='The commitment split per calendar year: {"2026": öre, ...}.',
                verbose_name="effect on each year's budget (öre)",
            ),
        ),
        migrations.AlterField(
            model_name="orderingpolicy",
            name="approval_threshold_ore",
            field=models.BigIntegerField(
                default=5000000, verbose_name="approval threshold (öre, the order's commitment)"
            ),
        ),
        migrations.AddField(
            model_name="budget",
            name="approval_threshold_ore",
            field=models.BigIntegerField(
                blank=True,
                help_text="Orders placed in the year committing this much need a second admin; "
                "empty: the agency's ordering policy.",
                null=True,
                verbose_name="approval threshold (öre)",
            ),
        ),
        migrations.CreateModel(
            name="BudgetChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveIntegerField(verbose_name="year")),
                ("amount_ore", models.BigIntegerField(verbose_name="annual IT budget (öre)")),
                (
                    "approval_threshold_ore",
                    models.BigIntegerField(
                        blank=True, null=True, verbose_name="approval threshold (öre)"
                    ),
                ),
                ("previous_amount_ore", models.BigIntegerField(blank=True, null=True)),
                ("previous_threshold_ore", models.BigIntegerField(blank=True, null=True)),
                (
                    "actor_id",
                    models.BigIntegerField(
                        blank=True, null=True, verbose_name="changed by (identity)"
                    ),
                ),
                (
                    "at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="changed at"
                    ),
                ),
            ],
            options={
                "verbose_name": "budget change",
                "verbose_name_plural": "budget changes",
                "ordering": ["-at", "-id"],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
