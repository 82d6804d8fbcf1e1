"""Write paths of the catalogue: validation naming field and code, all or nothing, audit."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from services.audit.models import AuditEvent
from services.catalogue import actions
from services.catalogue.models import (
    AgreementKind,
    Category,
    Lifecycle,
    Offering,
    OfferingPrice,
    OfferingRelation,
    PriceModel,
    RelationKind,
)
from tests.catalogue import (
    footprint,
    last_year,
    make_catalogue,
    make_offering,
    relate,
    snapshot,
    today,
)

pytestmark = pytest.mark.django_db

TARGETS = [
    {"priority": p, "response_minutes": 30 * p, "resolution_minutes": 480 * p} for p in (1, 2, 3, 4)
]


def _offering_input(cat, **change):
    return {
        "service": cat.service.pk,
        "code": "ny-tjanst",
        "name": "Ny tjänst",
        "security_level": 2,
        "availability_level": 3,
        "price_model": PriceModel.PER_UNIT_MONTHLY,
        "unit": "användare",
        "min_quantity": 1,
        "max_quantity": 50,
        "agreement": cat.ola.pk,
        **change,
    }


def _codes(raised) -> dict[str, list[str]]:
    return {f: [e.code for e in errs] for f, errs in raised.value.error_dict.items()}


def test_a_catalogue_manager_creates_an_offering_with_its_first_price(federation):
    # given a catalogue
    cat = make_catalogue(offerings=0)
    manager = federation.user("cat")
    # when the catalogue manager creates an offering with a price
    offering = actions.create_offering(
        manager,
        price={"valid_from": today(), "monthly_ore": 4500, "one_off_ore": 0},
        **_offering_input(cat),
    )
    # then it exists with its price, and both changes are audited
    offering.refresh_from_db()
    assert (offering.code, offering.security_level, offering.availability_level) == (
        "ny-tjanst",
        2,
        3,
    )
    assert list(offering.prices.values_list("valid_from", "monthly_ore", "one_off_ore")) == [
        (today(), 4500, 0)
    ]
    events = AuditEvent.objects.filter(object_type="catalogue.offering", object_id=str(offering.pk))
    assert sorted(events.values_list("action", flat=True)) == [
        "catalogue.offering.created",
        "catalogue.price.added",
    ]
    assert {e.actor_id for e in events} == {manager.pk}


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"security_level": 0}, "security_level", "out_of_range"),
        ({"security_level": 5}, "security_level", "out_of_range"),
        ({"availability_level": 0}, "availability_level", "out_of_range"),
        ({"availability_level": 5}, "availability_level", "out_of_range"),
        ({"min_quantity": 10, "max_quantity": 5}, "max_quantity", "out_of_range"),
        ({"min_quantity": 0}, "min_quantity", "out_of_range"),
        ({"unit": ""}, "unit", "required"),
        ({"price_model": "monthly"}, "price_model", "invalid"),
        ({"code": "Bad Code"}, "code", "invalid"),
        ({"code": ""}, "code", "required"),
        ({"code": "test-offering-000"}, "code", "duplicate"),
        ({"name": "  "}, "name", "required"),
        ({"service": 0}, "service", "not_found"),
        ({"agreement": 0}, "agreement", "not_found"),
        ({"lifecycle": Lifecycle.RETIRED}, "lifecycle", "invalid_state"),
        ({"notice_days": -1}, "notice_days", "out_of_range"),
    ],
)
def test_bad_offering_input_names_the_field_and_writes_nothing(federation, change, field, code):
    # given a catalogue with one offering
    cat = make_catalogue(offerings=1)
    before = snapshot()
    # when creating an offering with one bad field
    with pytest.raises(ValidationError) as raised:
        actions.create_offering(federation.user("cat"), **_offering_input(cat, **change))
    # then the error names that field with its code, and nothing was written
    assert code in _codes(raised)[field]
    assert snapshot() == before


def test_bad_first_price_is_reported_with_the_offering_errors_and_nothing_written(federation):
    cat = make_catalogue(offerings=0)
    before = footprint()
    with pytest.raises(ValidationError) as raised:
        actions.create_offering(
            federation.user("cat"),
            price={"valid_from": today(), "monthly_ore": -1, "one_off_ore": 0},
            **_offering_input(cat, security_level=9),
        )
    assert _codes(raised) == {
        "security_level": ["out_of_range"],
        "price.monthly_ore": ["out_of_range"],
    }
    assert footprint() == before


def test_update_offering_changes_only_the_given_fields_and_audits_the_difference(federation):
    cat = make_catalogue(offerings=1)
    offering = cat.offerings[0]
    offering = actions.update_offering(
        federation.user("cat"), offering.pk, security_level=3, max_quantity=200
    )
    offering.refresh_from_db()
    assert (offering.security_level, offering.max_quantity, offering.code) == (
        3,
        200,
        "test-offering-000",
    )
    event = AuditEvent.objects.get(action="catalogue.offering.updated", object_id=str(offering.pk))
    assert event.changes == {"security_level": [2, 3], "max_quantity": [100, 200]}


def test_update_offering_checks_min_against_the_stored_max(federation):
    cat = make_catalogue(offerings=1)
    before = snapshot()
    with pytest.raises(ValidationError) as raised:
        actions.update_offering(federation.user("cat"), cat.offerings[0].pk, min_quantity=500)
    assert _codes(raised) == {"max_quantity": ["out_of_range"]}
    assert snapshot() == before


def test_a_per_unit_offering_may_not_lose_its_unit(federation):
    cat = make_catalogue(offerings=1)
    with pytest.raises(ValidationError) as raised:
        actions.update_offering(federation.user("cat"), cat.offerings[0].pk, unit="")
    assert _codes(raised) == {"unit": ["required"]}
    # a fixed monthly price needs no unit
    offering = actions.update_offering(
        federation.user("cat"),
        cat.offerings[0].pk,
        unit="",
        price_model=PriceModel.FIXED_MONTHLY,
    )
    assert (offering.unit, offering.price_model) == ("", PriceModel.FIXED_MONTHLY)


@pytest.mark.parametrize(
    "name", ["alpha-admin", "alpha-staff", "beta-admin", "fin", "desk", "tech", "nobody"]
)
def test_only_catalogue_managers_and_platform_admins_write(federation, name):
    cat = make_catalogue(offerings=1)
    offering = cat.offerings[0]
    before = snapshot()
    user = federation.user(name)
    calls = [
        lambda: actions.create_service(user, name="X", category=Category.EMAIL, owner="Central IT"),
        lambda: actions.update_service(user, cat.service.pk, name="Y"),
        lambda: actions.create_offering(user, **_offering_input(cat)),
        lambda: actions.update_offering(user, offering.pk, name="Z"),
        lambda: actions.add_price(
            user, offering.pk, valid_from=today() + dt.timedelta(days=10), monthly_ore=1
        ),
        lambda: actions.set_relation(user, offering.pk, offering.pk, RelationKind.REQUIRES),
        lambda: actions.retire_offering(user, offering.pk),
        lambda: actions.retire_service(user, cat.service.pk),
        lambda: actions.create_supplier(user, name="Ny AB"),
        lambda: actions.update_supplier(user, cat.supplier.pk, name="Nytt namn AB"),
        lambda: actions.create_agreement(
            user,
            name="OLA X",
            kind=AgreementKind.OLA,
            availability_percent=Decimal("99"),
            support_hours="Vardagar",
            targets=TARGETS,
        ),
        lambda: actions.update_agreement(user, cat.ola.pk, name="OLA Y"),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert snapshot() == before


def test_the_platform_admin_may_write_the_catalogue(federation):
    cat = make_catalogue(offerings=0)
    supplier = actions.create_supplier(federation.user("root"), name="Adminens AB")
    assert supplier.pk is not None
    assert cat.service.pk is not None


# --- prices ----------------------------------------------------------------------------------


def test_a_new_price_version_keeps_the_old_one(federation):
    cat = make_catalogue(offerings=1)
    offering = cat.offerings[0]
    later = today() + dt.timedelta(days=30)
    price = actions.add_price(
        federation.user("cat"), offering.pk, valid_from=later, monthly_ore=15900, one_off_ore=0
    )
    assert list(
        OfferingPrice.objects.filter(offering=offering)
        .order_by("valid_from")
        .values_list("valid_from", "monthly_ore")
    ) == [(last_year(), 12900), (later, 15900)]
    assert AuditEvent.objects.get(action="catalogue.price.added").changes == {
        "price_id": price.pk,
        "valid_from": later.isoformat(),
        "monthly_ore": 15900,
        "one_off_ore": 0,
    }


@pytest.mark.parametrize(
    ("kwargs", "field", "code"),
    [
        ({"valid_from": "last_year"}, "valid_from", "duplicate"),
        ({"valid_from": "yesterday"}, "valid_from", "invalid"),
        ({"monthly_ore": -100}, "monthly_ore", "out_of_range"),
        ({"one_off_ore": -1}, "one_off_ore", "out_of_range"),
        ({"monthly_ore": "12"}, "monthly_ore", "invalid"),
        ({"valid_from": None}, "valid_from", "required"),
        ({"offering": 0}, "offering", "not_found"),
    ],
)
def test_bad_prices_name_the_field_and_write_nothing(federation, kwargs, field, code):
    cat = make_catalogue(offerings=1)
    args = {
        "offering": cat.offerings[0].pk,
        "valid_from": today() + dt.timedelta(days=5),
        "monthly_ore": 100,
        "one_off_ore": 0,
        **kwargs,
    }
    named_days = {"last_year": last_year(), "yesterday": today() - dt.timedelta(days=1)}
    args["valid_from"] = named_days.get(args["valid_from"], args["valid_from"])
    before = snapshot()
    with pytest.raises(ValidationError) as raised:
        actions.add_price(federation.user("cat"), args.pop("offering"), **args)
    assert code in _codes(raised)[field]
    assert snapshot() == before


def test_a_one_off_offering_has_no_monthly_price(federation):
    cat = make_catalogue(offerings=0)
    offering = make_offering(cat, "engang", price_model=PriceModel.ONE_OFF, unit="")
    with pytest.raises(ValidationError) as raised:
        actions.add_price(
            federation.user("cat"),
            offering.pk,
            valid_from=today() + dt.timedelta(days=1),
            monthly_ore=100,
            one_off_ore=5000,
        )
    assert _codes(raised) == {"monthly_ore": ["invalid"]}


def test_the_first_price_may_start_in_the_past(federation):
    cat = make_catalogue(offerings=0)
    offering = Offering.objects.create(
        service=cat.service,
        code="utan-pris",
        name="Utan pris",
        security_level=2,
        availability_level=2,
        price_model=PriceModel.FIXED_MONTHLY,
        agreement=cat.ola,
    )
    price = actions.add_price(
        federation.user("cat"), offering.pk, valid_from=last_year(), monthly_ore=100
    )
    assert price.valid_from == last_year()


# --- relations -------------------------------------------------------------------------------


def test_relations_are_set_once_and_refuse_self_and_contradictions(federation):
    cat = make_catalogue(offerings=3)
    a, b, c = cat.offerings
    cat_user = federation.user("cat")
    # when a requires b (twice), and b excludes c
    first = actions.set_relation(cat_user, a.pk, b.pk, RelationKind.REQUIRES)
    again = actions.set_relation(cat_user, a.pk, b.pk, RelationKind.REQUIRES)
    actions.set_relation(cat_user, b.pk, c.pk, RelationKind.EXCLUDES)
    # then one row each, and the reverse exclusion counts as existing
    assert first.pk == again.pk
    assert actions.set_relation(cat_user, c.pk, b.pk, RelationKind.EXCLUDES).offering_id == b.pk
    assert OfferingRelation.objects.filter(offering__in=cat.offerings).count() == 2
    assert AuditEvent.objects.filter(action="catalogue.relation.set").count() == 2
    before = snapshot()
    for offering, other, kind, field, code in [
        (a, a, RelationKind.REQUIRES, "other", "invalid"),
        (a, b, RelationKind.EXCLUDES, "kind", "conflict"),
        (b, a, RelationKind.EXCLUDES, "kind", "conflict"),
        (c, b, RelationKind.REQUIRES, "kind", "conflict"),
        (a, 0, RelationKind.REQUIRES, "other", "not_found"),
        (a, c, "needs", "kind", "invalid"),
    ]:
        with pytest.raises(ValidationError) as raised:
            actions.set_relation(cat_user, offering.pk, getattr(other, "pk", other), kind)
        assert code in _codes(raised)[field], (offering, other, kind)
    assert snapshot() == before


def test_removing_an_exclusion_works_from_either_side(federation):
    cat = make_catalogue(offerings=2)
    a, b = cat.offerings
    relate(a, RelationKind.EXCLUDES, b)
    actions.remove_relation(federation.user("cat"), b.pk, a.pk, RelationKind.EXCLUDES)
    assert not OfferingRelation.objects.filter(offering__in=cat.offerings).exists()
    with pytest.raises(ValidationError) as raised:
        actions.remove_relation(federation.user("cat"), b.pk, a.pk, RelationKind.EXCLUDES)
    assert _codes(raised) == {"other": ["not_found"]}


# --- lifecycle -------------------------------------------------------------------------------


def test_retiring_a_service_retires_its_offerings(federation):
    cat = make_catalogue(offerings=2)
    actions.retire_service(federation.user("cat"), cat.service.pk, reason="Ersatt")
    assert set(
        Offering.objects.filter(service=cat.service).values_list("lifecycle", flat=True)
    ) == {Lifecycle.RETIRED}
    assert (
        AuditEvent.objects.filter(action="catalogue.offering.retired", reason="Ersatt").count() == 2
    )
    # and retired is final
    with pytest.raises(ValidationError) as raised:
        actions.update_service(federation.user("cat"), cat.service.pk, lifecycle=Lifecycle.ACTIVE)
    assert _codes(raised) == {"lifecycle": ["invalid_state"]}


def test_retiring_an_offering_twice_is_refused(federation):
    cat = make_catalogue(offerings=1)
    offering = cat.offerings[0]
    actions.retire_offering(federation.user("cat"), offering.pk, lifecycle=Lifecycle.RETIRING)
    actions.retire_offering(federation.user("cat"), offering.pk)
    before = snapshot()
    with pytest.raises(ValidationError) as raised:
        actions.retire_offering(federation.user("cat"), offering.pk)
    assert _codes(raised) == {"lifecycle": ["invalid_state"]}
    with pytest.raises(ValidationError) as raised:
        actions.add_price(federation.user("cat"), offering.pk, valid_from=today(), monthly_ore=1)
    assert _codes(raised) == {"offering": ["invalid_state"]}
    assert snapshot() == before


# --- services, suppliers, agreements ---------------------------------------------------------


def test_services_are_created_with_suppliers_and_names_are_unique(federation):
    cat = make_catalogue(offerings=0)
    service = actions.create_service(
        federation.user("cat"),
        name="Lagring",
        category=Category.INFRASTRUCTURE,
        owner="Central IT, Infrastruktur",
        suppliers=[cat.supplier.pk],
    )
    assert list(service.suppliers.all()) == [cat.supplier]
    before = snapshot()
    for data, field, code in [
        ({"name": "lagring"}, "name", "duplicate"),
        ({"category": "games"}, "category", "invalid"),
        ({"owner": ""}, "owner", "required"),
        ({"suppliers": [0]}, "suppliers", "not_found"),
        ({"lifecycle": Lifecycle.RETIRING}, "lifecycle", "invalid_state"),
    ]:
        values = {
            "name": "Ny tjänst",
            "category": Category.SUPPORT,
            "owner": "Central IT",
            **data,
        }
        with pytest.raises(ValidationError) as raised:
            actions.create_service(federation.user("cat"), **values)
        assert code in _codes(raised)[field], data
    assert snapshot() == before


def test_an_sla_needs_an_external_supplier_and_an_ola_none(federation):
    cat = make_catalogue(offerings=0)
    base = {
        "name": "Nytt avtal",
        "availability_percent": Decimal("99.5"),
        "support_hours": "Vardagar 08-17",
        "targets": TARGETS,
    }
    before = snapshot()
    for data, field, code in [
        ({"kind": AgreementKind.SLA}, "supplier", "required"),
        ({"kind": AgreementKind.SLA, "supplier": cat.internal.pk}, "supplier", "invalid"),
        ({"kind": AgreementKind.OLA, "supplier": cat.supplier.pk}, "supplier", "invalid"),
        (
            {"kind": AgreementKind.OLA, "availability_percent": Decimal("101")},
            "availability_percent",
            "out_of_range",
        ),
        (
            {"kind": AgreementKind.OLA, "availability_percent": "x"},
            "availability_percent",
            "invalid",
        ),
        ({"kind": AgreementKind.OLA, "support_hours": ""}, "support_hours", "required"),
        ({"kind": AgreementKind.OLA, "targets": TARGETS[:3]}, "targets", "required"),
        (
            {"kind": AgreementKind.OLA, "targets": [*TARGETS[:3], {**TARGETS[0]}]},
            "targets.3.priority",
            "duplicate",
        ),
        (
            {
                "kind": AgreementKind.OLA,
                "targets": [*TARGETS[:3], {**TARGETS[3], "response_minutes": 99999}],
            },
            "targets.3.response_minutes",
            "invalid",
        ),
        (
            {"kind": AgreementKind.OLA, "targets": [*TARGETS[:3], {**TARGETS[3], "priority": 5}]},
            "targets.3.priority",
            "out_of_range",
        ),
    ]:
        with pytest.raises(ValidationError) as raised:
            actions.create_agreement(federation.user("cat"), **{**base, **data})
        assert code in _codes(raised)[field], data
    assert snapshot() == before
    # and a good SLA is created with its four targets
    sla = actions.create_agreement(
        federation.user("cat"), kind=AgreementKind.SLA, supplier=cat.supplier.pk, **base
    )
    assert list(sla.targets.order_by("priority").values_list("priority", "response_minutes")) == [
        (1, 30),
        (2, 60),
        (3, 90),
        (4, 120),
    ]


def test_updating_agreement_targets_replaces_them(federation):
    cat = make_catalogue(offerings=0)
    new_targets = [{**t, "resolution_minutes": t["resolution_minutes"] * 2} for t in TARGETS]
    actions.update_agreement(federation.user("cat"), cat.ola.pk, targets=new_targets)
    assert list(
        cat.ola.targets.order_by("priority").values_list("priority", "resolution_minutes")
    ) == [(1, 960), (2, 1920), (3, 2880), (4, 3840)]
    event = AuditEvent.objects.get(action="catalogue.agreement.updated")
    assert list(event.changes) == ["targets"]


def test_suppliers_validate_org_number_and_unique_name(federation):
    cat = make_catalogue(offerings=0)
    before = snapshot()
    for data, field, code in [
        ({"name": cat.supplier.name.upper()}, "name", "duplicate"),
        ({"name": "Ok AB", "org_number": "1234"}, "org_number", "invalid"),
        ({"name": "Ok AB", "contract_ends_on": "2027-01-01"}, "contract_ends_on", "invalid"),
        ({"name": "Ok AB", "is_internal": None}, "is_internal", "invalid"),
    ]:
        with pytest.raises(ValidationError) as raised:
            actions.create_supplier(federation.user("cat"), **data)
        assert code in _codes(raised)[field], data
    assert snapshot() == before
    supplier = actions.create_supplier(
        federation.user("cat"), name="Ok AB", org_number="5599990008"
    )
    assert supplier.org_number == "559999-0008"
