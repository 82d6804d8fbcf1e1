"""Accepting a proposal places an order by the ordering rules, in one transaction with the
proposal; dismissing needs a reason; another agency can neither see nor decide."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from services.devices.replacements.actions import accept_proposal, dismiss_proposal
from services.devices.replacements.models import ReplacementProposal
from services.devices.replacements.proposals import propose
from services.ordering.models import Budget, Order, Subscription
from tests.lifecycle.conftest import TODAY, device

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(federation, cat, admins):
    device(federation.alpha, "W30", warranty=30)
    [made] = propose(federation.alpha, TODAY)
    return made


def _state(agency, pk):
    with schema_context(agency.schema_name):
        p = ReplacementProposal.objects.get(pk=pk)
        return p.state, p.order_id, p.decided_by_id, Order.objects.count()


def test_accepting_places_the_order_and_marks_the_proposal(federation, cat, proposal):
    alpha, admin = federation.alpha, federation.user("alpha-admin")
    # when alpha's admin accepts
    accepted = accept_proposal(alpha, admin, proposal.pk)
    # then an order for one laptop exists, routed by the ordering rules, and the proposal
    # is ordered with it
    with schema_context(alpha.schema_name):
        order = Order.objects.get()
        line = order.lines.get()
        assert (line.offering_id, line.quantity) == (cat.laptop_std.pk, 1)
        assert (order.state, order.placed_by_id) == ("awaiting_fulfilment", admin.pk)
        assert order.note == "Replacement of Laptop 14 (W30)"
    assert _state(alpha, proposal.pk) == ("ordered", order.pk, admin.pk, 1)
    assert accepted.order_id == order.pk


def test_a_refused_order_leaves_the_proposal_unchanged(federation, cat, proposal):
    alpha, admin = federation.alpha, federation.user("alpha-admin")
    # given a budget with almost nothing left
    with schema_context(alpha.schema_name):
        for year in (timezone.localdate().year, timezone.localdate().year + 1):
            Budget.objects.create(year=year, amount_ore=100)  # the order may start in either
    # when the admin accepts, then the budget refusal comes back, naming the field
    with pytest.raises(ValidationError) as raised:
        accept_proposal(alpha, admin, proposal.pk)
    assert {e.code for e in raised.value.error_dict["budget"]} == {"budget_exceeded"}  # each year
    # and nothing changed: the proposal is open, no order exists
    assert _state(alpha, proposal.pk) == ("proposed", None, None, 0)
    # with a budget override request, the order goes to finance instead
    accept_proposal(alpha, admin, proposal.pk, request_budget_override=True)
    with schema_context(alpha.schema_name):
        assert Order.objects.get().state == "awaiting_budget_override"


def test_an_excluded_offering_names_the_offering(federation, cat, proposal):
    alpha, admin = federation.alpha, federation.user("alpha-admin")
    # given alpha holds the laptop that excludes the standard one
    with schema_context(alpha.schema_name):
        Subscription.objects.create(
            offering=cat.laptop_plus, quantity=1, unit_monthly_ore=30_000, starts_on=TODAY
        )
    with pytest.raises(ValidationError) as raised:
        accept_proposal(alpha, admin, proposal.pk)
    assert [e.code for e in raised.value.error_dict["offering"]] == ["excluded"]
    assert _state(alpha, proposal.pk) == ("proposed", None, None, 0)


def test_without_a_replacement_offering_accepting_says_so(federation, cat, proposal, settings):
    alpha = federation.alpha
    with schema_context(alpha.schema_name):
        ReplacementProposal.objects.filter(pk=proposal.pk).update(offering=None)
    settings.SAMNAV_DEVICE_REPLACEMENT_OFFERINGS = {"computer": []}
    with pytest.raises(ValidationError) as raised:
        accept_proposal(alpha, federation.user("alpha-admin"), proposal.pk)
    assert [e.code for e in raised.value.error_dict["offering"]] == ["no_replacement_offering"]
    assert _state(alpha, proposal.pk) == ("proposed", None, None, 0)


def test_dismissing_needs_a_reason_and_ends_the_proposal(federation, cat, proposal):
    alpha, admin = federation.alpha, federation.user("alpha-admin")
    with pytest.raises(ValidationError) as raised:
        dismiss_proposal(alpha, admin, proposal.pk, " ")
    assert [e.code for e in raised.value.error_dict["reason"]] == ["required"]
    assert _state(alpha, proposal.pk)[0] == "proposed"
    dismiss_proposal(alpha, admin, proposal.pk, "Datorn byts vid flytten")
    assert _state(alpha, proposal.pk) == ("dismissed", None, admin.pk, 0)
    # a decided proposal cannot be accepted or dismissed again
    for act in (
        lambda: accept_proposal(alpha, admin, proposal.pk),
        lambda: dismiss_proposal(alpha, admin, proposal.pk, "igen"),
    ):
        with pytest.raises(ValidationError) as raised:
            act()
        assert [e.code for e in raised.value.error_dict["proposal"]] == ["invalid_state"]


@pytest.mark.parametrize("who", ["beta-admin", "alpha-staff", "desk", "nobody"])
def test_only_the_agencys_admins_decide_and_a_refusal_changes_nothing(
    federation, cat, proposal, who
):
    alpha, user = federation.alpha, federation.user(who)
    for act in (
        lambda: accept_proposal(alpha, user, proposal.pk),
        lambda: dismiss_proposal(alpha, user, proposal.pk, "Nej"),
    ):
        with pytest.raises(PermissionDenied):
            act()
    assert _state(alpha, proposal.pk) == ("proposed", None, None, 0)


def test_beta_cannot_reach_alphas_proposal_through_its_own_agency(federation, cat, proposal):
    # beta's admin, in beta, naming alpha's proposal id: no such proposal in beta
    with pytest.raises(ValidationError) as raised:
        accept_proposal(federation.beta, federation.user("beta-admin"), proposal.pk)
    assert [e.code for e in raised.value.error_dict["proposal"]] == ["not_found"]
    assert _state(federation.alpha, proposal.pk) == ("proposed", None, None, 0)
    with schema_context(federation.beta.schema_name):
        assert Order.objects.count() == 0
