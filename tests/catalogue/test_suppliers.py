"""Supplier contracts and the spend-concentration report: validation, audit, exact figures
(shares summing to 100.00), who may read and write, and constant query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.audit.models import AuditEvent
from services.catalogue import suppliers
from services.catalogue.errors import CatalogueErrorCode as Code
from services.catalogue.models import Category, Service, Supplier, SupplierContract
from tests.catalogue import gid
from tests.graphql import gql

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2027, 6, 30)


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errs] for field, errs in exc.error_dict.items()}


def _service(name: str, category: str) -> Service:
    return Service.objects.create(name=name, category=category, owner="Central IT")


def _contract(supplier, reference, *, starts_on, ends_on, value_ore=0, annual=None, services=()):
    contract = SupplierContract.objects.create(
        supplier=supplier,
        reference=reference,
        value_ore=value_ore,
        annual_value_ore=annual,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    contract.services.set(services)
    return contract


@pytest.fixture
def market(db):
    """Three external suppliers and central IT, with contracts in and out of force on AS_OF.

    A: a named annual value of 50 000 000 öre, for two infrastructure services and one
       licence service (split 2:1 -> 33 333 333 and 16 666 667, largest remainder).
    B: 25 000 000 öre over 2027 (365 days) -> 25 000 000 a year, licences.
    C: 50 000 000 öre over 2027-2028 (731 days) -> 24 965 800.27 -> 24 965 800, no service.
    Central IT: 99 000 000 a year (internal, outside the shares).
    Not in force on AS_OF: one of A's (ended 2027-06-29) and one of B's (starts 2027-07-01).
    """
    a = Supplier.objects.create(name="A Drift AB")
    b = Supplier.objects.create(name="B Licens AB")
    c = Supplier.objects.create(name="C Konsult AB")
    internal = Supplier.objects.create(name="Central IT test", is_internal=True)
    infra1 = _service("Servrar T", Category.INFRASTRUCTURE)
    infra2 = _service("Lagring T", Category.INFRASTRUCTURE)
    licences = _service("Licenser T", Category.LICENCES)
    year = {"starts_on": dt.date(2027, 1, 1), "ends_on": dt.date(2027, 12, 31)}
    _contract(a, "A-1", annual=50_000_000, services=[infra1, infra2, licences], **year)
    _contract(b, "B-1", value_ore=25_000_000, services=[licences], **year)
    _contract(
        c, "C-1", value_ore=50_000_000, starts_on=dt.date(2027, 1, 1), ends_on=dt.date(2028, 12, 31)
    )
    _contract(internal, "INT-1", annual=99_000_000, services=[infra1], **year)
    _contract(
        a, "A-old", annual=10_000_000, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2027, 6, 29)
    )
    _contract(
        b, "B-next", annual=10_000_000, starts_on=dt.date(2027, 7, 1), ends_on=dt.date(2028, 6, 30)
    )
    return {"a": a, "b": b, "c": c, "internal": internal, "licences": licences, "infra": infra1}


# --- the report, in the domain ---------------------------------------------------------------


def test_annualising_rounds_to_the_nearest_ore_halves_up():
    day = dt.date(2027, 1, 1)
    contract = SupplierContract(value_ore=1_000, starts_on=day, ends_on=dt.date(2028, 1, 1))
    assert suppliers.annualised_ore(contract) == 997  # 1000 * 365 / 366 = 997.27
    contract.value_ore, contract.ends_on = 3, dt.date(2027, 1, 2)  # 3 * 365 / 2 = 547.5
    assert suppliers.annualised_ore(contract) == 548
    contract.annual_value_ore = 12  # a named annual value wins
    assert suppliers.annualised_ore(contract) == 12


def test_the_concentration_figures_are_exact(market):
    # when the report is made for AS_OF with the default threshold (40 %)
    report = suppliers.supplier_concentration(AS_OF)
    # then the external suppliers are listed largest first with exact annual values
    assert report.total_annual_ore == 99_965_800
    assert report.internal_annual_ore == 99_000_000
    assert [(s.supplier.name, s.annual_ore, s.share_percent) for s in report.suppliers] == [
        ("A Drift AB", 50_000_000, Decimal("50.02")),
        ("B Licens AB", 25_000_000, Decimal("25.01")),
        ("C Konsult AB", 24_965_800, Decimal("24.97")),
    ]
    assert sum(s.share_percent for s in report.suppliers) == Decimal("100.00")
    # and only A is above 40 %
    assert report.threshold_percent == Decimal(40)
    assert report.flagged == ["A Drift AB"]
    # and A's spend is split over its categories 2:1 with the odd öre to the larger remainder
    a = report.suppliers[0]
    assert [(c.category, c.annual_ore, c.share_percent) for c in a.categories] == [
        (Category.INFRASTRUCTURE, 33_333_333, Decimal("66.67")),
        (Category.LICENCES, 16_666_667, Decimal("33.33")),
    ]
    assert (a.contract_count, a.value_ore) == (1, 0)
    # and central IT is shown apart, without a share
    assert [(s.supplier.name, s.annual_ore, s.share_percent) for s in report.internal] == [
        ("Central IT test", 99_000_000, None)
    ]


def test_the_per_category_shares_sum_to_100_where_rounding_would_not(market):
    report = suppliers.supplier_concentration(AS_OF)
    # infrastructure 33.3447 %, licences 41.6809 %, unassigned 24.9743 %: rounded each, they
    # would sum to 99.99; the largest remainder gives the missing hundredth to infrastructure
    assert [(c.category, c.annual_ore, c.share_percent) for c in report.categories] == [
        (Category.LICENCES, 41_666_667, Decimal("41.68")),
        (Category.INFRASTRUCTURE, 33_333_333, Decimal("33.35")),
        (None, 24_965_800, Decimal("24.97")),
    ]
    licences = report.categories[0]
    # A holds 16 666 667 of 41 666 667 = 40.0000007 %: shown as 40.00, yet above 40 exactly
    assert [
        (s.supplier.name, s.annual_ore, s.share_percent, s.over_threshold)
        for s in licences.suppliers
    ] == [
        ("B Licens AB", 25_000_000, Decimal("60.00"), True),
        ("A Drift AB", 16_666_667, Decimal("40.00"), True),
    ]


def test_the_threshold_can_be_set(market, settings):
    settings.SAMNAV_SUPPLIER_CONCENTRATION_THRESHOLD_PERCENT = "50.02"
    assert suppliers.supplier_concentration(AS_OF).flagged == []
    assert suppliers.supplier_concentration(AS_OF, threshold=Decimal("25")).flagged == [
        "A Drift AB",
        "B Licens AB",
    ]


def test_a_day_without_external_contracts_has_no_shares(market):
    report = suppliers.supplier_concentration(dt.date(2020, 1, 1))
    assert (report.total_annual_ore, report.suppliers, report.categories) == (0, [], [])
    # a zero-valued contract in force: listed, but no share of a zero total
    SupplierContract.objects.filter(reference="B-1").update(value_ore=0)
    report = suppliers.supplier_concentration(dt.date(2027, 6, 30))
    b = next(s for s in report.suppliers if s.supplier.name == "B Licens AB")
    assert (b.annual_ore, b.share_percent is not None) == (0, True)


def test_the_report_reads_a_fixed_number_of_queries(market):
    with CaptureQueriesContext(connection) as small:
        suppliers.supplier_concentration(AS_OF)
    for i in range(20):
        _contract(
            market["c"],
            f"C-{i + 2}",
            value_ore=1_000 + i,
            starts_on=dt.date(2027, 1, 1),
            ends_on=dt.date(2027, 12, 31),
            services=[market["licences"], market["infra"]],
        )
    with CaptureQueriesContext(connection) as large:
        suppliers.supplier_concentration(AS_OF)
    assert len(large.captured_queries) == len(small.captured_queries)


# --- contract actions ------------------------------------------------------------------------


def test_a_catalogue_manager_creates_and_updates_a_contract(federation, market):
    cat = federation.user("cat")
    # when a contract is created
    contract = suppliers.create_supplier_contract(
        cat,
        supplier=market["b"].pk,
        reference=" RA-2027-001 ",
        value_ore=3_000_000_000_00,  # 3 thousand million SEK: beyond 32 bits
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2029, 12, 31),
        services=[market["licences"].pk],
        notes="Ramavtal",
    )
    # then it is stored trimmed, with its services, and audited
    assert (contract.reference, contract.value_ore) == ("RA-2027-001", 3_000_000_000_00)
    assert list(contract.services.all()) == [market["licences"]]
    created = AuditEvent.objects.get(
        action="catalogue.supplier_contract.created", object_id=str(contract.pk)
    )
    assert created.actor == cat
    assert created.changes["services"] == [None, [market["licences"].pk]]
    # when its annual value is named
    suppliers.update_supplier_contract(cat, contract, annual_value_ore=1_000_000_000_00)
    contract.refresh_from_db()
    assert contract.annual_value_ore == 1_000_000_000_00
    updated = AuditEvent.objects.get(
        action="catalogue.supplier_contract.updated", object_id=str(contract.pk)
    )
    assert updated.changes == {"annual_value_ore": [None, 1_000_000_000_00]}


def test_bad_contract_input_names_every_field_and_writes_nothing(federation, market):
    count = SupplierContract.objects.count()
    with pytest.raises(ValidationError) as exc:
        suppliers.create_supplier_contract(
            None,
            supplier=999_999,
            reference="",
            value_ore=-1,
            annual_value_ore="12",
            starts_on=dt.date(2027, 1, 1),
            ends_on=dt.date(2027, 1, 1),  # must end after it starts
            services=[999_999],
        )
    assert _errors(exc.value) == {
        "supplier": [Code.NOT_FOUND],
        "reference": [Code.REQUIRED],
        "value_ore": [Code.OUT_OF_RANGE],
        "annual_value_ore": [Code.INVALID],
        "ends_on": [Code.OUT_OF_RANGE],
        "services": [Code.NOT_FOUND],
    }
    with pytest.raises(ValidationError) as exc:
        suppliers.create_supplier_contract(
            None,
            supplier=market["a"],
            reference="A-1",
            value_ore=1,
            starts_on=None,
            ends_on=dt.date(2027, 1, 1),
        )
    assert _errors(exc.value) == {"reference": [Code.DUPLICATE], "starts_on": [Code.REQUIRED]}
    assert SupplierContract.objects.count() == count


@pytest.mark.parametrize("user", ["fin", "alpha-admin", "desk", "nobody"])
def test_only_catalogue_managers_and_platform_admins_write_contracts(federation, market, user):
    contract = SupplierContract.objects.get(reference="A-1")
    with pytest.raises(PermissionDenied):
        suppliers.create_supplier_contract(
            federation.user(user),
            supplier=market["a"],
            reference="X",
            value_ore=1,
            starts_on=dt.date(2027, 1, 1),
            ends_on=dt.date(2027, 2, 1),
        )
    with pytest.raises(PermissionDenied):
        suppliers.update_supplier_contract(federation.user(user), contract, value_ore=5)
    contract.refresh_from_db()
    assert contract.value_ore == 0
    assert not SupplierContract.objects.filter(reference="X").exists()


# --- GraphQL ---------------------------------------------------------------------------------

CONTRACTS = """
query($supplier: ID, $inForceOn: Date) {
  supplierContracts(first: 100, supplier: $supplier, inForceOn: $inForceOn) {
    totalCount
    edges { node {
      id reference valueOre annualValueOre annualisedOre startsOn endsOn notes
      supplier { name isInternal }
      services { id name category }
    } }
  }
}
"""

REPORT = """
query($asOf: Date!, $threshold: Decimal) {
  supplierConcentration(asOf: $asOf, thresholdPercent: $threshold) {
    asOf thresholdPercent totalAnnualOre internalAnnualOre flagged
    suppliers { supplier { name } contractCount annualOre sharePercent overThreshold
                categories { category annualOre sharePercent } }
    categories { category annualOre sharePercent
                 suppliers { supplier { name } annualOre sharePercent overThreshold } }
    internal { supplier { name } annualOre sharePercent }
  }
}
"""


@pytest.mark.parametrize("user", ["fin", "cat", "root"])
def test_finance_and_the_catalogue_read_the_report(federation, market, user):
    response = gql(REPORT, {"asOf": "2027-06-30"}, user=federation.user(user))
    assert response.errors == []
    report = response.data["supplierConcentration"]
    assert report["flagged"] == ["A Drift AB"]
    assert report["thresholdPercent"] == "40"
    assert report["totalAnnualOre"] == 99_965_800
    assert [(s["supplier"]["name"], s["sharePercent"]) for s in report["suppliers"]] == [
        ("A Drift AB", "50.02"),
        ("B Licens AB", "25.01"),
        ("C Konsult AB", "24.97"),
    ]
    assert report["suppliers"][0]["categories"] == [
        {"category": "INFRASTRUCTURE", "annualOre": 33_333_333, "sharePercent": "66.67"},
        {"category": "LICENCES", "annualOre": 16_666_667, "sharePercent": "33.33"},
    ]
    assert [(c["category"], c["sharePercent"]) for c in report["categories"]] == [
        ("LICENCES", "41.68"),
        ("INFRASTRUCTURE", "33.35"),
        (None, "24.97"),
    ]
    assert report["internal"] == [
        {"supplier": {"name": "Central IT test"}, "annualOre": 99_000_000, "sharePercent": None}
    ]


@pytest.mark.parametrize(
    ("user", "host", "code"),
    [
        (None, None, "UNAUTHENTICATED"),
        ("nobody", None, "FORBIDDEN"),
        ("desk", None, "FORBIDDEN"),  # contract values are for the catalogue and finance
        ("tech", None, "FORBIDDEN"),
        ("alpha-admin", None, "FORBIDDEN"),
        ("alpha-admin", "alpha", "FORBIDDEN"),
        ("beta-staff", "beta", "FORBIDDEN"),
        ("fin", "alpha", "FORBIDDEN"),
    ],
)
def test_others_cannot_read_contracts_or_the_report(federation, market, user, host, code):
    agency = getattr(federation, host) if host else None
    caller = federation.user(user) if user else None
    for query, variables, field in (
        (REPORT, {"asOf": "2027-06-30"}, "supplierConcentration"),
        (CONTRACTS, {}, "supplierContracts"),
    ):
        response = gql(query, variables, agency=agency, user=caller)
        assert (response.data or {}).get(field) is None
        assert [e["extensions"]["code"] for e in response.errors] == [code]


def test_a_contract_is_not_reachable_by_id_for_agency_users(federation, market):
    contract = SupplierContract.objects.get(reference="A-1")
    query = "query($id: ID!) { node(id: $id) { ... on SupplierContract { reference } } }"
    response = gql(
        query, {"id": gid(contract)}, agency=federation.alpha, user=federation.user("alpha-admin")
    )
    assert response.data["node"] is None
    response = gql(query, {"id": gid(contract)}, user=federation.user("fin"))
    assert response.data["node"] == {"reference": "A-1"}


def test_the_contract_list_and_its_filters(federation, market):
    response = gql(
        CONTRACTS,
        {"supplier": gid(market["a"]), "inForceOn": "2027-06-30"},
        user=federation.user("fin"),
    )
    assert response.errors == []
    nodes = [e["node"] for e in response.data["supplierContracts"]["edges"]]
    assert [
        (n["reference"], n["annualisedOre"], [s["name"] for s in n["services"]]) for n in nodes
    ] == [("A-1", 50_000_000, ["Lagring T", "Licenser T", "Servrar T"])]
    response = gql(CONTRACTS, {"supplier": gid(market["c"])}, user=federation.user("cat"))
    node = response.data["supplierContracts"]["edges"][0]["node"]
    assert (node["valueOre"], node["annualValueOre"], node["annualisedOre"]) == (
        50_000_000,
        None,
        24_965_800,
    )


def test_the_contract_list_costs_the_same_queries_for_2_and_10_contracts(federation, db):
    supplier = Supplier.objects.create(name="Lista AB")
    services = [_service(f"Tjänst {i}", Category.SUPPORT) for i in range(3)]
    day = {"starts_on": dt.date(2027, 1, 1), "ends_on": dt.date(2027, 12, 31)}

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = gql(CONTRACTS, user=federation.user("fin"))
        assert response.errors == []
        return len(ctx.captured_queries), response.data["supplierContracts"]["totalCount"]

    for i in range(2):
        _contract(supplier, f"L-{i}", value_ore=i, services=services, **day)
    small, small_total = count()
    for i in range(2, 10):
        _contract(supplier, f"L-{i}", value_ore=i, services=services[: i % 3 + 1], **day)
    large, large_total = count()
    assert (small_total, large_total) == (2, 10)
    assert large == small


CREATE = """
mutation($input: SupplierContractCreateInput!) {
  createSupplierContract(input: $input) {
    contract { reference valueOre services { name } supplier { name } }
    errors { field code }
  }
}
"""
UPDATE = """
mutation($id: ID!, $input: SupplierContractUpdateInput!) {
  updateSupplierContract(id: $id, input: $input) {
    contract { reference endsOn }
    errors { field code }
  }
}
"""


def test_the_catalogue_manager_writes_contracts_through_the_api(federation, market):
    cat = federation.user("cat")
    response = gql(
        CREATE,
        {
            "input": {
                "supplier": gid(market["c"]),
                "reference": "C-2",
                "valueOre": 4_000_000_000_00,
                "startsOn": "2027-01-01",
                "endsOn": "2027-12-31",
                "services": [gid(market["licences"])],
            }
        },
        user=cat,
    )
    assert response.data["createSupplierContract"] == {
        "contract": {
            "reference": "C-2",
            "valueOre": 4_000_000_000_00,
            "services": [{"name": "Licenser T"}],
            "supplier": {"name": "C Konsult AB"},
        },
        "errors": [],
    }
    contract = SupplierContract.objects.get(reference="C-2")
    response = gql(UPDATE, {"id": gid(contract), "input": {"endsOn": "2026-12-31"}}, user=cat)
    assert response.data["updateSupplierContract"] == {
        "contract": None,
        "errors": [{"field": "endsOn", "code": "OUT_OF_RANGE"}],
    }


@pytest.mark.parametrize(
    ("user", "host"), [("fin", None), ("alpha-admin", None), ("alpha-admin", "alpha")]
)
def test_others_cannot_write_contracts_through_the_api(federation, market, user, host):
    contract = SupplierContract.objects.get(reference="A-1")
    agency = getattr(federation, host) if host else None
    count = SupplierContract.objects.count()
    create = {
        "input": {
            "supplier": gid(market["a"]),
            "reference": "Y",
            "valueOre": 1,
            "startsOn": "2027-01-01",
            "endsOn": "2027-12-31",
        }
    }
    update = {"id": gid(contract), "input": {"reference": "Z"}}
    for query, variables, name in (
        (CREATE, create, "createSupplierContract"),
        (UPDATE, update, "updateSupplierContract"),
    ):
        response = gql(query, variables, agency=agency, user=federation.user(user))
        assert [e["code"] for e in response.data[name]["errors"]] == ["PERMISSION_DENIED"]
    contract.refresh_from_db()
    assert (contract.reference, SupplierContract.objects.count()) == ("A-1", count)


# --- demo ------------------------------------------------------------------------------------


def test_loading_the_demo_contracts_twice_creates_nothing_the_second_time(federation):
    from demo.data.catalogue import load_catalogue
    from demo.data.supplier_contracts import CONTRACTS, load_supplier_contracts

    # given the demo catalogue
    load_catalogue()
    # when the demo contracts are loaded twice
    first = load_supplier_contracts()
    count = SupplierContract.objects.count()
    second = load_supplier_contracts()
    # then the second load creates nothing
    assert (first, second) == (len(CONTRACTS), 0)
    assert SupplierContract.objects.count() == count
    # and every contract delivers at least one service of the catalogue
    assert not SupplierContract.objects.filter(services__isnull=True).exists()
    # and the report flags the largest external supplier
    report = suppliers.supplier_concentration(dt.date(2026, 12, 1))
    assert report.flagged == ["Nordljus Drift AB"]
    assert report.suppliers[0].share_percent == Decimal("42.26")  # 24 of 56.78 million SEK a year
    assert sum(s.share_percent for s in report.suppliers) == Decimal("100.00")
