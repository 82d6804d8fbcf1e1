"""The hub fixtures of the hub, booking and device tests: a weekday calendar, a hub open on
it, and a hub staff member. Each of those folders' conftest.py imports them from here."""

import pytest

from tests.hubs import build


@pytest.fixture
def calendar(db):
    return build.hours_calendar()


@pytest.fixture
def hub(calendar):
    return build.make_hub(calendar)


@pytest.fixture
def hubber(db):
    return build.hub_staff()
