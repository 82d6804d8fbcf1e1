import pytest

from tests.ordering.catalogue import build_catalogue


@pytest.fixture
def cat(db):
    return build_catalogue()
