from tests.visits.fixtures import fld  # noqa: F401 - a fixture
