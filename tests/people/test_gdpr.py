"""A person's data exported (GDPR article 15) and erased by anonymisation (article 17), by their
agency's admins (services/people/gdpr.py; docs/decisions/2026-12-07-people-register.md)."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django_tenants.utils import schema_context

from services.audit.models import AuditEvent
from services.field.visits.models import Visit
from services.people import gdpr
from services.people.models import Person
from services.people.scim.models import ScimGroup
from services.support import actions as support
from services.support.models import Channel, Ticket
from tests.graphql import host_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(federation):
    with schema_context("agency_alpha"):
        person = Person.objects.create(
            name="Ada Ek",
            email="ada@alpha.example",
            phone="+46701234567",
            street_address="Hemgatan 1",
            postal_code="753 20",
            city="Uppsala",
            cost_centre="IT",
        )
    ticket = support.open_ticket(
        federation.alpha, person, support.NewTicket(subject="Skrivaren"), channel=Channel.WEB
    )
    with schema_context("agency_alpha"):
        Visit.objects.create(
            ticket_id=ticket.pk,
            requester=person,
            place_kind="home",
            street_address="Hemgatan 1",
            postal_code="753 20",
            city="Uppsala",
            county="03",
            contact_phone="+46701234567",
        )
        group = ScimGroup.objects.create(display_name="Printer admins", external_id="g-1")
        group.members.add(person)
    return person


def test_the_export_holds_the_person_and_what_each_domain_holds_of_them(federation, ada):
    document = gdpr.export_person(federation.alpha, federation.user("alpha-admin"), ada.pk)
    assert document["person"]["email"] == "ada@alpha.example"
    assert [t["subject"] for t in document["tickets"]] == ["Skrivaren"]
    assert [v["street_address"] for v in document["field_visits"]] == ["Hemgatan 1"]
    assert {"licence_seats", "devices", "hub_bookings"} <= set(document)
    assert document["directory_groups"] == [{"group": "Printer admins", "external_id": "g-1"}]
    json.dumps(document, default=str)  # one JSON document
    assert AuditEvent.objects.filter(action="people.person.exported").count() == 1


def test_anonymising_erases_what_identifies_the_person_and_keeps_the_records(federation, ada):
    person, changed = gdpr.anonymise_person(
        federation.alpha, federation.user("alpha-admin"), ada.pk
    )
    assert changed["field_visits"] == 1
    assert changed["directory_groups"] == 1
    with schema_context("agency_alpha"):
        row = Person.objects.get(pk=ada.pk)
        assert (row.name, row.email, row.phone, row.street_address, row.cost_centre) == (
            gdpr.ANONYMISED_NAME,
            "",
            "",
            "",
            "",
        )
        assert row.anonymised_at is not None and not row.is_active
        visit = Visit.objects.get(requester=row)
        assert (visit.street_address, visit.contact_phone) == ("", "")
        assert Ticket.objects.get(requester=row).subject == "Skrivaren"  # kept
    # nothing identifying went into the audit log in public
    assert "Ada" not in str(AuditEvent.objects.values_list("changes", flat=True))
    with pytest.raises(ValidationError):  # twice is refused
        gdpr.anonymise_person(federation.alpha, federation.user("alpha-admin"), ada.pk)


def test_only_the_agencys_admins_export_or_erase(federation, ada):
    for user, agency in (("alpha-staff", federation.alpha), ("beta-admin", federation.beta)):
        with pytest.raises(PermissionDenied):
            gdpr.export_person(
                agency if user == "alpha-staff" else federation.alpha, federation.user(user), ada.pk
            )
    admin = Client(HTTP_HOST=host_of(federation.alpha))
    admin.force_login(federation.user("alpha-admin"))
    response = admin.get(f"/people/{ada.pk}/export/")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert json.loads(response.content)["person"]["name"] == "Ada Ek"
    # erasing needs the confirmation box
    admin.post(f"/people/{ada.pk}/lifecycle/", {"step": "anonymise"})
    with schema_context("agency_alpha"):
        assert Person.objects.get(pk=ada.pk).anonymised_at is None
    admin.post(f"/people/{ada.pk}/lifecycle/", {"step": "anonymise", "confirm": "on"})
    with schema_context("agency_alpha"):
        assert Person.objects.get(pk=ada.pk).anonymised_at is not None
