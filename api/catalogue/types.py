"""GraphQL types of the shared catalogue.

The catalogue is readable by any signed-in user with a role: central roles on the central
host, an agency's members on their agency's host. Nested rows (service, agreement, prices,
suppliers, targets, related offerings) are resolved from what the list query loaded, never
per row, so a list costs the same number of SQL queries for 5 rows as for 50.
"""

from __future__ import annotations

from collections import defaultdict

import graphene
from django.utils import timezone
from django.utils.translation import gettext as _
from graphene import relay
from graphql import GraphQLError

from api.core.money import Ore
from api.core.permissions import host_agency, require_user, viewer
from api.core.types import CountedConnection, SamnavObjectType
from services.catalogue import policies, selectors
from services.catalogue.models import (
    Agreement,
    AgreementKind,
    Category,
    Lifecycle,
    Offering,
    OfferingRelation,
    PriceModel,
    RelationKind,
    Service,
    Supplier,
)

CategoryEnum = graphene.Enum.from_enum(Category, name="ServiceCategory")
LifecycleEnum = graphene.Enum.from_enum(Lifecycle, name="Lifecycle")
PriceModelEnum = graphene.Enum.from_enum(PriceModel, name="PriceModel")
AgreementKindEnum = graphene.Enum.from_enum(AgreementKind, name="AgreementKind")
RelationKindEnum = graphene.Enum.from_enum(RelationKind, name="OfferingRelationKind")


def require_catalogue_reader(info):
    user = require_user(info)
    if not policies.reads_catalogue(viewer(info)):
        raise GraphQLError(
            _("The catalogue is for the agency's members and central IT."),
            extensions={"code": "FORBIDDEN"},
        )
    return user


class CatalogueType(SamnavObjectType):
    class Meta:
        abstract = True

    policy = staticmethod(policies.catalogue)


def sek(ore: int) -> str:
    """Öre as an exact decimal string of kronor: 12900 -> "129.00"."""
    sign = "-" if ore < 0 else ""
    whole, cents = divmod(abs(ore), 100)
    return f"{sign}{whole}.{cents:02d}"


class PriceType(graphene.ObjectType):
    """One price version: valid from its day until the next version starts."""

    class Meta:
        name = "OfferingPrice"

    valid_from = graphene.Date(required=True)
    monthly_ore = Ore(required=True, description="Monthly price in öre (SEK/100).")
    one_off_ore = Ore(required=True, description="One-off price in öre (SEK/100).")
    monthly_sek = graphene.String(required=True, description='Monthly price in SEK, "129.00".')
    one_off_sek = graphene.String(required=True, description='One-off price in SEK, "0.00".')

    def resolve_monthly_sek(self, info):
        return sek(self.monthly_ore)

    def resolve_one_off_sek(self, info):
        return sek(self.one_off_ore)


class AgreementTargetType(graphene.ObjectType):
    class Meta:
        name = "AgreementTarget"

    priority = graphene.Int(required=True, description="1 = critical … 4 = low.")
    response_minutes = graphene.Int(required=True, description="First response, business min.")
    resolution_minutes = graphene.Int(required=True, description="Resolution, business minutes.")


class SupplierNode(CatalogueType):
    class Meta:
        model = Supplier
        name = "Supplier"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = (
            "id",
            "name",
            "is_internal",
            "org_number",
            "contract_reference",
            "contract_ends_on",
        )


class AgreementNode(CatalogueType):
    """An OLA (central IT delivers) or an SLA (an external supplier delivers)."""

    kind = graphene.Field(AgreementKindEnum, required=True)
    supplier = graphene.Field(SupplierNode, description="The external supplier of an SLA.")
    targets = graphene.List(graphene.NonNull(AgreementTargetType), required=True)

    class Meta:
        model = Agreement
        name = "Agreement"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = ("id", "name", "kind", "availability_percent", "support_hours")

    def resolve_kind(self, info):
        return self.kind

    def resolve_supplier(self, info):
        return self.supplier  # select_related by the lists

    def resolve_targets(self, info):
        return sorted(self.targets.all(), key=lambda t: t.priority)  # prefetched


class ServiceNode(CatalogueType):
    category = graphene.Field(CategoryEnum, required=True)
    lifecycle = graphene.Field(LifecycleEnum, required=True)
    suppliers = graphene.List(graphene.NonNull(SupplierNode), required=True)
    offerings = graphene.List(graphene.NonNull(lambda: OfferingNode), required=True)

    class Meta:
        model = Service
        name = "Service"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = ("id", "name", "description", "category", "owner", "lifecycle")

    def resolve_category(self, info):
        return self.category

    def resolve_lifecycle(self, info):
        return self.lifecycle

    def resolve_suppliers(self, info):
        return sorted(self.suppliers.all(), key=lambda s: s.name)  # prefetched

    def resolve_offerings(self, info):
        return list(self.offerings.all())  # prefetched with their prices


def _relation_index(info) -> tuple[dict, dict]:
    """Every requirement and exclusion of the catalogue, loaded once per request (the
    catalogue is small) with the related offerings fully loaded, so `requires`/`excludes`
    cost a fixed number of queries at any depth and page size."""
    cache = getattr(info.context, "_samnav_catalogue_relations", None)
    if cache is None:
        rows = list(OfferingRelation.objects.values_list("offering_id", "other_id", "kind"))
        ids = {a for a, _b, _k in rows} | {b for _a, b, _k in rows}
        by_pk = {o.pk: o for o in selectors.catalogue_offerings().filter(pk__in=ids)} if ids else {}
        requires: dict[int, dict] = defaultdict(dict)
        excludes: dict[int, dict] = defaultdict(dict)
        for a, b, kind in rows:
            if kind == RelationKind.REQUIRES:
                requires[a][b] = by_pk[b]
            else:  # an exclusion holds both ways
                excludes[a][b] = by_pk[b]
                excludes[b][a] = by_pk[a]
        cache = (requires, excludes)
        info.context._samnav_catalogue_relations = cache
    return cache


class OfferingNode(CatalogueType):
    """A tier of a service that agencies order."""

    service = graphene.Field(ServiceNode, required=True)
    agreement = graphene.Field(AgreementNode, required=True)
    price_model = graphene.Field(PriceModelEnum, required=True)
    lifecycle = graphene.Field(LifecycleEnum, required=True)
    orderable = graphene.Boolean(
        description="On an agency host: may this agency order it now? Null on the central host."
    )
    not_orderable_reason = graphene.String(
        description="On an agency host: why the agency may not order it (null when it may)."
    )
    current_price = graphene.Field(PriceType, description="The price valid today.")
    prices = graphene.List(
        graphene.NonNull(PriceType), required=True, description="Every version, newest first."
    )
    requires = graphene.List(
        graphene.NonNull(lambda: OfferingNode),
        required=True,
        description="Offerings an agency must have (or order with it) to order this one.",
    )
    excludes = graphene.List(
        graphene.NonNull(lambda: OfferingNode),
        required=True,
        description="Offerings that cannot be combined with this one (both ways).",
    )

    class Meta:
        model = Offering
        name = "Offering"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = (
            "id",
            "code",
            "name",
            "service",
            "security_level",
            "availability_level",
            "price_model",
            "unit",
            "min_quantity",
            "max_quantity",
            "notice_days",
            "lead_time_days",
            "agreement",
            "lifecycle",
        )

    def resolve_service(self, info):
        return self.service  # select_related by the lists

    def resolve_agreement(self, info):
        return self.agreement  # select_related by the lists

    def resolve_price_model(self, info):
        return self.price_model

    def resolve_lifecycle(self, info):
        return self.lifecycle

    @staticmethod
    def _reason(offering, info) -> tuple[bool, str | None] | None:
        agency = host_agency(info)
        if agency is None:
            return None
        cached = getattr(offering, "_samnav_reason", None)
        if cached is None or cached[0] != agency.pk:
            cached = (agency.pk, selectors.not_orderable_reason(offering, agency))
            offering._samnav_reason = cached
        return cached[1] is None, cached[1]

    def resolve_orderable(self, info):
        result = OfferingNode._reason(self, info)
        return None if result is None else result[0]

    def resolve_not_orderable_reason(self, info):
        result = OfferingNode._reason(self, info)
        return None if result is None else result[1]

    def resolve_current_price(self, info):
        return selectors.price_on(self, timezone.localdate())

    def resolve_prices(self, info):
        return sorted(self.prices.all(), key=lambda p: p.valid_from, reverse=True)

    def resolve_requires(self, info):
        requires, _excludes = _relation_index(info)
        return sorted(requires.get(self.pk, {}).values(), key=lambda o: (o.name, o.pk))

    def resolve_excludes(self, info):
        _requires, excludes = _relation_index(info)
        return sorted(excludes.get(self.pk, {}).values(), key=lambda o: (o.name, o.pk))
