"""Seed the browser tests' own database: the test federation (alpha and beta with their
users), a person record for each agency user, and the small test catalogue.

Run by tests/browser/server.py as `python -m tests.browser.seed` with that database's URL.
"""

from __future__ import annotations

import django


def main() -> None:
    django.setup()
    from django.db import transaction
    from django_tenants.utils import schema_context

    from services.people.models import Person
    from tests.conftest import build_federation
    from tests.ordering.catalogue import build_catalogue

    with transaction.atomic():
        fed = build_federation()
        for agency in (fed.alpha, fed.beta):
            with schema_context(agency.schema_name):
                for role in ("admin", "staff"):
                    user = fed.user(f"{agency.slug}-{role}")
                    Person.objects.create(
                        user_id=user.pk,
                        name=f"{role.title()} {agency.slug.title()}",
                        email=f"{role}@{agency.slug}.example",
                        phone="+46701234567" if role == "staff" else "",
                    )
        build_catalogue(prefix="b")


if __name__ == "__main__":
    main()
