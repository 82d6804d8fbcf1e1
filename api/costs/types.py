"""GraphQL types of the cost split. Who sees which rows: services/costs/policies.py."""

from __future__ import annotations

import graphene
from django.db.models import OuterRef, Subquery, Sum
from graphene import relay

from api.core.money import Ore
from api.core.types import CountedConnection, SamnavObjectType
from api.costs.adjustments import CostAdjustment
from services.costs import policies
from services.costs.models import (
    AllocationKey,
    AllocationLine,
    AllocationRun,
    CostPool,
    Dispute,
    DisputeState,
    DriverKind,
    Method,
    Period,
    PeriodState,
    PoolCategory,
    RunState,
    Statement,
    StatementState,
)
from services.costs.selectors import GroupBy

PeriodStateEnum = graphene.Enum.from_enum(PeriodState, name="CostPeriodState")
PoolCategoryEnum = graphene.Enum.from_enum(PoolCategory, name="CostPoolCategory")
MethodEnum = graphene.Enum.from_enum(Method, name="AllocationMethod")
DriverKindEnum = graphene.Enum.from_enum(DriverKind, name="CostDriverKind")
RunStateEnum = graphene.Enum.from_enum(RunState, name="AllocationRunState")
StatementStateEnum = graphene.Enum.from_enum(StatementState, name="CostStatementState")
DisputeStateEnum = graphene.Enum.from_enum(DisputeState, name="CostDisputeState")
GroupByEnum = graphene.Enum("CostReportGroupBy", [(g.name, g.value) for g in GroupBy])


class AgencyRef(graphene.ObjectType):
    id = graphene.ID(required=True)
    slug = graphene.String(required=True)
    name = graphene.String(required=True)

    @staticmethod
    def of(agency) -> AgencyRef:
        return AgencyRef(
            id=relay.Node.to_global_id("Agency", agency.pk), slug=agency.slug, name=agency.name
        )


class CostPeriodNode(SamnavObjectType):
    state = graphene.Field(PeriodStateEnum, required=True)

    class Meta:
        model = Period
        name = "CostPeriod"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = ("id", "month", "state", "published_at", "closed_at")

    policy = staticmethod(policies.periods)


class KeyWeightType(graphene.ObjectType):
    agency = graphene.Field(AgencyRef, required=True)
    weight = graphene.Decimal(required=True)


class KeyVersionType(graphene.ObjectType):
    id = graphene.ID(required=True)
    valid_from = graphene.Date(required=True)
    method = graphene.Field(MethodEnum, required=True)
    driver_kind = graphene.Field(DriverKindEnum)
    only_subscribers = graphene.Boolean(required=True)
    excluded_agencies = graphene.List(graphene.NonNull(AgencyRef), required=True)
    weights = graphene.List(graphene.NonNull(KeyWeightType), required=True)

    @staticmethod
    def of(version) -> KeyVersionType:
        return KeyVersionType(
            id=relay.Node.to_global_id("KeyVersion", version.pk),
            valid_from=version.valid_from,
            method=version.method,
            driver_kind=version.driver_kind or None,
            only_subscribers=version.only_subscribers,
            excluded_agencies=[AgencyRef.of(a) for a in version.excluded.all()],
            weights=[
                KeyWeightType(agency=AgencyRef.of(w.agency), weight=w.weight)
                for w in version.weights.all()
            ],
        )


class AllocationKeyNode(SamnavObjectType):
    versions = graphene.List(
        graphene.NonNull(KeyVersionType), required=True, description="Newest first."
    )

    class Meta:
        model = AllocationKey
        name = "AllocationKey"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = ("id", "name", "description", "created_at")

    policy = staticmethod(policies.central_rows)

    @classmethod
    def load(cls, queryset, info):
        return queryset.prefetch_related("versions__excluded", "versions__weights__agency")

    def resolve_versions(self, info):
        return [KeyVersionType.of(v) for v in self.versions.all()]


class CostPoolNode(SamnavObjectType):
    category = graphene.Field(PoolCategoryEnum, required=True)
    period = graphene.Field(CostPeriodNode, required=True)
    key = graphene.Field(AllocationKeyNode)
    service_name = graphene.String()
    supplier_name = graphene.String()
    project_name = graphene.String()
    licence_pool_id = graphene.ID()
    corrects_line_id = graphene.ID(description="The closed period's line this corrects.")

    class Meta:
        model = CostPool
        name = "CostPool"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = (
            "id",
            "name",
            "category",
            "amount_ore",
            "source_reference",
            "reason",
            "created_at",
        )

    policy = staticmethod(policies.central_rows)

    @classmethod
    def load(cls, queryset, info):
        return queryset.select_related("period", "key", "service", "supplier", "project")

    def resolve_period(self, info):
        return self.period

    def resolve_key(self, info):
        return self.key

    def resolve_service_name(self, info):
        return self.service.name if self.service_id else None

    def resolve_supplier_name(self, info):
        return self.supplier.name if self.supplier_id else None

    def resolve_project_name(self, info):
        return self.project.name if self.project_id else None

    def resolve_licence_pool_id(self, info):
        return (
            relay.Node.to_global_id("LicencePool", self.licence_pool_id)
            if self.licence_pool_id
            else None
        )

    def resolve_corrects_line_id(self, info):
        return (
            relay.Node.to_global_id("AllocationLine", self.corrects_id)
            if self.corrects_id
            else None
        )


class AllocationRunNode(SamnavObjectType):
    state = graphene.Field(RunStateEnum, required=True)
    period = graphene.Field(CostPeriodNode, required=True)

    class Meta:
        model = AllocationRun
        name = "AllocationRun"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = (
            "id",
            "state",
            "progress",
            "created_at",
            "started_at",
            "finished_at",
            "lines",
            "checksum",
            "error",
        )

    policy = staticmethod(policies.central_rows)

    @classmethod
    def load(cls, queryset, info):
        return queryset.select_related("period")

    def resolve_period(self, info):
        return self.period


LINE_RELATED = ("period", "agency", "service", "pool", "key_version__key")
LINE_PREFETCH = ("adjustments__made_by",)


class AllocationLineNode(SamnavObjectType):
    """One agency's part of one pool, with everything needed to trace it back."""

    month = graphene.Date(required=True)
    agency = graphene.Field(AgencyRef, required=True)
    pool_name = graphene.String(required=True)
    pool_category = graphene.Field(PoolCategoryEnum, required=True)
    source_reference = graphene.String(required=True)
    service_name = graphene.String()
    key_name = graphene.String(description="Null for a correction.")
    key_version_valid_from = graphene.Date()
    method = graphene.Field(MethodEnum)
    driver_kind = graphene.Field(DriverKindEnum)
    adjustments = graphene.List(
        graphene.NonNull(CostAdjustment),
        required=True,
        description="Every change a dispute's resolution made to the line, oldest first.",
    )

    class Meta:
        model = AllocationLine
        name = "AllocationLine"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = (
            "id",
            "driver_value",
            "share",
            "computed_ore",
            "adjustment_ore",
            "amount_ore",
        )

    policy = staticmethod(policies.lines)

    @classmethod
    def load(cls, queryset, info):
        return queryset.select_related(*LINE_RELATED).prefetch_related(*LINE_PREFETCH)

    def resolve_adjustments(self, info):
        return [CostAdjustment.of(a) for a in self.adjustments.all()]

    def resolve_month(self, info):
        return self.period.month

    def resolve_agency(self, info):
        return AgencyRef.of(self.agency)

    def resolve_pool_name(self, info):
        return self.pool.name

    def resolve_pool_category(self, info):
        return self.pool.category

    def resolve_source_reference(self, info):
        return self.pool.source_reference

    def resolve_service_name(self, info):
        return self.service.name if self.service_id else None

    def resolve_key_name(self, info):
        return self.key_version.key.name if self.key_version_id else None

    def resolve_key_version_valid_from(self, info):
        return self.key_version.valid_from if self.key_version_id else None

    def resolve_method(self, info):
        return self.key_version.method if self.key_version_id else None

    def resolve_driver_kind(self, info):
        return (self.key_version.driver_kind or None) if self.key_version_id else None


class CostStatementNode(SamnavObjectType):
    state = graphene.Field(StatementStateEnum, required=True)
    month = graphene.Date(required=True)
    agency = graphene.Field(AgencyRef, required=True)
    total_ore = graphene.Field(Ore, required=True)
    reference = graphene.String(
        required=True, description="The statement's stable reference, e.g. KF-2026-11-UPPSALA."
    )

    class Meta:
        model = Statement
        name = "CostStatement"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = ("id", "state", "published_at", "accepted_at")

    policy = staticmethod(policies.statements)

    @classmethod
    def load(cls, queryset, info):
        totals = (
            AllocationLine.objects.filter(
                period_id=OuterRef("period_id"), agency_id=OuterRef("agency_id")
            )
            .values("agency_id")
            .annotate(t=Sum("amount_ore"))
            .values("t")
        )
        return queryset.select_related("period", "agency").annotate(total=Subquery(totals))

    def resolve_month(self, info):
        return self.period.month

    def resolve_agency(self, info):
        return AgencyRef.of(self.agency)

    def resolve_reference(self, info):
        return self.reference

    def resolve_total_ore(self, info):
        if not hasattr(self, "total"):  # a mutation's payload: not loaded through load()
            from services.costs.selectors import statement_totals

            return statement_totals(self.period, [self.agency_id]).get(self.agency_id, 0)
        return self.total or 0


class CostDisputeNode(SamnavObjectType):
    state = graphene.Field(DisputeStateEnum, required=True)
    line = graphene.Field(AllocationLineNode, required=True)
    agency = graphene.Field(AgencyRef, required=True)

    class Meta:
        model = Dispute
        name = "CostDispute"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = (
            "id",
            "comment",
            "state",
            "raised_at",
            "resolution_reason",
            "adjusted_amount_ore",
            "resolved_at",
        )

    policy = staticmethod(policies.disputes)

    @classmethod
    def load(cls, queryset, info):
        return queryset.select_related(
            "agency", *(f"line__{r}" for r in LINE_RELATED)
        ).prefetch_related(*(f"line__{p}" for p in LINE_PREFETCH))

    def resolve_line(self, info):
        return self.line

    def resolve_agency(self, info):
        return AgencyRef.of(self.agency)


class CostReportRow(graphene.ObjectType):
    month = graphene.Date(required=True)
    agency = graphene.Field(AgencyRef, description="Grouping by agency.")
    service_name = graphene.String(description="Grouping by service.")
    pool_name = graphene.String(description="Grouping by pool.")
    amount_ore = Ore(required=True)
    previous_ore = Ore(description="The previous period's amount, if any period.")
    change_ore = Ore()
    budget_ore = Ore(description="The agency's budget for the month (by agency).")
    budget_difference_ore = Ore(description="Budget minus amount.")
