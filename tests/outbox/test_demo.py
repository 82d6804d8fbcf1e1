"""The outbox's demo row: one refused mail for the first agency, shown on its admin's page and
counted for central IT; loading twice adds nothing."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from demo.data.outbox import load_outbox
from services.outbox import delivery, selectors
from services.outbox.models import MessageState

pytestmark = pytest.mark.django_db


def _failed(federation) -> dict[str, int]:
    """Failed messages per agency, as the agency's page and central IT's counts see them."""
    out = {}
    for agency in (federation.alpha, federation.beta):
        with tenant_context(agency):
            out[agency.slug] = selectors.own_counts()[MessageState.FAILED]
    counted = {row["slug"]: row["failed"] for row in selectors.agency_counts()}
    out["central view"] = (counted.get("alpha", 0), counted.get("beta", 0))
    return out


def test_the_demo_shows_one_refused_mail_in_the_first_agency(
    federation, django_capture_on_commit_callbacks
):
    before = _failed(federation)
    # when the demo loads it (twice): nothing is queued for delivery (the demo's eager tasks
    # would send it at once, and the page would show nothing), and the sweeper leaves it
    with django_capture_on_commit_callbacks(execute=True) as queued:
        load_outbox([federation.alpha, federation.beta])
        load_outbox([federation.alpha, federation.beta])
    assert queued == []
    delivery.sweep(timezone.now() + dt.timedelta(hours=1))
    after = _failed(federation)
    assert after["alpha"] == before["alpha"] + 1
    assert after["beta"] == before["beta"]
    alpha, beta = before["central view"]
    assert after["central view"] == (alpha + 1, beta)
    with tenant_context(federation.alpha):
        refused = selectors.own_unsent().filter(last_error__contains="550 5.1.1")
        assert refused.count() == 1
