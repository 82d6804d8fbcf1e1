"""The device register on an agency's host (its admins): register, whereabouts and chain of
custody, hand-overs within the agency. No other agency sees or changes alpha's devices."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from services.devices import custody
from services.devices.models import Device, Handover
from tests.graphql import host_of
from tests.portal.client import count_queries, portal_client
from tests.portal.field.conftest import EN, device

pytestmark = pytest.mark.django_db


def test_an_admin_registers_a_device(federation, fld):
    admin = portal_client(federation.alpha, federation.user("alpha-admin"))
    response = admin.post(
        "/devices/",
        {
            "action": "register",
            "reg-serial_number": "SN-1",
            "reg-model": "ThinkPad T14",
            "reg-holder": fld.people["alpha-staff"].pk,
            "reg-state": "in_use",
        },
    )
    assert response.status_code == 302
    with schema_context("agency_alpha"):
        row = Device.objects.get()
        assert (row.serial_number, row.custodian_kind, row.custodian_ref) == (
            "SN-1",
            "person",
            fld.people["alpha-staff"].pk,
        )
    page = admin.get("/devices/", **EN)
    assert page.context["rows"][0]["with"] == "Person: Staff of alpha"


def test_a_duplicate_serial_is_an_error_next_to_it_and_the_input_stays(federation, fld):
    device(federation, "SN-1")
    admin = portal_client(federation.alpha, federation.user("alpha-admin"))
    response = admin.post(
        "/devices/",
        {
            "action": "register",
            "reg-serial_number": "sn-1",
            "reg-model": "Kept model",
            "reg-state": "in_use",
        },
        **EN,
    )
    assert response.status_code == 400
    assert response.context["register"].errors == {
        "serial_number": ["A device with this serial number exists."]
    }
    assert 'value="Kept model"' in response.content.decode()
    with schema_context("agency_alpha"):
        assert Device.objects.count() == 1


def test_a_hand_over_within_the_agency_is_recorded_with_its_history(federation, fld):
    laptop = device(federation, "SN-2", holder=fld.people["alpha-staff"].pk)
    admin = portal_client(federation.alpha, federation.user("alpha-admin"))
    # to a person, without saying who: an error next to the person
    bad = admin.post(
        "/devices/",
        {"action": "handover", "ho-device": laptop.pk, "ho-to_kind": "person"},
        **EN,
    )
    assert bad.status_code == 400
    assert bad.context["hand"].errors == {"to_person": ["Choose the person."]}
    # to the agency's store
    done = admin.post(
        "/devices/",
        {
            "action": "handover",
            "ho-device": laptop.pk,
            "ho-to_kind": "agency",
            "ho-where": "Förråd",
        },
    )
    assert done.status_code == 302
    page = admin.get("/devices/", **EN)
    row = page.context["rows"][0]
    assert row["with"] == "The agency's store"
    assert [(i["from"], i["to"]) for i in row["history"]] == [
        ("Person: Staff of alpha", "The agency's store")
    ]


def test_the_register_is_for_the_agencys_admins_only(federation, fld):
    laptop = device(federation, "SN-3")
    staff = portal_client(federation.alpha, federation.user("alpha-staff"))
    assert staff.get("/devices/").status_code == 403
    post = {"action": "handover", "ho-device": laptop.pk, "ho-to_kind": "person"}
    post["ho-to_person"] = fld.people["alpha-staff"].pk
    assert staff.post("/devices/", post).status_code == 403
    # beta's admin: refused on alpha's host, and on beta's host alpha's device is no choice
    assert (
        portal_client(federation.alpha, federation.user("beta-admin")).get("/devices/").status_code
        == 403
    )
    beta = portal_client(federation.beta, federation.user("beta-admin"))
    response = beta.post("/devices/", post)
    assert response.status_code == 400 and "device" in response.context["hand"].errors
    assert beta.get("/devices/").context["rows"] == []
    with schema_context("agency_alpha"):
        assert not Handover.objects.exists()
        assert Device.objects.get().custodian_kind == "agency"


def test_the_register_needs_the_csrf_token(federation, fld):
    client = Client(HTTP_HOST=host_of(federation.alpha), enforce_csrf_checks=True)
    client.force_login(federation.user("alpha-admin"))
    response = client.post(
        "/devices/",
        {"action": "register", "reg-serial_number": "X", "reg-model": "Y", "reg-state": "in_use"},
    )
    assert response.status_code == 403
    with schema_context("agency_alpha"):
        assert not Device.objects.exists()


def test_the_register_costs_the_same_for_2_and_10_devices(federation, fld, hub):
    admin = portal_client(federation.alpha, federation.user("alpha-admin"))
    holder = fld.people["alpha-staff"].pk

    def add(serial):
        d = device(federation, serial, holder=holder)
        # each with a hand-over to the hub and one to a technician: names of every kind
        custody.record_handover(
            federation.alpha,
            federation.user("alpha-admin"),
            d.pk,
            giver=custody.Custodian("person", holder),
            receiver=custody.Custodian("hub", hub.pk),
        )
        custody.record_handover(
            federation.alpha,
            federation.user("tech"),
            d.pk,
            giver=custody.Custodian("hub", hub.pk),
            receiver=custody.Custodian("technician", federation.user("tech").pk),
        )

    for i in range(2):
        add(f"SN-A{i}")
    admin.get("/devices/")
    few, first = count_queries(lambda: admin.get("/devices/"))
    for i in range(8):
        add(f"SN-B{i}")
    many, second = count_queries(lambda: admin.get("/devices/"))
    assert (len(first.context["rows"]), len(second.context["rows"])) == (2, 10)
    assert many == few
    assert second.context["rows"][0]["with"] == "Technician: tech"
