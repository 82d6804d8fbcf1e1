"""Devices through GraphQL: the register, whereabouts and hand-overs; isolation by host."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context
from graphql_relay import to_global_id

from services.devices import custody
from services.devices.custody import Custodian
from services.devices.models import Device, Handover
from tests.graphql import gql
from tests.hubs import build

pytestmark = pytest.mark.django_db

DEVICES = """{ devices(first: 50) { totalCount edges { node { serialNumber holderName state
  centralId whereabouts { custodian { kind ref } personName hub { name } where since }
  handovers { from { kind } to { kind } where whereHub { name } } } } } }"""
REGISTER = """mutation($input: RegisterDeviceInput!) { registerDevice(input: $input) {
  device { id serialNumber holderName warrantyEndsOn whereabouts { custodian { kind } } }
  errors { field code } } }"""
UPDATE = """mutation($id: ID!, $input: UpdateDeviceInput!) { updateDevice(device: $id,
  input: $input) { device { model plannedReplacementOn state } errors { field code } } }"""
HANDOVER = """mutation($device: ID!, $from: CustodianInput!, $to: CustodianInput!) {
  recordHandover(device: $device, from: $from, to: $to, note: "Trasig skärm") {
    device { state whereabouts { custodian { kind ref } hub { name } } }
    handover { from { kind } to { kind } note } errors { field code } } }"""
ONE = """query($id: ID!) { agencyDevice(id: $id) { serialNumber holderName
  whereabouts { custodian { kind } } } }"""


@pytest.fixture
def register(federation, db):
    """Anna (alpha staff) with a laptop, Alf (no sign-in) with a phone; Bo in beta with one."""
    anna = build.person(federation.alpha, "Anna Alfa", federation.user("alpha-staff"))
    alf = build.person(federation.alpha, "Alf Alfa")
    bo = build.person(federation.beta, "Bo Beta", federation.user("beta-staff"))
    with schema_context(federation.alpha.schema_name):
        laptop = Device.objects.create(
            serial_number="HT-A-1",
            model="Latitude",
            holder=anna,
            custodian_kind="person",
            custodian_ref=anna.pk,
        )
        phone = Device.objects.create(
            serial_number="HT-A-2",
            model="iPhone",
            holder=alf,
            custodian_kind="person",
            custodian_ref=alf.pk,
        )
    with schema_context(federation.beta.schema_name):
        beta = Device.objects.create(
            serial_number="HT-B-1",
            model="ThinkPad",
            holder=bo,
            custodian_kind="person",
            custodian_ref=bo.pk,
        )
    return {"anna": anna, "alf": alf, "bo": bo, "laptop": laptop, "phone": phone, "beta": beta}


def _serials(agency, user):
    response = gql(DEVICES, agency=agency, user=user)
    return sorted(e["node"]["serialNumber"] for e in response.data["devices"]["edges"])


def test_each_agency_sees_its_own_devices_staff_only_theirs(federation, register):
    assert _serials(federation.alpha, federation.user("alpha-admin")) == ["HT-A-1", "HT-A-2"]
    assert _serials(federation.alpha, federation.user("alpha-staff")) == ["HT-A-1"]
    assert _serials(federation.beta, federation.user("beta-admin")) == ["HT-B-1"]
    assert _serials(None, federation.user("tech")) == []


def test_register_and_update_through_graphql(federation, register):
    admin = federation.user("alpha-admin")
    payload = gql(
        REGISTER,
        {
            "input": {
                "serialNumber": "HT-A-3",
                "model": "Surface",
                "warrantyEndsOn": "2027-01-31",
                "holder": to_global_id("Person", register["alf"].pk),
            }
        },
        agency=federation.alpha,
        user=admin,
    ).data["registerDevice"]
    assert payload["errors"] == []
    assert payload["device"]["holderName"] == "Alf Alfa"
    assert payload["device"]["whereabouts"]["custodian"]["kind"] == "PERSON"
    # a duplicate serial, and staff or another agency's admin, are refused
    dup = gql(
        REGISTER,
        {"input": {"serialNumber": "HT-A-3", "model": "Surface"}},
        agency=federation.alpha,
        user=admin,
    ).data["registerDevice"]
    assert [(e["field"], e["code"]) for e in dup["errors"]] == [("serialNumber", "DUPLICATE")]
    staff = gql(
        REGISTER,
        {"input": {"serialNumber": "HT-A-4", "model": "Surface"}},
        agency=federation.alpha,
        user=federation.user("alpha-staff"),
    ).data["registerDevice"]
    assert staff["errors"][0]["code"] == "PERMISSION_DENIED"
    # beta's admin updating alpha's laptop by its id on beta's host reaches beta's register only
    laptop_id = to_global_id("Device", register["laptop"].pk)
    beta_try = gql(
        UPDATE,
        {"id": to_global_id("Device", 999999), "input": {"model": "Hacked"}},
        agency=federation.beta,
        user=federation.user("beta-admin"),
    ).data["updateDevice"]
    assert beta_try["errors"][0]["code"] == "NOT_FOUND"
    ok = gql(
        UPDATE,
        {"id": laptop_id, "input": {"plannedReplacementOn": "2027-06-01", "state": "IN_STOCK"}},
        agency=federation.alpha,
        user=admin,
    ).data["updateDevice"]
    assert ok == {
        "device": {"model": "Latitude", "plannedReplacementOn": "2027-06-01", "state": "IN_STOCK"},
        "errors": [],
    }
    with schema_context(federation.alpha.schema_name):
        assert Device.objects.count() == 3


def test_handovers_on_the_agency_host_and_the_central_host(federation, register, hub, hubber):
    anna, laptop = register["anna"], register["laptop"]
    person = {"kind": "PERSON", "person": to_global_id("Person", anna.pk)}
    at_hub = {"kind": "HUB", "hub": to_global_id("Hub", hub.pk)}
    # when alpha's admin records Anna dropping the laptop at the hub (agency host)
    payload = gql(
        HANDOVER,
        {"device": to_global_id("Device", laptop.pk), "from": person, "to": at_hub},
        agency=federation.alpha,
        user=federation.user("alpha-admin"),
    ).data["recordHandover"]
    assert payload["errors"] == []
    assert payload["device"]["whereabouts"]["hub"] == {"name": hub.name}
    assert payload["handover"] == {
        "from": {"kind": "PERSON"},
        "to": {"kind": "HUB"},
        "note": "Trasig skärm",
    }
    # when hub staff hand it to the technician on the central host (AgencyDevice id)
    central = to_global_id("AgencyDevice", f"{federation.alpha.pk}.{laptop.pk}")
    payload = gql(
        HANDOVER,
        {"device": central, "from": at_hub, "to": {"kind": "TECHNICIAN", "technician": "tech"}},
        user=hubber,
    ).data["recordHandover"]
    assert payload["errors"] == []
    assert payload["device"]["state"] == "IN_REPAIR"
    assert payload["device"]["whereabouts"]["custodian"] == {
        "kind": "TECHNICIAN",
        "ref": str(federation.user("tech").pk),
    }
    # and the technician can look the device up centrally
    assert gql(ONE, {"id": central}, user=federation.user("tech")).data["agencyDevice"] == {
        "serialNumber": "HT-A-1",
        "holderName": "Anna Alfa",
        "whereabouts": {"custodian": {"kind": "TECHNICIAN"}},
    }
    # then the history lists both hand-overs
    node = gql(DEVICES, agency=federation.alpha, user=federation.user("alpha-staff")).data[
        "devices"
    ]["edges"][0]["node"]
    assert [(h["from"]["kind"], h["to"]["kind"]) for h in node["handovers"]] == [
        ("PERSON", "HUB"),
        ("HUB", "TECHNICIAN"),
    ]


def test_other_agencies_and_roles_cannot_move_or_see_devices_by_guessing_ids(
    federation, register, hub
):
    beta_device = register["beta"]
    guessed = to_global_id("AgencyDevice", f"{federation.beta.pk}.{beta_device.pk}")
    variables = {
        "device": guessed,
        "from": {"kind": "PERSON", "person": to_global_id("Person", register["bo"].pk)},
        "to": {"kind": "HUB", "hub": to_global_id("Hub", hub.pk)},
    }
    # when alpha's admin, finance or a signed-in nobody use beta's device id centrally
    for who in ("alpha-admin", "fin", "nobody"):
        payload = gql(HANDOVER, variables, user=federation.user(who)).data["recordHandover"]
        assert payload["errors"][0]["code"] == "PERMISSION_DENIED"
        assert gql(ONE, {"id": guessed}, user=federation.user(who)).data["agencyDevice"] is None
    # when alpha's admin uses beta's local id on alpha's host: alpha has no such device
    local = dict(variables, device=to_global_id("Device", beta_device.pk + 1000))
    payload = gql(
        HANDOVER, local, agency=federation.alpha, user=federation.user("alpha-admin")
    ).data["recordHandover"]
    assert payload["errors"][0]["code"] == "NOT_FOUND"
    # then beta's device did not move
    with schema_context(federation.beta.schema_name):
        device = Device.objects.get(pk=beta_device.pk)
        assert (device.custodian_kind, Handover.objects.count()) == ("person", 0)


def test_the_device_list_takes_the_same_queries_for_2_and_6_devices(
    federation, register, hub, hubber
):
    admin = federation.user("alpha-admin")

    def measure(n):
        with schema_context(federation.alpha.schema_name):
            start = Device.objects.count()
            for i in range(start, n):
                device = Device.objects.create(
                    serial_number=f"HT-Q-{i}", model="Q", custodian_kind="agency"
                )
                custody.record_handover(
                    federation.alpha,
                    hubber,
                    device.pk,
                    giver=Custodian("agency"),
                    receiver=Custodian("hub", hub.pk),
                )
        with CaptureQueriesContext(connection) as ctx:
            response = gql(DEVICES, agency=federation.alpha, user=admin)
        assert response.data["devices"]["totalCount"] == n
        return len(ctx.captured_queries)

    assert measure(3) == measure(6)
