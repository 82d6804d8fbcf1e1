"""Issue 20: partial acceptance, transparent adjustments, re-opening with a notice, the final
state of a closed month and the statement's reference (actions against real PostgreSQL)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import tenant_context

from services.costs.actions import (
    accept_statement,
    close_period,
    dispute_line,
    resolve_dispute,
)
from services.costs.models import Adjustment, AllocationLine, Statement, statement_reference
from services.outbox.agency.models import OutboundMessage
from services.people.models import Person
from tests.portal.costs.conftest import line_of

pytestmark = pytest.mark.django_db


def _state(period, agency) -> str:
    return Statement.objects.get(period=period, agency=agency).state


def _emails(federation):
    """The admins' people rows, with addresses, in their agencies' registers."""
    for agency in (federation.alpha, federation.beta):
        user = federation.users[f"{agency.slug}-admin"]
        with tenant_context(agency):
            Person.objects.create(
                user_id=user.pk, name=f"{agency.slug} admin", email=f"{agency.slug}@example.org"
            )


def _mails(agency) -> list:
    with tenant_context(agency):
        return list(OutboundMessage.objects.order_by("id"))


def test_an_admin_accepts_the_undisputed_lines_and_disputes_the_rest(published, federation):
    alpha, admin = federation.alpha, federation.user("alpha-admin")
    servers = line_of(published.period, alpha, published.servers)
    # when alpha's admin accepts, disputing the servers line in the same step
    statement = accept_statement(
        admin, alpha, published.period.pk, [(servers.pk, "We have no servers there.")]
    )
    # then the other line is accepted and the disputed one waits
    assert statement.state == "partly_accepted" and statement.accepted_by_id == admin.pk
    assert servers.disputes.get().state == "open"
    # and a further dispute is refused: the statement is accepted
    staff = line_of(published.period, alpha, published.staff)
    with pytest.raises(ValidationError) as caught:
        dispute_line(admin, alpha, staff.pk, "And this")
    assert caught.value.message_dict == {"line": ["The statement is already accepted."]}


def test_accepting_with_a_bad_dispute_writes_nothing(published, federation):
    alpha, admin = federation.alpha, federation.user("alpha-admin")
    beta_line = line_of(published.period, federation.beta, published.servers)
    with pytest.raises(ValidationError) as caught:
        accept_statement(admin, alpha, published.period.pk, [(beta_line.pk, "not ours")])
    assert caught.value.message_dict == {"line": ["No such line."]}
    assert _state(published.period, alpha) == "published"
    servers = line_of(published.period, alpha, published.servers)
    with pytest.raises(ValidationError) as caught:
        accept_statement(admin, alpha, published.period.pk, [(servers.pk, "  ")])
    assert "comment" in caught.value.message_dict
    assert _state(published.period, alpha) == "published"


def test_an_adjustment_is_recorded_for_every_line_it_moves_and_reopens_accepted(
    published, federation
):
    _emails(federation)
    period, alpha, beta = published.period, federation.alpha, federation.beta
    fin = federation.user("fin")
    # given beta accepted, alpha accepted all but its disputed servers line (300 kr)
    accept_statement(federation.user("beta-admin"), beta, period.pk)
    servers = line_of(period, alpha, published.servers)
    dispute = accept_statement(
        federation.user("alpha-admin"), alpha, period.pk, [(servers.pk, "Too much")]
    )
    dispute = servers.disputes.get()
    assert _mails(beta) == []
    # when finance adjusts alpha's line to 250 kr: 50 kr move to beta
    resolve_dispute(fin, dispute.pk, "adjust", "Alpha moved out in March", 250_00)
    # then both changes are recorded, with the reason and who made them
    rows = {
        (a.agency_id, a.amount_ore, a.reason, a.made_by_id, a.dispute_id)
        for a in Adjustment.objects.filter(period=period)
    }
    assert rows == {
        (alpha.pk, -50_00, "Alpha moved out in March", fin.pk, dispute.pk),
        (beta.pk, 50_00, "Alpha moved out in March", fin.pk, dispute.pk),
    }
    # the pool still sums exactly
    assert (
        sum(
            AllocationLine.objects.filter(pool=published.servers).values_list(
                "amount_ore", flat=True
            )
        )
        == 1_000_00
    )
    # beta's accepted statement is re-opened, and its admin is asked again by mail
    assert _state(period, beta) == "published"
    statement = Statement.objects.get(period=period, agency=beta)
    assert statement.accepted_at is None and statement.accepted_by is None
    mails = _mails(beta)
    assert len(mails) == 1
    assert mails[0].recipients == ["beta@example.org"]
    assert "KF-2026-03-BETA" in mails[0].subject
    assert "Alpha moved out in March" in mails[0].body
    # alpha's disputes are settled: it confirms the statement as it now stands
    assert _state(period, alpha) == "published"
    assert _mails(alpha) == []  # it asked for the change; only the others are told


def test_a_rejection_moves_nothing_and_reopens_nobody(published, federation):
    period, alpha, beta = published.period, federation.alpha, federation.beta
    accept_statement(federation.user("beta-admin"), beta, period.pk)
    servers = line_of(period, alpha, published.servers)
    dispute = dispute_line(federation.user("alpha-admin"), alpha, servers.pk, "Too much")
    resolve_dispute(federation.user("fin"), dispute.pk, "reject", "The key is right")
    assert not Adjustment.objects.exists()
    assert _state(period, beta) == "accepted"


def test_closing_makes_every_statement_final(published, federation):
    period = published.period
    accept_statement(federation.user("beta-admin"), federation.beta, period.pk)
    close_period(federation.user("fin"), period.pk)
    assert set(Statement.objects.filter(period=period).values_list("state", flat=True)) == {"final"}


def test_the_reference_names_the_month_and_the_agency(published, federation):
    statement = Statement.objects.select_related("period", "agency").get(
        period=published.period, agency=federation.alpha
    )
    assert statement.reference == "KF-2026-03-ALPHA"
    assert statement_reference(published.period.month, "uppsala") == "KF-2026-03-UPPSALA"
