"""Fixtures of the cost pages: the published-ready March 2026 of tests/costs (alpha and beta,
headcounts 100/200, a 30/70 key and a headcount key, two pools, run once), and helpers."""

from __future__ import annotations

import pytest

from services.costs.actions import dispute_line
from services.costs.models import AllocationLine
from tests.costs import conftest as costs_fixtures
from tests.portal.client import portal_client

run_now = costs_fixtures.run_now
split = costs_fixtures.split  # the fixtures of tests/costs, shared here
published = costs_fixtures.published
central_org = costs_fixtures.central_org


def line_of(period, agency, pool):
    return AllocationLine.objects.get(period=period, agency=agency, pool=pool)


@pytest.fixture
def fin(federation):
    return portal_client(None, federation.user("fin"))


@pytest.fixture
def disputed(published, federation):
    """alpha's admin disputes its line of the servers pool (300 kr)."""
    line = line_of(published.period, federation.alpha, published.servers)
    published.dispute = dispute_line(
        federation.user("alpha-admin"), federation.alpha, line.pk, "We left the server room."
    )
    published.line = line
    return published
