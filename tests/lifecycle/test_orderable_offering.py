"""A replacement proposal offers an offering of the device's kind that the agency may order (its
security and availability levels, prerequisites and exclusions), or says that there is none;
the demo's proposals can be accepted end to end."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from demo.data.catalogue import load_catalogue
from demo.data.devices import load_agency_devices
from demo.data.replacements import load_agency_proposals
from services.catalogue import selectors
from services.catalogue.models import Offering
from services.devices.models import Device
from services.devices.replacements.actions import accept_proposal
from services.devices.replacements.models import ReplacementProposal
from services.devices.replacements.proposals import DEFAULT_OFFERINGS
from services.ordering.models import Order, Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(federation, admins):
    """The demo catalogue, and the demo devices of alpha (levels 2/2) and beta (3/3)."""
    load_catalogue()
    for agency in (federation.alpha, federation.beta):
        load_agency_devices(agency, federation.user("desk"), hubs=[])
        with schema_context(agency.schema_name):
            # every device due: each kind gets a proposal
            Device.objects.update(warranty_ends_on=None, planned_replacement_on="2026-12-01")
        load_agency_proposals(agency)


def _proposals(agency):
    with schema_context(agency.schema_name):
        return {
            p.device.kind: (p.offering.code if p.offering else None, p.offering_note)
            for p in ReplacementProposal.objects.select_related("device", "offering")
        }


def _first_orderable(agency, kind):
    """What the catalogue's own rule says the agency may order, first in the kind's list."""
    for code in DEFAULT_OFFERINGS[kind]:
        offering = selectors.offerings_with_prices().filter(code=code).first()
        if offering is not None and selectors.not_orderable_reason(offering, agency) is None:
            return code
    return None


def test_each_kind_gets_an_offering_the_agency_may_order(federation, demo):
    # alpha (levels 2/2): a computer gets the first computer offering alpha may order; its
    # phone the mobile offering, never a computer's installation
    alpha = _proposals(federation.alpha)
    assert alpha["computer"] == (_first_orderable(federation.alpha, "computer"), "")
    assert alpha["computer"][0] in DEFAULT_OFFERINGS["computer"]
    assert alpha["phone"] == ("mobil-telefon", "")
    # beta (3/3): no phone offering meets level 3, and the proposal says so instead of
    # offering something beta may not order
    beta = _proposals(federation.beta)
    assert beta["computer"] == (_first_orderable(federation.beta, "computer"), "")
    assert beta["phone"][0] is None
    assert "no replacement for a phone that the agency may order" in beta["phone"][1]


def _propose_computers(agency, federation):
    load_agency_devices(agency, federation.user("desk"), hubs=[])
    with schema_context(agency.schema_name):
        Device.objects.update(warranty_ends_on=None, planned_replacement_on="2026-12-01")
    load_agency_proposals(agency)
    return _proposals(agency)["computer"][0]


def test_an_offering_below_the_agencys_levels_is_skipped(federation, admins, settings):
    load_catalogue()
    settings.SAMNAV_DEVICE_REPLACEMENT_OFFERINGS = {
        "computer": ["klient-standard", "klient-forstarkt"]
    }
    # beta requires level 3: the standard client (level 2) is skipped
    assert Offering.objects.get(code="klient-standard").security_level == 2
    assert _propose_computers(federation.beta, federation) == "klient-forstarkt"


def test_an_exclusion_held_by_the_agency_moves_on_to_the_next_offering(
    federation, admins, settings
):
    load_catalogue()
    settings.SAMNAV_DEVICE_REPLACEMENT_OFFERINGS = {
        "computer": ["klient-standard", "klient-forstarkt"]
    }
    alpha = federation.alpha
    with schema_context(alpha.schema_name):
        # alpha holds the reinforced client, which the standard one excludes
        Subscription.objects.create(
            offering=Offering.objects.get(code="klient-forstarkt"),
            quantity=10,
            unit_monthly_ore=42_500,
            starts_on="2026-01-01",
        )
    assert _propose_computers(alpha, federation) == "klient-forstarkt"


def test_a_demo_proposal_is_accepted_end_to_end(federation, demo):
    alpha, admin = federation.alpha, federation.user("alpha-admin")
    with schema_context(alpha.schema_name):
        ids = list(ReplacementProposal.objects.order_by("pk").values_list("pk", flat=True))
    for pk in ids:
        accepted = accept_proposal(alpha, admin, pk)
        assert accepted.state == "ordered"
    with schema_context(alpha.schema_name):
        codes = sorted(
            line.offering.code
            for order in Order.objects.prefetch_related("lines__offering")
            for line in order.lines.all()
        )
    assert len(codes) == len(ids) >= 2
    assert set(codes) == {_first_orderable(alpha, "computer"), "mobil-telefon"}
