"""Issue 20 in the portal: closing asks for confirmation and says what it locks; an agency's
admin accepts the undisputed lines; the statement shows its reference, every adjustment and,
once the month is closed, the final state."""

from __future__ import annotations

import pytest

from services.costs.actions import dispute_line, resolve_dispute
from services.costs.models import Period, Statement
from tests.portal.client import portal_client
from tests.portal.costs.conftest import line_of

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_closing_needs_the_confirmation(fin, published):
    period = published.period
    page = fin.get(f"/costs/{period.pk}/", **EN).content.decode()
    assert 'id="close-help"' in page and "never change again" in page
    assert 'name="confirm"' in page and "required" in page
    # without it, nothing is closed and finance is told why
    response = fin.post(f"/costs/{period.pk}/close/", follow=True, **EN)
    assert Period.objects.get(pk=period.pk).state == "preliminary"
    assert "cannot be undone" in response.content.decode()
    # with it, the month is closed and every statement final
    fin.post(f"/costs/{period.pk}/close/", {"confirm": "yes"})
    assert Period.objects.get(pk=period.pk).state == "closed"
    assert set(Statement.objects.filter(period=period).values_list("state", flat=True)) == {"final"}


def test_the_admin_accepts_the_undisputed_lines(published, federation):
    alpha = portal_client(federation.alpha, federation.user("alpha-admin"))
    line = line_of(published.period, federation.alpha, published.servers)
    alpha.post(f"/costs/lines/{line.pk}/dispute/", {"comment": "We moved out."})
    response = alpha.post(f"/costs/{published.period.pk}/accept/", follow=True, **EN)
    assert "The undisputed lines are accepted" in response.content.decode()
    assert Statement.objects.get(agency=federation.alpha).state == "partly_accepted"
    page = response.content.decode()
    assert 'data-state="partly_accepted"' in page and 'id="accept"' not in page


def test_the_statement_shows_each_adjustment_and_its_final_state(published, federation, fin):
    period = published.period
    line = line_of(period, federation.alpha, published.servers)
    dispute = dispute_line(federation.user("alpha-admin"), federation.alpha, line.pk, "Less")
    resolve_dispute(federation.user("fin"), dispute.pk, "adjust", "Half the month", 250_00)
    fin.post(f"/costs/{period.pk}/close/", {"confirm": "yes"})
    beta = portal_client(federation.beta, federation.user("beta-admin"))
    page = beta.get(f"/costs/{period.pk}/", **EN).content.decode()
    assert 'id="statement-reference">KF-2026-03-BETA<' in page
    assert 'data-state="final"' in page and "Final (period closed)" in page
    assert '<table id="adjustments">' in page
    assert 'data-amount="5000"' in page and "Half the month" in page and ">fin<" in page
