"""Catalogue mutations through the real GraphQL endpoint: managers write, everyone else is
refused on every host, and bad input is named with field and code and writes nothing."""

import datetime as dt

import pytest

from services.audit.models import AuditEvent
from services.catalogue.models import (
    Agreement,
    Lifecycle,
    Offering,
    OfferingRelation,
    RelationKind,
    Service,
    Supplier,
)
from tests.catalogue import footprint, gid, make_catalogue, relate, snapshot, today
from tests.graphql import gql

pytestmark = pytest.mark.django_db

TARGETS = [
    {"priority": p, "responseMinutes": 30 * p, "resolutionMinutes": 480 * p} for p in (1, 2, 3, 4)
]

CREATE_SUPPLIER = """mutation($input: SupplierCreateInput!) {
  createSupplier(input: $input) { errors { field code message } supplier { id name isInternal
    contractEndsOn } } }"""
CREATE_AGREEMENT = """mutation($input: AgreementCreateInput!) {
  createAgreement(input: $input) { errors { field code } agreement { id name kind
    availabilityPercent supplier { name } targets { priority responseMinutes } } } }"""
CREATE_SERVICE = """mutation($input: ServiceCreateInput!) {
  createService(input: $input) { errors { field code } service { id name category
    suppliers { name } } } }"""
UPDATE_SERVICE = """mutation($id: ID!, $input: ServiceUpdateInput!) {
  updateService(id: $id, input: $input) { errors { field code } service { name lifecycle } } }"""
CREATE_OFFERING = """mutation($input: OfferingCreateInput!) {
  createOffering(input: $input) { errors { field code } offering { id code securityLevel
    availabilityLevel priceModel unit currentPrice { monthlyOre } agreement { kind } } } }"""
UPDATE_OFFERING = """mutation($id: ID!, $input: OfferingUpdateInput!) {
  updateOffering(id: $id, input: $input) { errors { field code } offering { code name
    maxQuantity } } }"""
ADD_PRICE = """mutation($offering: ID!, $from: Date!, $monthly: Ore!) {
  addOfferingPrice(offering: $offering, validFrom: $from, monthlyOre: $monthly) {
    errors { field code } price { validFrom } } }"""
SET_RELATION = """mutation($offering: ID!, $other: ID!, $kind: OfferingRelationKind!) {
  setOfferingRelation(offering: $offering, other: $other, kind: $kind) {
    errors { field code } offering { code requires { code } excludes { code } } } }"""
RETIRE_OFFERING = """mutation($offering: ID!) {
  retireOffering(offering: $offering, reason: "Ersätts") {
    errors { field code } offering { lifecycle orderable } } }"""


def _offering_input(cat, **change):
    return {
        "service": gid(cat.service),
        "code": "vpn-bas",
        "name": "Fjärråtkomst",
        "securityLevel": 3,
        "availabilityLevel": 3,
        "priceModel": "PER_UNIT_MONTHLY",
        "unit": "användare",
        "maxQuantity": 500,
        "agreement": gid(cat.sla),
        "price": {"validFrom": today().isoformat(), "monthlyOre": 2500},
        **change,
    }


def test_a_catalogue_manager_builds_the_catalogue_through_graphql(federation):
    cat_user = federation.user("cat")
    # when the catalogue manager creates a supplier, an SLA, a service and two offerings
    supplier = gql(
        CREATE_SUPPLIER,
        {"input": {"name": "Påhittade Nät AB", "contractEndsOn": "2028-06-30"}},
        user=cat_user,
    ).data["createSupplier"]
    assert supplier["errors"] == []
    assert supplier["supplier"]["contractEndsOn"] == "2028-06-30"
    agreement = gql(
        CREATE_AGREEMENT,
        {
            "input": {
                "name": "SLA Påhittade Nät",
                "kind": "SLA",
                "supplier": supplier["supplier"]["id"],
                "availabilityPercent": "99.95",
                "supportHours": "Dygnet runt",
                "targets": TARGETS,
            }
        },
        user=cat_user,
    ).data["createAgreement"]
    assert agreement["errors"] == []
    assert agreement["agreement"]["availabilityPercent"] == "99.950"
    assert [t["priority"] for t in agreement["agreement"]["targets"]] == [1, 2, 3, 4]
    service = gql(
        CREATE_SERVICE,
        {
            "input": {
                "name": "Nätverk",
                "category": "INFRASTRUCTURE",
                "owner": "Central IT, Infrastruktur",
                "suppliers": [supplier["supplier"]["id"]],
            }
        },
        user=cat_user,
    ).data["createService"]
    assert service["errors"] == []
    assert service["service"]["suppliers"] == [{"name": "Påhittade Nät AB"}]
    offerings = []
    for code in ("vpn-bas", "vpn-plus"):
        result = gql(
            CREATE_OFFERING,
            {
                "input": {
                    "service": service["service"]["id"],
                    "code": code,
                    "name": code.upper(),
                    "securityLevel": 3,
                    "availabilityLevel": 3,
                    "priceModel": "PER_UNIT_MONTHLY",
                    "unit": "användare",
                    "maxQuantity": 500,
                    "agreement": agreement["agreement"]["id"],
                    "price": {"validFrom": today().isoformat(), "monthlyOre": 2500},
                }
            },
            user=cat_user,
        ).data["createOffering"]
        assert result["errors"] == []
        offerings.append(result["offering"])
    assert offerings[0]["currentPrice"] == {"monthlyOre": 2500}
    assert offerings[0]["agreement"] == {"kind": "SLA"}
    # and updates one, adds a price and makes the two exclude each other
    updated = gql(
        UPDATE_OFFERING,
        {"id": offerings[0]["id"], "input": {"name": "VPN bas", "maxQuantity": 1000}},
        user=cat_user,
    ).data["updateOffering"]
    assert updated == {
        "errors": [],
        "offering": {"code": "vpn-bas", "name": "VPN bas", "maxQuantity": 1000},
    }
    priced = gql(
        ADD_PRICE,
        {
            "offering": offerings[0]["id"],
            "from": (today() + dt.timedelta(days=40)).isoformat(),
            "monthly": 2700,
        },
        user=cat_user,
    ).data["addOfferingPrice"]
    assert priced["errors"] == []
    related = gql(
        SET_RELATION,
        {"offering": offerings[0]["id"], "other": offerings[1]["id"], "kind": "EXCLUDES"},
        user=cat_user,
    ).data["setOfferingRelation"]
    assert related == {
        "errors": [],
        "offering": {"code": "vpn-bas", "requires": [], "excludes": [{"code": "vpn-plus"}]},
    }
    # then the rows exist, and every change is in the audit log by the manager
    offering = Offering.objects.get(code="vpn-bas")
    assert offering.prices.count() == 2
    assert OfferingRelation.objects.filter(offering=offering, kind=RelationKind.EXCLUDES).count()
    actions = AuditEvent.objects.filter(actor=cat_user).values_list("action", flat=True)
    assert sorted(actions) == sorted(
        [
            "catalogue.supplier.created",
            "catalogue.agreement.created",
            "catalogue.service.created",
            "catalogue.offering.created",
            "catalogue.price.added",
            "catalogue.offering.created",
            "catalogue.price.added",
            "catalogue.offering.updated",
            "catalogue.price.added",
            "catalogue.relation.set",
        ]
    )


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"securityLevel": 0}, "securityLevel", "OUT_OF_RANGE"),
        ({"availabilityLevel": 5}, "availabilityLevel", "OUT_OF_RANGE"),
        ({"minQuantity": 10, "maxQuantity": 2}, "maxQuantity", "OUT_OF_RANGE"),
        ({"unit": ""}, "unit", "REQUIRED"),
        ({"code": "Ogiltig kod"}, "code", "INVALID"),
        ({"code": "test-offering-000"}, "code", "DUPLICATE"),
        ({"service": "U2VydmljZTow"}, "service", "NOT_FOUND"),  # Service:0
        ({"agreement": "bm9wZQ=="}, "agreement", "NOT_FOUND"),  # not a relay id
        ({"lifecycle": "RETIRED"}, "lifecycle", "INVALID_STATE"),
        ({"leadTimeDays": -3}, "leadTimeDays", "OUT_OF_RANGE"),
        (
            {"price": {"validFrom": "2026-01-01", "monthlyOre": -5}},
            "price.monthlyOre",
            "OUT_OF_RANGE",
        ),
    ],
)
def test_bad_offering_input_is_named_in_graphql_and_writes_nothing(federation, change, field, code):
    cat = make_catalogue(offerings=1)
    before = snapshot()
    response = gql(
        CREATE_OFFERING, {"input": _offering_input(cat, **change)}, user=federation.user("cat")
    )
    result = response.data["createOffering"]
    assert result["offering"] is None
    assert {"field": field, "code": code} in result["errors"]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("query", "variables", "payload", "field", "code"),
    [
        (
            ADD_PRICE,
            {"from": "2000-01-01", "monthly": 1},
            "addOfferingPrice",
            "validFrom",
            "INVALID",
        ),
        (ADD_PRICE, {"monthly": -1}, "addOfferingPrice", "monthlyOre", "OUT_OF_RANGE"),
        (ADD_PRICE, {"offering": "U2VydmljZTox"}, "addOfferingPrice", "offering", "NOT_FOUND"),
        (SET_RELATION, {"other": "SELF"}, "setOfferingRelation", "other", "INVALID"),
        (SET_RELATION, {"other": "T2ZmZXJpbmc6MA=="}, "setOfferingRelation", "other", "NOT_FOUND"),
        (
            UPDATE_SERVICE,
            {"input": {"lifecycle": "PLANNED"}},
            "updateService",
            "lifecycle",
            "INVALID_STATE",
        ),
        (UPDATE_SERVICE, {"input": {"name": ""}}, "updateService", "name", "REQUIRED"),
        (
            UPDATE_SERVICE,
            {"input": {"suppliers": ["U3VwcGxpZXI6MA=="]}},
            "updateService",
            "suppliers",
            "NOT_FOUND",
        ),
        (
            CREATE_AGREEMENT,
            {
                "input": {
                    "name": "OLA",
                    "kind": "OLA",
                    "availabilityPercent": "99",
                    "supportHours": "Vardagar",
                    "targets": TARGETS[:2],
                }
            },
            "createAgreement",
            "targets",
            "REQUIRED",
        ),
        (
            CREATE_AGREEMENT,
            {
                "input": {
                    "name": "SLA",
                    "kind": "SLA",
                    "availabilityPercent": "99",
                    "supportHours": "Vardagar",
                    "targets": TARGETS,
                }
            },
            "createAgreement",
            "supplier",
            "REQUIRED",
        ),
        (
            CREATE_AGREEMENT,
            {
                "input": {
                    "name": "OLA",
                    "kind": "OLA",
                    "availabilityPercent": "99",
                    "supportHours": "Vardagar",
                    "targets": [*TARGETS[:3], {**TARGETS[3], "responseMinutes": 10**6}],
                }
            },
            "createAgreement",
            "targets.3.responseMinutes",
            "INVALID",
        ),
        (
            CREATE_SUPPLIER,
            {"input": {"name": "Testleverantören AB"}},
            "createSupplier",
            "name",
            "DUPLICATE",
        ),
    ],
)
def test_bad_input_to_other_mutations_is_named_and_writes_nothing(
    federation, query, variables, payload, field, code
):
    cat = make_catalogue(offerings=1)
    offering = gid(cat.offerings[0])
    defaults = {
        ADD_PRICE: {"offering": offering, "from": today().isoformat(), "monthly": 100},
        SET_RELATION: {"offering": offering, "other": offering, "kind": "REQUIRES"},
        UPDATE_SERVICE: {"id": gid(cat.service)},
    }.get(query, {})
    variables = {**defaults, **variables}
    if variables.get("other") == "SELF":
        variables["other"] = offering
    before = snapshot()
    response = gql(query, variables, user=federation.user("cat"))
    assert response.errors == []
    errors = response.data[payload]["errors"]
    assert {"field": field, "code": code} in [
        {"field": e["field"], "code": e["code"]} for e in errors
    ]
    assert snapshot() == before


ALL_MUTATIONS = [
    (
        "createService",
        CREATE_SERVICE,
        lambda c: {"input": {"name": "X", "category": "EMAIL", "owner": "Central IT"}},
    ),
    ("updateService", UPDATE_SERVICE, lambda c: {"id": gid(c.service), "input": {"name": "Y"}}),
    ("createOffering", CREATE_OFFERING, lambda c: {"input": _offering_input(c)}),
    (
        "updateOffering",
        UPDATE_OFFERING,
        lambda c: {"id": gid(c.offerings[0]), "input": {"name": "Z"}},
    ),
    (
        "addOfferingPrice",
        ADD_PRICE,
        lambda c: {"offering": gid(c.offerings[0]), "from": today().isoformat(), "monthly": 1},
    ),
    (
        "setOfferingRelation",
        SET_RELATION,
        lambda c: {
            "offering": gid(c.offerings[0]),
            "other": gid(c.offerings[1]),
            "kind": "REQUIRES",
        },
    ),
    ("retireOffering", RETIRE_OFFERING, lambda c: {"offering": gid(c.offerings[0])}),
    (
        "removeOfferingRelation",
        """mutation($offering: ID!, $other: ID!) {
          removeOfferingRelation(offering: $offering, other: $other, kind: EXCLUDES) {
            errors { field code } offering { code } } }""",
        lambda c: {"offering": gid(c.offerings[0]), "other": gid(c.offerings[1])},
    ),
    (
        "retireService",
        """mutation($service: ID!) { retireService(service: $service) {
             errors { field code } service { name } } }""",
        lambda c: {"service": gid(c.service)},
    ),
    (
        "updateSupplier",
        """mutation($id: ID!) { updateSupplier(id: $id, input: {name: "X AB"}) {
             errors { field code } supplier { name } } }""",
        lambda c: {"id": gid(c.supplier)},
    ),
    (
        "updateAgreement",
        """mutation($id: ID!) { updateAgreement(id: $id, input: {name: "X"}) {
             errors { field code } agreement { name } } }""",
        lambda c: {"id": gid(c.ola)},
    ),
    ("createSupplier", CREATE_SUPPLIER, lambda c: {"input": {"name": "Ny AB"}}),
    (
        "createAgreement",
        CREATE_AGREEMENT,
        lambda c: {
            "input": {
                "name": "OLA",
                "kind": "OLA",
                "availabilityPercent": "99",
                "supportHours": "Vardagar",
                "targets": TARGETS,
            }
        },
    ),
]


@pytest.mark.parametrize(
    ("user", "host"),
    [
        ("alpha-admin", None),
        ("alpha-staff", None),
        ("fin", None),
        ("desk", None),
        ("tech", None),
        ("nobody", None),
        ("alpha-admin", "alpha"),
        ("alpha-staff", "alpha"),
        ("beta-admin", "beta"),
    ],
)
def test_only_catalogue_managers_mutate_on_any_host(federation, user, host):
    # given a catalogue where two offerings exclude each other
    cat = make_catalogue(offerings=2)
    relate(cat.offerings[0], RelationKind.EXCLUDES, cat.offerings[1])
    agency = getattr(federation, host) if host else None
    before = snapshot()
    for name, query, variables in ALL_MUTATIONS:
        # when someone without the catalogue role calls each mutation
        response = gql(query, variables(cat), agency=agency, user=federation.user(user))
        # then it is refused as data, and nothing changed
        assert response.errors == [], name
        payload = response.data[name]
        assert [e["code"] for e in payload["errors"]] == ["PERMISSION_DENIED"], name
        assert [v for k, v in payload.items() if k != "errors"] == [None], name
    assert snapshot() == before


def test_anonymous_callers_cannot_mutate(federation):
    cat = make_catalogue(offerings=2)
    before = footprint()
    for name, query, variables in ALL_MUTATIONS:
        response = gql(query, variables(cat))
        assert [e["code"] for e in response.data[name]["errors"]] == ["PERMISSION_DENIED"], name
    assert footprint() == before


def test_a_catalogue_manager_does_not_mutate_from_an_agency_host(federation):
    # given the catalogue manager on alpha's host (central roles have no role there)
    cat = make_catalogue(offerings=2)
    before = snapshot()
    response = gql(
        UPDATE_SERVICE,
        {"id": gid(cat.service), "input": {"name": "Y"}},
        agency=federation.alpha,
        user=federation.user("cat"),
    )
    assert response.data is None or response.data["updateService"]["service"] is None
    assert snapshot() == before


def test_retiring_an_offering_makes_it_not_orderable(federation):
    cat = make_catalogue(offerings=1)
    response = gql(
        RETIRE_OFFERING, {"offering": gid(cat.offerings[0])}, user=federation.user("root")
    )
    assert response.data["retireOffering"] == {
        "errors": [],
        "offering": {"lifecycle": "RETIRED", "orderable": None},
    }
    listed = gql(
        "{ offerings(first: 100) { edges { node { code orderable notOrderableReason } } } }",
        agency=federation.alpha,
        user=federation.user("alpha-admin"),
    )
    node = next(
        e["node"]
        for e in listed.data["offerings"]["edges"]
        if e["node"]["code"] == "test-offering-000"
    )
    assert node == {
        "code": "test-offering-000",
        "orderable": False,
        "notOrderableReason": "The offering is retired.",
    }
    assert AuditEvent.objects.get(action="catalogue.offering.retired").reason == "Ersätts"


def test_update_service_retired_retires_offerings_and_lists_by_lifecycle(federation):
    cat = make_catalogue(offerings=2)
    response = gql(
        UPDATE_SERVICE,
        {"id": gid(cat.service), "input": {"lifecycle": "RETIRED"}},
        user=federation.user("cat"),
    )
    assert response.data["updateService"] == {
        "errors": [],
        "service": {"name": "Testtjänst e-post", "lifecycle": "RETIRED"},
    }
    assert set(
        Offering.objects.filter(service=cat.service).values_list("lifecycle", flat=True)
    ) == {Lifecycle.RETIRED}
    assert Service.objects.get(pk=cat.service.pk).lifecycle == Lifecycle.RETIRED


def test_update_agreement_and_supplier_through_graphql(federation):
    cat = make_catalogue(offerings=0)
    response = gql(
        """mutation($id: ID!) { updateAgreement(id: $id, input: {supportHours: "Alla dagar",
             availabilityPercent: "99.8"}) { errors { field code }
             agreement { supportHours availabilityPercent } } }""",
        {"id": gid(cat.ola)},
        user=federation.user("cat"),
    )
    assert response.data["updateAgreement"] == {
        "errors": [],
        "agreement": {"supportHours": "Alla dagar", "availabilityPercent": "99.800"},
    }
    response = gql(
        """mutation($id: ID!) { updateSupplier(id: $id, input: {contractEndsOn: "2030-01-31"}) {
             errors { field code } supplier { name contractEndsOn } } }""",
        {"id": gid(cat.supplier)},
        user=federation.user("cat"),
    )
    assert response.data["updateSupplier"] == {
        "errors": [],
        "supplier": {"name": "Testleverantören AB", "contractEndsOn": "2030-01-31"},
    }
    assert Agreement.objects.get(pk=cat.ola.pk).support_hours == "Alla dagar"
    assert str(Supplier.objects.get(pk=cat.supplier.pk).contract_ends_on) == "2030-01-31"
