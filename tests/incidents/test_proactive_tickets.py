"""Proactive tickets (opened by central IT before anyone asked) do not count against the
agency's agreement statistics (services/support/compliance.py)."""

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from services.people.models import Person
from services.support import actions as support
from services.support import compliance
from services.support.models import Channel
from tests.ordering.catalogue import build_catalogue

pytestmark = pytest.mark.django_db


def _open(agency, person, offering, *, proactive: bool) -> int:
    data = support.NewTicket(subject="Garantin går ut", offering_id=offering.pk)
    channel = Channel.PROACTIVE if proactive else Channel.WEB
    return support.open_ticket(agency, person, data, channel=channel, proactive=proactive).pk


def test_proactive_tickets_are_left_out_of_the_agreement_statistics(federation):
    # given one ordinary and two proactive tickets under the same agreement this month
    alpha = federation.alpha
    cat = build_catalogue(prefix="px")
    with schema_context(alpha.schema_name):
        person = Person.objects.create(name="Anna", email="anna@alpha.example")
    _open(alpha, person, cat.mail, proactive=False)
    _open(alpha, person, cat.mail, proactive=True)
    _open(alpha, person, cat.mail, proactive=True)
    now = timezone.now()
    month = now.astimezone(compliance.REPORT_TIME_ZONE).date().replace(day=1)
    # when the month's compliance is computed
    rows = compliance.agency_rows(alpha, month, now=now)
    # then only the ordinary ticket counts
    assert [(r.agreement.name, r.tickets) for r in rows] == [("px OLA", 1)]


def test_an_agency_with_only_proactive_tickets_has_no_statistics(federation):
    alpha = federation.alpha
    cat = build_catalogue(prefix="px")
    with schema_context(alpha.schema_name):
        person = Person.objects.create(name="Anna", email="anna@alpha.example")
    _open(alpha, person, cat.mail, proactive=True)
    now = timezone.now()
    month = now.astimezone(compliance.REPORT_TIME_ZONE).date().replace(day=1)
    assert compliance.agency_rows(alpha, month, now=now) == []
