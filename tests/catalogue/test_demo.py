"""The demo catalogue: realistic, consistent, and loaded twice without duplicates."""

import datetime as dt

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from demo.data.catalogue import load_catalogue
from services.catalogue import actions, selectors
from services.catalogue.models import (
    Agreement,
    AgreementKind,
    Category,
    Offering,
    OfferingRelation,
    PriceModel,
    RelationKind,
    Service,
    Supplier,
)
from tests.catalogue import footprint

pytestmark = pytest.mark.django_db


def test_loading_the_demo_catalogue_twice_creates_nothing_the_second_time(federation):
    # given an empty catalogue
    before = footprint()
    # when the demo catalogue is loaded twice
    first = load_catalogue()
    after_first = footprint()
    second = load_catalogue()
    # then the second load creates nothing, and the first created what it reports
    assert set(second.values()) == {0}
    assert footprint() == after_first
    assert after_first[0] - before[0] == first["suppliers"] == 6
    assert after_first[3] - before[3] == first["services"] >= 12
    assert after_first[5] - before[5] == first["offerings"] >= 30


def test_the_demo_catalogue_covers_categories_levels_and_price_models(federation):
    load_catalogue()
    services = Service.objects.filter(offerings__isnull=False).distinct()
    assert set(services.values_list("category", flat=True)) == set(Category.values)
    offerings = Offering.objects.all()
    # every demo agency requires security level 2 or more, so an offering at level 1 could be
    # ordered by none of them (issue 20): the demo's offerings meet 2 to 4
    assert set(offerings.values_list("security_level", flat=True)) == {2, 3, 4}
    assert set(offerings.values_list("availability_level", flat=True)) <= {1, 2, 3, 4}
    models = list(offerings.values_list("price_model", flat=True))
    assert set(models) == set(PriceModel.values)
    assert models.count(PriceModel.PASS_THROUGH) == 1
    per_unit = offerings.filter(price_model=PriceModel.PER_UNIT_MONTHLY)
    assert {"användare", "enhet", "GB"} <= set(per_unit.values_list("unit", flat=True))
    assert not per_unit.filter(unit="").exists()
    # some are delivered by external suppliers under SLAs, the rest by central IT under OLAs
    assert offerings.filter(agreement__kind=AgreementKind.SLA).count() >= 10
    assert offerings.filter(agreement__kind=AgreementKind.OLA).count() >= 10
    assert Supplier.objects.get(name="Central IT").is_internal
    external = Supplier.objects.filter(is_internal=False, agreements__isnull=False).distinct()
    assert external.count() == 5
    assert not external.filter(contract_ends_on__isnull=True).exists()


def test_the_demo_catalogue_obeys_the_rules_of_the_actions(federation):
    load_catalogue()
    today = timezone.localdate()
    # every agreement has one target per priority with response <= resolution
    agreements = Agreement.objects.annotate(n=Count("targets"))
    assert set(agreements.values_list("n", flat=True)) == {4}
    for agreement in agreements.prefetch_related("targets").select_related("supplier"):
        assert all(t.response_minutes <= t.resolution_minutes for t in agreement.targets.all())
        if agreement.kind == AgreementKind.SLA:
            assert agreement.supplier is not None and not agreement.supplier.is_internal
    # every offering has a price today; some have a second, newer version
    offerings = list(selectors.catalogue_offerings())
    assert all(selectors.price_on(o, today) is not None for o in offerings)
    two_versions = [o.code for o in offerings if len(o.prices.all()) == 2]
    assert len(two_versions) >= 3
    for o in offerings:
        if o.code in two_versions:
            days = sorted(p.valid_from for p in o.prices.all())
            assert days == [dt.date(2026, 1, 1), dt.date(2026, 7, 1)]
    # no pair both requires and excludes, and the named examples are there
    rels = set(OfferingRelation.objects.values_list("offering__code", "kind", "other__code"))
    assert ("licens-kontorspaket", RelationKind.REQUIRES, "epost-konto") in rels
    assert ("klient-standard", RelationKind.EXCLUDES, "klient-forstarkt") in rels
    pairs = {}
    for a, kind, b in rels:
        pairs.setdefault(frozenset((a, b)), set()).add(kind)
    assert all(len(kinds) == 1 for kinds in pairs.values())


def test_every_demo_level_pair_of_the_county_boards_has_offerings_to_order(federation):
    # the 21 demo boards require levels 2/2, 2/3, 3/2 or 3/3
    load_catalogue()
    for security, availability in ((2, 2), (2, 3), (3, 2), (3, 3)):
        board = type("Board", (), {"security_level": security, "availability_level": availability})
        orderable = Offering.objects.filter(selectors.orderable_filter(board))
        assert orderable.count() >= 10
        assert orderable.filter(Q(code="epost-konto") | Q(code="licens-kontorspaket")).count() == 2


def test_demo_rows_are_editable_through_the_actions(federation):
    # the demo content is valid input: re-validating an offering through the action passes
    load_catalogue()
    offering = Offering.objects.get(code="klient-standard")
    updated = actions.update_offering(None, offering.pk, lead_time_days=12)
    assert updated.lead_time_days == 12
