"""The support fixtures (people, cat) for the support pages."""

from tests.support.conftest import cat, people  # noqa: F401
