"""The demo's replacement proposals: the real run, made once."""

import pytest

from demo.data.replacements import load_agency_proposals
from tests.lifecycle.conftest import TODAY, device

pytestmark = pytest.mark.django_db


def test_the_demo_proposes_once(federation, cat, admins):
    device(federation.alpha, "W30", warranty=30)
    device(federation.alpha, "W90", warranty=90)
    assert load_agency_proposals(federation.alpha, TODAY) == 1
    assert load_agency_proposals(federation.alpha, TODAY) == 0
