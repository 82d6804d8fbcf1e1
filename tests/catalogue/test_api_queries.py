"""Catalogue queries: who may read, orderability per agency host, prices, query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from services.catalogue.models import Lifecycle, OfferingPrice, RelationKind
from tests.catalogue import gid, last_year, make_catalogue, make_offering, relate
from tests.graphql import gql

pytestmark = pytest.mark.django_db

OFFERINGS = """
query($orderable: Boolean, $first: Int, $service: ID) {
  offerings(orderable: $orderable, first: $first, service: $service) {
    totalCount
    edges { node { code orderable notOrderableReason } }
  }
}
"""

FULL_LIST = """
query {
  offerings(first: 100) {
    totalCount
    edges { node {
      id code name securityLevel availabilityLevel priceModel unit minQuantity maxQuantity
      noticeDays leadTimeDays lifecycle orderable notOrderableReason
      service { name category lifecycle suppliers { name isInternal contractEndsOn } }
      agreement { name kind availabilityPercent supportHours supplier { name }
                  targets { priority responseMinutes resolutionMinutes } }
      currentPrice { validFrom monthlyOre oneOffOre monthlySek }
      prices { validFrom monthlyOre }
      requires { code currentPrice { monthlyOre } }
      excludes { code service { name } }
    } }
  }
}
"""


def _codes(response) -> list[str]:
    return [e["node"]["code"] for e in response.data["offerings"]["edges"]]


@pytest.mark.parametrize("host", [None, "alpha"])
def test_anonymous_callers_cannot_read_the_catalogue(federation, host):
    # given a catalogue
    make_catalogue(offerings=2)
    agency = getattr(federation, host) if host else None
    # when an anonymous caller asks for it, on either host
    for query in (
        "{ offerings { totalCount } }",
        "{ services { totalCount } }",
        "{ suppliers { totalCount } }",
        "{ agreements { totalCount } }",
    ):
        response = gql(query, agency=agency)
        # then it is refused, and nothing is shown (the agency host refuses the whole request)
        assert (response.data or {}).get(query.split()[1]) is None
        assert [e["extensions"]["code"] for e in response.errors] == ["UNAUTHENTICATED"]


@pytest.mark.parametrize(
    ("user", "host"),
    [
        ("nobody", None),
        ("nobody", "alpha"),
        ("alpha-admin", None),  # agency members read on their agency's host
        ("alpha-admin", "beta"),
        ("cat", "alpha"),  # central roles read on the central host
    ],
)
def test_callers_without_a_role_on_this_host_cannot_read(federation, user, host):
    make_catalogue(offerings=2)
    agency = getattr(federation, host) if host else None
    for field in ("offerings", "services", "suppliers", "agreements"):
        response = gql(f"{{ {field} {{ totalCount }} }}", agency=agency, user=federation.user(user))
        assert (response.data or {}).get(field) is None
        assert [e["extensions"]["code"] for e in response.errors] == ["FORBIDDEN"]


def test_a_node_lookup_hides_catalogue_rows_from_anonymous_callers(federation):
    cat = make_catalogue(offerings=1)
    query = "query($id: ID!) { node(id: $id) { ... on Offering { code } } }"
    variables = {"id": gid(cat.offerings[0])}
    assert gql(query, variables).data == {"node": None}
    assert gql(query, variables, user=federation.user("desk")).data == {
        "node": {"code": "test-offering-000"}
    }


@pytest.mark.parametrize(
    ("user", "host"),
    [
        ("cat", None),
        ("desk", None),
        ("fin", None),
        ("root", None),
        ("alpha-admin", "alpha"),
        ("alpha-staff", "alpha"),
        ("beta-staff", "beta"),
    ],
)
def test_people_with_a_role_read_the_catalogue(federation, user, host):
    make_catalogue(offerings=3)
    agency = getattr(federation, host) if host else None
    response = gql(OFFERINGS, agency=agency, user=federation.user(user))
    assert response.errors == []
    assert set(_codes(response)) >= {"test-offering-000", "test-offering-001", "test-offering-002"}


def test_suppliers_and_agreements_are_listed_with_targets(federation):
    cat = make_catalogue(offerings=0)
    query = """{ suppliers(first: 100) { totalCount edges { node { name isInternal } } }
      agreements(first: 100) { totalCount edges { node { name kind supplier { name }
        targets { priority responseMinutes resolutionMinutes } } } } }"""
    response = gql(query, agency=federation.alpha, user=federation.user("alpha-staff"))
    suppliers = [e["node"] for e in response.data["suppliers"]["edges"]]
    assert {"name": "Testleverantören AB", "isInternal": False} in suppliers
    assert response.data["suppliers"]["totalCount"] == len(suppliers)
    agreements = {e["node"]["name"]: e["node"] for e in response.data["agreements"]["edges"]}
    assert agreements["Test SLA"] == {
        "name": "Test SLA",
        "kind": "SLA",
        "supplier": {"name": cat.supplier.name},
        "targets": [
            {"priority": p, "responseMinutes": 15 * p, "resolutionMinutes": 240 * p}
            for p in (1, 2, 3, 4)
        ],
    }
    assert agreements["Test OLA"]["supplier"] is None


def test_the_same_offering_is_orderable_for_alpha_and_not_for_beta(federation):
    # given an offering that meets security and availability level 2
    cat = make_catalogue(offerings=0)
    make_offering(cat, "niva-2", security=2, availability=2)
    query = "{ offerings(first: 100) { edges { node { code orderable notOrderableReason } } } }"
    # when alpha (requires 2/2) and beta (requires 3/3) list the offerings on their hosts
    alpha = gql(query, agency=federation.alpha, user=federation.user("alpha-admin"))
    beta = gql(query, agency=federation.beta, user=federation.user("beta-admin"))
    central = gql(query, user=federation.user("cat"))
    # then alpha may order it, beta may not and is told which level falls short
    by_code = {n["node"]["code"]: n["node"] for n in alpha.data["offerings"]["edges"]}
    assert by_code["niva-2"] == {"code": "niva-2", "orderable": True, "notOrderableReason": None}
    by_code = {n["node"]["code"]: n["node"] for n in beta.data["offerings"]["edges"]}
    assert by_code["niva-2"] == {
        "code": "niva-2",
        "orderable": False,
        "notOrderableReason": "Meets security level 2; the agency requires 3.",
    }
    # and on the central host orderability does not apply
    by_code = {n["node"]["code"]: n["node"] for n in central.data["offerings"]["edges"]}
    assert by_code["niva-2"] == {"code": "niva-2", "orderable": None, "notOrderableReason": None}


def test_availability_lifecycle_and_missing_price_are_reasons_too(federation):
    cat = make_catalogue(offerings=0)
    make_offering(cat, "tillg-2", security=3, availability=2)
    make_offering(cat, "pensioneras", security=4, availability=4, lifecycle=Lifecycle.RETIRING)
    future = make_offering(cat, "framtida-pris", security=4, availability=4)
    OfferingPrice.objects.filter(offering=future).update(
        valid_from=timezone.localdate() + dt.timedelta(days=3)
    )
    response = gql(
        OFFERINGS,
        {"service": gid(cat.service)},
        agency=federation.beta,
        user=federation.user("beta-staff"),
    )
    reasons = {
        e["node"]["code"]: e["node"]["notOrderableReason"]
        for e in response.data["offerings"]["edges"]
    }
    assert reasons == {
        "tillg-2": "Meets availability level 2; the agency requires 3.",
        "pensioneras": "The offering is retiring.",
        "framtida-pris": "The offering has no price yet.",
    }


def test_the_orderable_filter_and_its_total_count_agree(federation):
    # given offerings at every pair of levels from 1 to 4, some retired, one without a price yet
    cat = make_catalogue(offerings=0)
    for security in (1, 2, 3, 4):
        for availability in (1, 2, 3, 4):
            make_offering(
                cat, f"s{security}-a{availability}", security=security, availability=availability
            )
    make_offering(cat, "s4-a4-retired", security=4, availability=4, lifecycle=Lifecycle.RETIRED)
    unpriced = make_offering(cat, "s4-a4-unpriced", security=4, availability=4)
    OfferingPrice.objects.filter(offering=unpriced).update(
        valid_from=timezone.localdate() + dt.timedelta(days=1)
    )
    for agency, user, expected in [
        (federation.alpha, "alpha-admin", {f"s{s}-a{a}" for s in (2, 3, 4) for a in (2, 3, 4)}),
        (federation.beta, "beta-admin", {f"s{s}-a{a}" for s in (3, 4) for a in (3, 4)}),
    ]:
        # when the agency lists what it may order, a page at a time, and what it may not
        ours = {"service": gid(cat.service)}
        page = gql(
            OFFERINGS,
            {**ours, "orderable": True, "first": 2},
            agency=agency,
            user=federation.user(user),
        )
        yes = gql(OFFERINGS, {**ours, "orderable": True}, agency=agency, user=federation.user(user))
        no = gql(OFFERINGS, {**ours, "orderable": False}, agency=agency, user=federation.user(user))
        # then the counts match the rows, every row says the same, and together they are all
        assert set(_codes(yes)) == expected
        assert yes.data["offerings"]["totalCount"] == len(expected)
        assert page.data["offerings"]["totalCount"] == len(expected)
        assert len(page.data["offerings"]["edges"]) == 2
        assert {e["node"]["orderable"] for e in yes.data["offerings"]["edges"]} == {True}
        assert {e["node"]["orderable"] for e in no.data["offerings"]["edges"]} == {False}
        assert no.data["offerings"]["totalCount"] == len(_codes(no)) == 18 - len(expected)
        assert set(_codes(no)).isdisjoint(expected)


def test_the_orderable_filter_is_refused_on_the_central_host(federation):
    make_catalogue(offerings=1)
    response = gql(OFFERINGS, {"orderable": True}, user=federation.user("cat"))
    assert response.data == {"offerings": None}
    assert [e["extensions"]["code"] for e in response.errors] == ["BAD_USER_INPUT"]


def test_a_future_price_does_not_change_the_current_price(federation):
    # given an offering priced 129.00 since last year, and a new price from next month
    cat = make_catalogue(offerings=0)
    offering = make_offering(cat, "prisad", monthly_ore=12900)
    next_month = timezone.localdate() + dt.timedelta(days=31)
    response = gql(
        """mutation($id: ID!, $from: Date!) {
             addOfferingPrice(offering: $id, validFrom: $from, monthlyOre: 13900, oneOffOre: 500) {
               errors { field code }
               price { validFrom monthlySek oneOffSek }
               offering { currentPrice { validFrom monthlyOre monthlySek } }
             }
           }""",
        {"id": gid(offering), "from": next_month.isoformat()},
        user=federation.user("cat"),
    )
    # then the new version is stored and the current price is still the old one
    assert response.data["addOfferingPrice"] == {
        "errors": [],
        "price": {"validFrom": next_month.isoformat(), "monthlySek": "139.00", "oneOffSek": "5.00"},
        "offering": {
            "currentPrice": {
                "validFrom": last_year().isoformat(),
                "monthlyOre": 12900,
                "monthlySek": "129.00",
            }
        },
    }
    listed = gql(
        "{ offerings(first: 100) { edges { node { code prices { validFrom monthlyOre } } } } }",
        agency=federation.alpha,
        user=federation.user("alpha-admin"),
    )
    prices = {e["node"]["code"]: e["node"]["prices"] for e in listed.data["offerings"]["edges"]}
    assert prices["prisad"] == [
        {"validFrom": next_month.isoformat(), "monthlyOre": 13900},
        {"validFrom": last_year().isoformat(), "monthlyOre": 12900},
    ]


def test_requires_and_excludes_are_listed_and_exclusions_hold_both_ways(federation):
    cat = make_catalogue(offerings=0)
    licence = make_offering(cat, "licens")
    mail = make_offering(cat, "epost")
    standard = make_offering(cat, "klient-standard")
    reinforced = make_offering(cat, "klient-forstarkt")
    relate(licence, RelationKind.REQUIRES, mail)
    relate(standard, RelationKind.EXCLUDES, reinforced)
    response = gql(
        "{ offerings(first: 100) { edges { node { code requires { code } excludes { code } } } } }",
        user=federation.user("cat"),
    )
    nodes = {e["node"]["code"]: e["node"] for e in response.data["offerings"]["edges"]}
    assert nodes["licens"] == {"code": "licens", "requires": [{"code": "epost"}], "excludes": []}
    assert nodes["epost"]["requires"] == []
    assert nodes["klient-standard"]["excludes"] == [{"code": "klient-forstarkt"}]
    assert nodes["klient-forstarkt"]["excludes"] == [{"code": "klient-standard"}]


def test_services_filter_by_category_and_lifecycle_and_list_their_offerings(federation):
    cat = make_catalogue(offerings=2)
    query = """query($category: ServiceCategory, $lifecycle: Lifecycle) {
      services(category: $category, lifecycle: $lifecycle, first: 100) {
        totalCount
        edges { node { name category lifecycle owner suppliers { name isInternal }
                       offerings { code currentPrice { monthlyOre } } } }
      }
    }"""
    response = gql(query, {"category": "EMAIL"}, user=federation.user("fin"))
    nodes = [e["node"] for e in response.data["services"]["edges"]]
    assert response.data["services"]["totalCount"] == len(nodes)
    ours = next(n for n in nodes if n["name"] == cat.service.name)
    assert ours == {
        "name": "Testtjänst e-post",
        "category": "EMAIL",
        "lifecycle": "ACTIVE",
        "owner": "Central IT",
        "suppliers": [
            {"name": "Test Central IT", "isInternal": True},
            {"name": "Testleverantören AB", "isInternal": False},
        ],
        "offerings": [
            {"code": "test-offering-000", "currentPrice": {"monthlyOre": 12900}},
            {"code": "test-offering-001", "currentPrice": {"monthlyOre": 12900}},
        ],
    }
    assert {n["category"] for n in nodes} == {"EMAIL"}
    retired = gql(query, {"lifecycle": "RETIRED"}, user=federation.user("fin"))
    assert cat.service.name not in [e["node"]["name"] for e in retired.data["services"]["edges"]]


def _count_queries(query, **kwargs):
    with CaptureQueriesContext(connection) as ctx:
        response = gql(query, **kwargs)
    assert response.errors == []
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("host", [None, "alpha"])
def test_the_offering_list_costs_the_same_queries_for_5_and_50_rows(federation, host):
    # given a catalogue of 5 offerings with relations between some
    cat = make_catalogue(offerings=5)
    relate(cat.offerings[0], RelationKind.REQUIRES, cat.offerings[1])
    relate(cat.offerings[2], RelationKind.EXCLUDES, cat.offerings[3])
    agency = getattr(federation, host) if host else None
    user = federation.user("alpha-admin" if host else "cat")
    small, small_response = _count_queries(FULL_LIST, agency=agency, user=user)
    # when 45 more offerings (with prices and relations) are added
    for i in range(5, 50):
        offering = make_offering(cat, f"more-{i:03d}", agreement=cat.sla if i % 2 else cat.ola)
        OfferingPrice.objects.create(
            offering=offering, valid_from=timezone.localdate(), monthly_ore=100 + i
        )
        relate(offering, RelationKind.REQUIRES, cat.offerings[0])
    large, large_response = _count_queries(FULL_LIST, agency=agency, user=user)
    # then the same query costs the same number of SQL queries
    assert small_response.data["offerings"]["totalCount"] >= 5
    assert large_response.data["offerings"]["totalCount"] >= 50
    assert large == small


def test_the_service_list_costs_the_same_queries_for_5_and_50_offerings(federation):
    query = """{ services(first: 100) { edges { node { name suppliers { name }
      offerings { code agreement { supplier { name } targets { priority } }
                  currentPrice { monthlyOre } requires { code } } } } } }"""
    cat = make_catalogue(offerings=5)
    small, _r = _count_queries(query, user=federation.user("cat"))
    for i in range(5, 50):
        make_offering(cat, f"more-{i:03d}")
    large, _r = _count_queries(query, user=federation.user("cat"))
    assert large == small
