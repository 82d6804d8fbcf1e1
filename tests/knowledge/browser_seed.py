"""A service for the knowledge base's browser journey, made in the browser tests' own database
(`python -m tests.knowledge.browser_seed`, run by tests/browser/test_knowledge_journey.py).
Prints the service's id."""

from __future__ import annotations

import django


def service() -> str:
    from services.catalogue.models import Category, Service

    found, _ = Service.objects.get_or_create(
        name="Utskrift (webbläsartest)",
        defaults={"category": Category.CLIENT_PLATFORM, "owner": "Klient"},
    )
    return str(found.pk)


def main() -> None:
    django.setup()
    print(service())  # noqa: T201


if __name__ == "__main__":
    main()
