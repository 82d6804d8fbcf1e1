"""GraphQL types of the agency's people register (services/people/)."""

from __future__ import annotations

from graphene import relay

from api.core.types import CountedConnection, SamnavObjectType
from services.people import policies
from services.people.models import Person


class PersonNode(SamnavObjectType):
    """A person of an agency's register: its admins see everyone, on the agency's host; every
    member sees their own record."""

    class Meta:
        model = Person
        name = "Person"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = (
            "id",
            "name",
            "email",
            "phone",
            "street_address",
            "postal_code",
            "city",
            "work_street_address",
            "work_postal_code",
            "work_city",
            "cost_centre",
            "employment_ends_on",
            "is_active",
            "deactivated_at",
            "anonymised_at",
        )

    policy = staticmethod(policies.people)
