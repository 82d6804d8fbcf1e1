import pytest
from django_tenants.utils import schema_context

from services.people.models import Person
from tests.ordering.catalogue import build_catalogue


@pytest.fixture
def people(federation, db):
    """A person record for each agency user of the federation, in that agency's schema."""
    out = {}
    for agency in (federation.alpha, federation.beta):
        with schema_context(agency.schema_name):
            for role in ("admin", "staff"):
                user = federation.user(f"{agency.slug}-{role}")
                out[user.username] = Person.objects.create(
                    user_id=user.pk,
                    name=f"{role.title()} of {agency.slug}",
                    email=f"{role}@{agency.slug}.example",
                )
    return out


@pytest.fixture
def cat(db):
    """The test catalogue; its OLA has targets 30/240, 60/480, 240/1440, 480/2880 minutes."""
    return build_catalogue(prefix="s")
