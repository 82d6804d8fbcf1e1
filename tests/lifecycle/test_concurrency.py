"""Two proposal runs at once in one agency make one proposal per device (real concurrent
transactions: the setup is committed and removed afterwards, see tests/concurrency.py)."""

import pytest
from django_tenants.utils import schema_context

from services.devices.models import Device
from services.devices.replacements.models import ReplacementProposal
from services.devices.replacements.proposals import propose
from tests.concurrency import clear_outboxes, in_thread, run_together
from tests.lifecycle.conftest import TODAY, device

pytestmark = pytest.mark.django_db

SERIALS = ("cc-W10", "cc-P20")


def _cleanup(alpha):
    with schema_context(alpha.schema_name):
        ReplacementProposal.objects.filter(device__serial_number__in=SERIALS).delete()
        Device.objects.filter(serial_number__in=SERIALS).delete()
    clear_outboxes(alpha)


@pytest.fixture
def committed(federation):
    alpha = federation.alpha
    try:
        in_thread(lambda: device(alpha, SERIALS[0], warranty=10))
        in_thread(lambda: device(alpha, SERIALS[1], planned=20))
        yield alpha
    finally:
        in_thread(lambda: _cleanup(alpha))


def test_two_runs_at_once_make_one_proposal_per_device(committed):
    alpha = committed
    results = run_together(2, lambda i: propose(alpha, TODAY))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(len(r) for r in results) == 2

    def proposals():
        with schema_context(alpha.schema_name):
            return sorted(
                ReplacementProposal.objects.filter(device__serial_number__in=SERIALS).values_list(
                    "device__serial_number", "state"
                )
            )

    assert in_thread(proposals) == [("cc-P20", "proposed"), ("cc-W10", "proposed")]
