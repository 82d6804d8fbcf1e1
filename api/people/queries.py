"""Queries of the people register: the agency's people (admins), one's own record (members)."""

from __future__ import annotations

import graphene
from django.db.models import Q
from graphene_django import DjangoConnectionField

from api.core.permissions import current_user, host_agency
from api.people.types import PersonNode
from services.people.models import Person


class PeopleQueries(graphene.ObjectType):
    people = DjangoConnectionField(
        PersonNode,
        search=graphene.String(description="Part of a name, e-mail address or cost centre."),
        include_inactive=graphene.Boolean(default_value=False),
    )
    my_details = graphene.Field(
        PersonNode, description="Your own record in the register of the agency whose host this is."
    )

    def resolve_people(self, info, search=None, include_inactive=False, **kwargs):
        qs = Person.objects.order_by("name", "id")
        if not include_inactive:
            qs = qs.filter(is_active=True)
        if search:
            qs = qs.filter(
                Q(name__icontains=search)
                | Q(email__icontains=search)
                | Q(cost_centre__icontains=search)
            )
        return qs

    def resolve_my_details(self, info):
        user = current_user(info)
        if user is None or host_agency(info) is None:
            return None
        return PersonNode.get_queryset(Person.objects.filter(user_id=user.pk), info).first()
