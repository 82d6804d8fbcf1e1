"""The demo's major incidents: one resolved, one open, made once."""

import pytest
from django_tenants.utils import tenant_context

from demo.data.catalogue import load_catalogue
from demo.data.incidents import load_major_incidents
from services.incidents.models import MajorIncident
from services.people.models import Person
from services.support.models import Ticket
from tests.incidents.conftest import onboard_agency

pytestmark = pytest.mark.django_db


def test_the_demo_makes_one_resolved_and_one_open_incident_once(federation, four):
    from stdnum import luhn

    extra = []
    for i, slug in enumerate(("epsilon", "zeta", "eta"), start=6):
        body = f"20219980{i}"
        extra.append(onboard_agency(slug, body + luhn.calc_check_digit(body)))
    agencies = [*four.all, *extra]
    for agency in extra:
        with tenant_context(agency):
            Person.objects.create(name=f"Staff {agency.slug}", email=f"s@{agency.slug}.example")
    load_catalogue()
    desk = federation.user("desk")
    # when the demo loads twice
    assert load_major_incidents(agencies, desk) == 2
    assert load_major_incidents(agencies, desk) == 0
    # then the VPN incident of four agencies is resolved, with their tickets resolved
    resolved, open_ = (
        MajorIncident.objects.get(state="resolved"),
        MajorIncident.objects.get(state="open"),
    )
    assert (resolved.agencies_reported, open_.agencies_reported) == (4, 3)
    assert resolved.service.name == "Nätverk och VPN"
    assert open_.service.name == "E-post och kalender"
    for link in resolved.tickets.select_related("agency"):
        with tenant_context(link.agency):
            assert Ticket.objects.get(pk=link.ticket_id).state == "resolved"
    assert {link.agency_id for link in open_.tickets.all()} == {a.pk for a in extra}
    # the open one has the desk's update on its tickets; the resolved one's tickets are rated
    from demo.data.incidents import UPDATE
    from services.support.models import TicketMessage
    from services.support.satisfaction.models import Rating

    for link in open_.tickets.select_related("agency"):
        with tenant_context(link.agency):
            assert TicketMessage.objects.filter(ticket_id=link.ticket_id, body=UPDATE).exists()
    scores = []
    for link in resolved.tickets.select_related("agency").order_by("agency_id", "ticket_id"):
        with tenant_context(link.agency):
            scores += list(
                Rating.objects.filter(ticket_id=link.ticket_id).values_list("score", flat=True)
            )
    assert scores == [5, 4, 2, 5]
