"""Rows the browser journeys of major incidents and ratings need, made in the browser tests'
own database through the real actions (`python -m tests.incidents.browser_seed <what>`, run by
tests/browser/test_incident_journey.py and test_rating_journey.py; prints what the test reads).

- `incident`: a ticket about one service from alpha and from beta, correlated with a threshold
  of two agencies: an open major incident. Prints the incident's id.
- `resolved <subject>`: a ticket of alpha's staff member, resolved by the service desk. Prints
  the ticket's id and the path of its rating link (as in the resolution mail).
"""

from __future__ import annotations

import sys

import django


def incident() -> str:
    from django.conf import settings
    from django_tenants.utils import schema_context

    from services.catalogue.models import Category, Service
    from services.incidents.correlation import correlate
    from services.incidents.models import MajorIncident
    from services.people.models import Person
    from services.support import actions
    from tenants.models import Agency

    service, _ = Service.objects.get_or_create(
        name="Fjärråtkomst (webbläsartest)",
        defaults={"category": Category.INFRASTRUCTURE, "owner": "Nät"},
    )
    found = MajorIncident.objects.filter(service=service, state="open").first()
    if found is not None:
        return str(found.pk)
    for slug in ("alpha", "beta"):
        agency = Agency.objects.get(slug=slug)
        with schema_context(agency.schema_name):
            person = Person.objects.get(email=f"staff@{slug}.example")
        actions.open_ticket(
            agency,
            person,
            actions.NewTicket(subject="VPN kopplar ner", service_id=service.pk),
            channel="web",
        )
    settings.SAMNAV_MAJOR_INCIDENT_AGENCIES = 2
    result = correlate()
    return str(result.opened[0])


def resolved(subject: str) -> str:
    from django.urls import reverse
    from django_tenants.utils import schema_context

    from services.people.models import Person
    from services.support import actions
    from services.support.satisfaction.links import make_token
    from tenants.models import Agency, User

    agency = Agency.objects.get(slug="alpha")
    with schema_context(agency.schema_name):
        person = Person.objects.get(email="staff@alpha.example")
    ticket = actions.open_ticket(agency, person, actions.NewTicket(subject=subject), channel="web")
    ticket = actions.change_state(agency, User.objects.get(username="desk"), ticket.pk, "resolved")
    with schema_context(agency.schema_name):
        ticket.refresh_from_db()
        token = make_token(agency, ticket)
    return f"{ticket.pk} {reverse('support:rate-link', kwargs={'token': token})}"


def main() -> None:
    django.setup()
    what, *args = sys.argv[1:]
    print(incident() if what == "incident" else resolved(*args))  # noqa: T201


if __name__ == "__main__":
    main()
