"""Central IT creates pools and sets quotas; bad input is named and writes nothing."""

import pytest
from graphql_relay import to_global_id

from services.licences.models import AgencyQuota, LicencePool
from tests.graphql import gql
from tests.licences.pools import build_pool

pytestmark = pytest.mark.django_db

CREATE = """mutation($supplier: ID!, $offering: ID, $total: Int!, $ends: Date!, $renewal: Date!) {
  createLicencePool(product: "GIS Pro", supplier: $supplier, offering: $offering,
    startsOn: "2026-01-01", endsOn: $ends, renewalOn: $renewal, totalSeats: $total,
    seatMonthlyOre: 25000, trueUpAllowed: true, trueUpMaxSeats: 5) {
    pool { product capacity } errors { field code } } }"""
QUOTA = """mutation($pool: ID!, $agency: ID!, $seats: Int!) {
  setLicenceQuota(pool: $pool, agency: $agency, quotaSeats: $seats) {
    pool { quotas { agency { slug } quotaSeats } } errors { field code message } } }"""


def _vars(cat, **kw):
    supplier = cat.mail.service.suppliers.first()
    return {
        "supplier": to_global_id("Supplier", supplier.pk),
        "offering": None,
        "total": 40,
        "ends": "2027-12-31",
        "renewal": "2027-10-01",
        **kw,
    }


def test_a_catalogue_manager_creates_a_pool(federation):
    cat, _pool = build_pool(federation)
    r = gql(
        CREATE,
        _vars(cat, offering=to_global_id("Offering", cat.mail.pk)),
        user=federation.user("cat"),
    )
    assert r.data["createLicencePool"] == {
        "pool": {"product": "GIS Pro", "capacity": 45},
        "errors": [],
    }


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"total": -1}, "totalSeats", "OUT_OF_RANGE"),
        ({"ends": "2025-12-31", "renewal": "2025-10-01"}, "endsOn", "INVALID"),
        ({"renewal": "2028-01-01"}, "renewalOn", "INVALID"),
        ({"supplier": to_global_id("Supplier", 999999)}, "supplier", "NOT_FOUND"),
        ({"supplier": to_global_id("Agency", 1)}, "supplier", "NOT_FOUND"),
    ],
)
def test_bad_pools_are_refused_and_nothing_is_written(federation, change, field, code):
    cat, _pool = build_pool(federation)
    before = LicencePool.objects.count()
    r = gql(CREATE, _vars(cat, **change), user=federation.user("cat"))
    assert r.data["createLicencePool"]["pool"] is None
    assert {"field": field, "code": code} in r.data["createLicencePool"]["errors"]
    assert LicencePool.objects.count() == before


def test_an_offering_has_at_most_one_pool(federation):
    cat, _pool = build_pool(federation)  # the pool serves cat.suite
    r = gql(
        CREATE,
        _vars(cat, offering=to_global_id("Offering", cat.suite.pk)),
        user=federation.user("cat"),
    )
    assert r.data["createLicencePool"]["errors"] == [{"field": "offering", "code": "INVALID"}]


def test_quotas_may_not_exceed_the_seats_owned(federation):
    _cat, pool = build_pool(federation, total=100, alpha_quota=30)
    args = {
        "pool": to_global_id("LicencePool", pool.pk),
        "agency": to_global_id("Agency", federation.beta.pk),
    }
    r = gql(QUOTA, {**args, "seats": 71}, user=federation.user("cat"))
    assert r.data["setLicenceQuota"]["errors"][0]["code"] == "QUOTA_OVER_TOTAL"
    assert not AgencyQuota.objects.filter(pool=pool, agency=federation.beta).exists()
    r = gql(QUOTA, {**args, "seats": 70}, user=federation.user("cat"))
    assert {"agency": {"slug": "beta"}, "quotaSeats": 70} in (
        r.data["setLicenceQuota"]["pool"]["quotas"]
    )


@pytest.mark.parametrize("who", ["alpha-admin", "fin", "desk"])
def test_others_may_not_change_pools_or_quotas(federation, who):
    cat, pool = build_pool(federation, total=100, alpha_quota=30)
    for agency in (None, federation.alpha):
        r = gql(CREATE, _vars(cat), agency=agency, user=federation.user(who))
        assert r.status == 403 or r.data["createLicencePool"]["errors"][0]["code"] == (
            "PERMISSION_DENIED"
        )
        r = gql(
            QUOTA,
            {
                "pool": to_global_id("LicencePool", pool.pk),
                "agency": to_global_id("Agency", federation.alpha.pk),
                "seats": 99,
            },
            agency=agency,
            user=federation.user(who),
        )
        assert r.status == 403 or r.data["setLicenceQuota"]["errors"][0]["code"] == (
            "PERMISSION_DENIED"
        )
    assert LicencePool.objects.count() == 1
    assert AgencyQuota.objects.get(pool=pool, agency=federation.alpha).quota_seats == 30
