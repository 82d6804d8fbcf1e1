"""Shared fixtures: one test federation (central IT, template, agencies alpha and beta) built
once per session against real PostgreSQL; each test runs in a transaction rolled back after."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import pytest
from django.db import connection
from hypothesis import settings as hypothesis_settings

from config import testclock
from services.agencies import actions
from tenants import access
from tenants.bootstrap import ensure_federation
from tenants.models import Agency, RoleGrant, User
from tenants.roles import Role
from tests.dates import INSTANTS

PASSWORD = "test-password-1"

# Property tests check properties, not speed: no per-example deadline (a loaded CI machine made
# a 200 ms default fail on correct code).
hypothesis_settings.register_profile("samnav", deadline=None)
hypothesis_settings.load_profile("samnav")


def pytest_addoption(parser):
    parser.addoption(
        "--date-matrix",
        nargs="?",
        const="all",
        metavar="NAMES",
        help="run every collected test once at each instant of tests/dates.py "
        "(or at the comma-separated NAMES among them)",
    )


def pytest_generate_tests(metafunc):
    wanted = metafunc.config.getoption("--date-matrix")
    if wanted and "_clock" in metafunc.fixturenames:
        names = list(INSTANTS) if wanted == "all" else wanted.split(",")
        unknown = sorted(set(names) - set(INSTANTS))
        if unknown:
            raise pytest.UsageError(f"--date-matrix: no such instant {unknown}; see tests/dates.py")
        metafunc.parametrize("_clock", [INSTANTS[n] for n in names], ids=names, indirect=True)


@pytest.fixture(autouse=True)
def _clock(request):
    """One controllable clock: every test starts at the run's instant (SAMNAV_TEST_NOW, a fixed
    default), or with --date-matrix at each instant of tests/dates.py in turn."""
    testclock.rewind(getattr(request, "param", None))


@dataclass
class Federation:
    central: Agency
    template: Agency
    alpha: Agency
    beta: Agency
    users: dict[str, User] = field(default_factory=dict)

    def user(self, name: str) -> User:
        """A fresh copy of the session's user, without cached grants: a test that changes
        grants inside its transaction must not leave them cached for the next test."""
        user = copy.copy(self.users[name])
        access.forget(user)
        return user


def _user(username: str, role: str, agency: Agency | None = None) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD)
    RoleGrant.objects.create(user=user, role=role, agency=agency)
    return user


def build_federation() -> Federation:
    central, template = ensure_federation()
    alpha = actions.onboard_agency(
        None,
        actions.AgencyInput(
            name="Länsstyrelsen Alfa",
            slug="alpha",
            org_number="2021998014",
            security_level=2,
            availability_level=2,
            headcount=100,
        ),
    )
    beta = actions.onboard_agency(
        None,
        actions.AgencyInput(
            name="Länsstyrelsen Beta",
            slug="beta",
            org_number="2021998022",
            security_level=3,
            availability_level=3,
            headcount=200,
        ),
    )
    fed = Federation(central=central, template=template, alpha=alpha, beta=beta)
    for name, role in (
        ("root", Role.PLATFORM_ADMIN),
        ("cat", Role.CATALOGUE_MANAGER),
        ("desk", Role.SERVICE_DESK_AGENT),
        ("tech", Role.TECHNICIAN),
        ("fin", Role.FINANCE),
    ):
        fed.users[name] = _user(name, role)
    for agency in (alpha, beta):
        fed.users[f"{agency.slug}-admin"] = _user(f"{agency.slug}-admin", Role.AGENCY_ADMIN, agency)
        fed.users[f"{agency.slug}-staff"] = _user(f"{agency.slug}-staff", Role.AGENCY_STAFF, agency)
    fed.users["nobody"] = User.objects.create_user(username="nobody", password=PASSWORD)
    return fed


@pytest.fixture(scope="session")
def federation(django_db_setup, django_db_blocker) -> Federation:
    # pytest-django sets up the test database only when a collected test is marked django_db;
    # never build fixtures in the development database.
    name = connection.settings_dict["NAME"]
    assert name.startswith("test_"), f"not a test database: {name} (mark the test django_db)"
    with django_db_blocker.unblock():
        return build_federation()


@pytest.fixture(autouse=True)
def _public_schema_after_each_test():
    yield
    connection.set_schema_to_public()


@pytest.fixture
def broker_url() -> str:
    """The broker of the real-worker tests (Redis or RabbitMQ on this machine); skips the test
    with the reason when there is none."""
    from tests.platform.worker_support import find_broker

    url, why = find_broker()
    if url is None:
        pytest.skip(why)
    return url
