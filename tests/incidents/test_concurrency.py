"""Two correlation runs at once open one incident, not two (real concurrent transactions: the
setup is committed and removed afterwards, see tests/concurrency.py)."""

import pytest
from django.utils import timezone

from services.catalogue.models import Service
from services.crossindex.actions import upsert
from services.crossindex.models import IndexEntry, IndexKind
from services.incidents.correlation import correlate
from services.incidents.models import IncidentNotice, IncidentTicket, MajorIncident
from tests.concurrency import clear_outboxes, in_thread, run_together

pytestmark = pytest.mark.django_db

LOCAL_IDS = (990_001, 990_002)


def _setup(federation):
    service = Service.objects.create(name="cc Fjärråtkomst", category="infrastructure", owner="-")
    for agency, local_id in zip((federation.alpha, federation.beta), LOCAL_IDS, strict=True):
        upsert(IndexKind.TICKET, local_id, agency=agency, state="new", service_id=service.pk)
    return service


def _cleanup(service_name, federation):
    clear_outboxes(federation.alpha, federation.beta)
    service = Service.objects.filter(name=service_name).first()
    if service is None:
        return
    incidents = MajorIncident.objects.filter(service=service)
    IncidentNotice.objects.filter(incident__in=incidents).delete()
    IncidentTicket.objects.filter(incident__in=incidents).delete()
    incidents.delete()
    IndexEntry.objects.filter(kind=IndexKind.TICKET, local_id__in=LOCAL_IDS).delete()
    service.delete()


@pytest.fixture
def committed(federation, settings):
    settings.SAMNAV_MAJOR_INCIDENT_AGENCIES = 2  # alpha and beta suffice
    try:
        yield in_thread(lambda: _setup(federation))
    finally:
        in_thread(lambda: _cleanup("cc Fjärråtkomst", federation))


def test_two_runs_at_once_open_one_incident(federation, committed):
    # given tickets about one service from two agencies (the threshold is two), committed
    service = committed
    now = timezone.now()
    # when two correlation runs start at the same moment
    results = run_together(2, lambda i: correlate(now))
    # then both finish, one incident exists with both tickets linked once, told once each
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(len(r.opened) for r in results) == [0, 1]
    assert sorted(r.linked for r in results) == [0, 2]

    def state():
        incidents = MajorIncident.objects.filter(service=service)
        return (
            incidents.count(),
            IncidentTicket.objects.filter(incident__in=incidents).count(),
            IncidentNotice.objects.filter(incident__in=incidents).count(),
        )

    assert in_thread(state) == (1, 2, 2)
