"""Seed the crash scenario's database: the test federation and one open month with many
pools on a fixed 30/70 key, so that a split has real work. Run as a subprocess:
`python -m tests.security.crash.seed POOLS`; prints the period's id."""

from __future__ import annotations

import sys

import django


def main(pools: int) -> None:
    django.setup()
    import datetime as dt

    from django.db import transaction

    from services.costs import actions, drivers
    from tests.conftest import build_federation

    with transaction.atomic():
        fed = build_federation()
        fin = fed.users["fin"]
        period = actions.create_period(fin, dt.date(2026, 3, 1))
        key = actions.create_key(fin, "Crash key")
        actions.add_key_version(
            fin,
            key.pk,
            actions.VersionInput(
                valid_from=dt.date(2026, 1, 1),
                method="fixed",
                weights=[(fed.alpha.pk, "30"), (fed.beta.pk, "70")],
            ),
        )
        for i in range(pools):
            actions.create_pool(
                fin,
                period.pk,
                actions.PoolInput(
                    name=f"Pool {i:05d}",
                    category="infrastructure",
                    amount_ore=100_000 + 7 * i,
                    key_id=key.pk,
                ),
            )
        drivers.snapshot_all(period.pk)  # the month's agencies, as the split reads them
    print(period.pk)


if __name__ == "__main__":
    main(int(sys.argv[1]))
