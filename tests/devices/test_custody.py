"""The chain of custody: person → hub → technician → hub → person, whereabouts always known;
the register; who may do what."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_tenants.utils import schema_context

from services.devices import actions, custody
from services.devices.custody import Custodian
from services.devices.models import Device, Handover
from tests.hubs import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(federation, db):
    return build.person(federation.alpha, "Anna Alfa", federation.user("alpha-staff"))


@pytest.fixture
def laptop(federation, anna):
    return actions.register_device(
        federation.alpha,
        federation.user("alpha-admin"),
        actions.DeviceInput(
            serial_number="HT-ALPHA-1",
            model="Latitude 5450",
            holder_id=anna.pk,
            warranty_ends_on=dt.date(2027, 3, 1),
        ),
    )


def _device(federation, pk):
    with schema_context(federation.alpha.schema_name):
        return Device.objects.get(pk=pk)


def test_register_puts_the_device_with_its_holder_or_in_store(federation, anna, laptop):
    assert (laptop.custodian_kind, laptop.custodian_ref) == ("person", anna.pk)
    spare = actions.register_device(
        federation.alpha,
        federation.user("alpha-admin"),
        actions.DeviceInput(serial_number="HT-ALPHA-2", model="iPhone 15"),
    )
    assert (spare.custodian_kind, spare.custodian_ref) == ("agency", None)


def test_the_register_refuses_bad_input_and_other_agencies(federation, anna, laptop):
    admin = federation.user("alpha-admin")
    with pytest.raises(ValidationError) as exc:
        actions.register_device(
            federation.alpha,
            admin,
            actions.DeviceInput(serial_number="ht-alpha-1", model="", holder_id=anna.pk + 999),
        )
    assert {k: v[0].code for k, v in exc.value.error_dict.items()} == {
        "serial_number": "duplicate",
        "model": "required",
        "holder": "not_found",
    }
    for who in ("alpha-staff", "beta-admin", "tech"):
        with pytest.raises(PermissionDenied):
            actions.update_device(federation.alpha, federation.user(who), laptop.pk, model="X")
    with pytest.raises(ValidationError) as exc:
        actions.update_device(federation.alpha, admin, laptop.pk + 999, model="X")
    assert exc.value.error_dict["device"][0].code == "not_found"
    updated = actions.update_device(
        federation.alpha, admin, laptop.pk, planned_replacement_on=dt.date(2027, 1, 1)
    )
    assert updated.planned_replacement_on == dt.date(2027, 1, 1)
    assert _device(federation, laptop.pk).model == "Latitude 5450"


def test_a_repair_round_trip_keeps_the_whereabouts_known(federation, hub, hubber, anna, laptop):
    tech = federation.user("tech")
    steps = [
        # who records, from, to, state afterwards
        (hubber, Custodian("person", anna.pk), Custodian("hub", hub.pk), "in_use"),
        (hubber, Custodian("hub", hub.pk), Custodian("technician", tech.pk), "in_repair"),
        (tech, Custodian("technician", tech.pk), Custodian("hub", hub.pk), "in_repair"),
        (hubber, Custodian("hub", hub.pk), Custodian("person", anna.pk), "in_use"),
    ]
    for actor, giver, receiver, state in steps:
        # when each hand-over is recorded
        custody.record_handover(federation.alpha, actor, laptop.pk, giver=giver, receiver=receiver)
        # then the device is with the receiver, in the expected state
        device = _device(federation, laptop.pk)
        assert (device.custodian_kind, device.custodian_ref) == (receiver.kind, receiver.ref)
        assert device.state == state
        if receiver.kind == "hub":
            assert device.location_hub_id == hub.pk
    with schema_context(federation.alpha.schema_name):
        chain = list(
            Handover.objects.filter(device_id=laptop.pk).values_list(
                "from_kind", "to_kind", "actor_id", "where_hub_id"
            )
        )
    assert chain == [
        ("person", "hub", hubber.pk, hub.pk),
        ("hub", "technician", hubber.pk, None),
        ("technician", "hub", tech.pk, hub.pk),
        ("hub", "person", hubber.pk, None),
    ]


def test_a_handover_must_start_from_the_current_custodian(federation, hub, hubber, anna, laptop):
    # when hub staff record the hub handing over a device that Anna still has
    with pytest.raises(ValidationError) as exc:
        custody.record_handover(
            federation.alpha,
            hubber,
            laptop.pk,
            giver=Custodian("hub", hub.pk),
            receiver=Custodian("technician", hubber.pk),
        )
    errors = {k: v[0].code for k, v in exc.value.error_dict.items()}
    # then both the giver and the receiver (hub staff are no technician) are refused
    assert errors == {"from": "custodian_mismatch", "to": "not_found"}
    # when the device is unknown
    with pytest.raises(ValidationError) as exc:
        custody.record_handover(
            federation.alpha,
            hubber,
            laptop.pk + 999,
            giver=Custodian("person", anna.pk),
            receiver=Custodian("hub", hub.pk),
        )
    assert exc.value.error_dict["device"][0].code == "not_found"
    # when a hub that does not exist receives it
    with pytest.raises(ValidationError) as exc:
        custody.record_handover(
            federation.alpha,
            hubber,
            laptop.pk,
            giver=Custodian("person", anna.pk),
            receiver=Custodian("hub", hub.pk + 999),
        )
    assert exc.value.error_dict["to"][0].code == "not_found"
    # then nothing was recorded
    device = _device(federation, laptop.pk)
    assert (device.custodian_kind, device.custodian_ref) == ("person", anna.pk)
    with schema_context(federation.alpha.schema_name):
        assert Handover.objects.count() == 0


def test_only_the_agencys_admins_and_central_custody_roles_record(federation, hub, anna, laptop):
    for who in ("alpha-staff", "beta-admin", "fin", "cat", "nobody"):
        with pytest.raises(PermissionDenied):
            custody.record_handover(
                federation.alpha,
                federation.user(who),
                laptop.pk,
                giver=Custodian("person", anna.pk),
                receiver=Custodian("hub", hub.pk),
            )
    with schema_context(federation.alpha.schema_name):
        assert Handover.objects.count() == 0
    custody.record_handover(
        federation.alpha,
        federation.user("alpha-admin"),
        laptop.pk,
        giver=Custodian("person", anna.pk),
        receiver=Custodian("agency"),
        where_text="Förrådet",
    )
    device = _device(federation, laptop.pk)
    assert (device.custodian_kind, device.location_text) == ("agency", "Förrådet")
