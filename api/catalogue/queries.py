"""Queries of the shared catalogue: services, offerings, suppliers, agreements."""

from __future__ import annotations

import graphene
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from graphene_django import DjangoConnectionField
from graphql import GraphQLError
from graphql_relay import from_global_id

from api.catalogue.types import (
    AgreementNode,
    CategoryEnum,
    LifecycleEnum,
    OfferingNode,
    ServiceNode,
    SupplierNode,
    require_catalogue_reader,
)
from api.core.permissions import host_agency
from services.catalogue import selectors
from services.catalogue.models import Agreement, Service, Supplier


def _value(enum_value):
    return getattr(enum_value, "value", enum_value)


def _service_pk(global_id: str) -> int:
    type_name, pk = from_global_id(global_id)
    if type_name != "Service" or not pk.isdigit():
        raise GraphQLError(_("Not a service id."), extensions={"code": "BAD_USER_INPUT"})
    return int(pk)


class CatalogueQueries(graphene.ObjectType):
    services = DjangoConnectionField(
        ServiceNode,
        category=graphene.Argument(CategoryEnum),
        lifecycle=graphene.Argument(LifecycleEnum),
        description="Services of the shared catalogue, by name.",
    )
    offerings = DjangoConnectionField(
        OfferingNode,
        orderable=graphene.Boolean(
            description="Agency host only: true for the offerings this agency may order now, "
            "false for the others."
        ),
        service=graphene.ID(description="Only the offerings of this service."),
        lifecycle=graphene.Argument(LifecycleEnum),
        description="Offerings of the shared catalogue, by service and name. On an agency "
        "host each says whether the agency may order it, and if not, why.",
    )
    suppliers = DjangoConnectionField(SupplierNode, description="Suppliers, by name.")
    agreements = DjangoConnectionField(
        AgreementNode, description="OLAs and SLAs with their targets, by name."
    )

    def resolve_services(self, info, category=None, lifecycle=None, **kwargs):
        require_catalogue_reader(info)
        qs = Service.objects.prefetch_related(
            "suppliers", Prefetch("offerings", queryset=selectors.catalogue_offerings())
        ).order_by("name", "pk")
        if category is not None:
            qs = qs.filter(category=_value(category))
        if lifecycle is not None:
            qs = qs.filter(lifecycle=_value(lifecycle))
        return qs

    def resolve_offerings(self, info, orderable=None, service=None, lifecycle=None, **kwargs):
        require_catalogue_reader(info)
        qs = selectors.catalogue_offerings().order_by("service__name", "name", "pk")
        if service is not None:
            qs = qs.filter(service_id=_service_pk(service))
        if lifecycle is not None:
            qs = qs.filter(lifecycle=_value(lifecycle))
        if orderable is not None:
            agency = host_agency(info)
            if agency is None:
                raise GraphQLError(
                    _("`orderable` applies on an agency's host: it depends on the agency."),
                    extensions={"code": "BAD_USER_INPUT"},
                )
            can_order = selectors.orderable_filter(agency)
            qs = qs.filter(can_order) if orderable else qs.exclude(can_order)
        return qs

    def resolve_suppliers(self, info, **kwargs):
        require_catalogue_reader(info)
        return Supplier.objects.order_by("name", "pk")

    def resolve_agreements(self, info, **kwargs):
        require_catalogue_reader(info)
        return (
            Agreement.objects.select_related("supplier")
            .prefetch_related("targets")
            .order_by("name", "pk")
        )
