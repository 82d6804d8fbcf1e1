"""Queries of the cost split: periods, pools, keys, runs (poll one by id), lines, statements,
disputes, and the cost report."""

from __future__ import annotations

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from graphene import relay
from graphene_django import DjangoConnectionField
from graphql import GraphQLError

from api.core.permissions import require_user, viewer
from api.core.refs import local_id
from api.costs.types import (
    AgencyRef,
    AllocationKeyNode,
    AllocationLineNode,
    AllocationRunNode,
    CostDisputeNode,
    CostPeriodNode,
    CostPoolNode,
    CostReportRow,
    CostStatementNode,
    DisputeStateEnum,
    GroupByEnum,
)
from services.costs import policies
from services.costs.models import (
    AllocationKey,
    AllocationLine,
    AllocationRun,
    CostPool,
    Dispute,
    Period,
    Statement,
)
from services.costs.selectors import GroupBy, cost_report

MAX_REPORT_MONTHS = 24


def _period_pk(period):
    try:
        return local_id(period, "CostPeriod", "period")
    except ValidationError as exc:
        raise GraphQLError(_("Unknown period id."), extensions={"code": "NOT_FOUND"}) from exc


class CostsQueries(graphene.ObjectType):
    cost_periods = DjangoConnectionField(CostPeriodNode)
    cost_period = relay.Node.Field(CostPeriodNode)
    cost_pools = DjangoConnectionField(CostPoolNode, period=graphene.ID())
    cost_pool = relay.Node.Field(CostPoolNode)
    allocation_keys = DjangoConnectionField(AllocationKeyNode)
    allocation_runs = DjangoConnectionField(AllocationRunNode, period=graphene.ID())
    allocation_run = relay.Node.Field(
        AllocationRunNode, description="Poll a run's state and progress by its id."
    )
    allocation_lines = DjangoConnectionField(
        AllocationLineNode, period=graphene.ID(required=True), pool=graphene.ID()
    )
    cost_statements = DjangoConnectionField(CostStatementNode, period=graphene.ID())
    cost_disputes = DjangoConnectionField(
        CostDisputeNode, period=graphene.ID(), state=DisputeStateEnum()
    )
    cost_report = graphene.List(
        graphene.NonNull(CostReportRow),
        required=True,
        period=graphene.ID(required=True),
        group_by=GroupByEnum(required=True),
        months=graphene.Int(
            default_value=1,
            description=f"This period and the ones before (1 to {MAX_REPORT_MONTHS}).",
        ),
        description="Amounts per group with the previous period's amount and, per agency, the "
        "budget. Finance sees every agency; an agency's admin, on its host, their own.",
    )

    def resolve_cost_periods(self, info, **kwargs):
        return Period.objects.order_by("-month")

    def resolve_cost_pools(self, info, period=None, **kwargs):
        qs = CostPool.objects.order_by("period__month", "name", "id")
        return qs.filter(period_id=_period_pk(period)) if period else qs

    def resolve_allocation_keys(self, info, **kwargs):
        return AllocationKey.objects.order_by("name")

    def resolve_allocation_runs(self, info, period=None, **kwargs):
        qs = AllocationRun.objects.order_by("-created_at", "-id")
        return qs.filter(period_id=_period_pk(period)) if period else qs

    def resolve_allocation_lines(self, info, period, pool=None, **kwargs):
        qs = AllocationLine.objects.filter(period_id=_period_pk(period)).order_by(
            "pool__name", "pool_id", "agency__name", "id"
        )
        if pool:
            qs = qs.filter(pool_id=local_id(pool, "CostPool", "pool"))
        return qs

    def resolve_cost_statements(self, info, period=None, **kwargs):
        qs = Statement.objects.order_by("-period__month", "agency__name")
        return qs.filter(period_id=_period_pk(period)) if period else qs

    def resolve_cost_disputes(self, info, period=None, state=None, **kwargs):
        qs = Dispute.objects.order_by("-raised_at", "-id")
        if period:
            qs = qs.filter(period_id=_period_pk(period))
        if state:
            qs = qs.filter(state=getattr(state, "value", state))
        return qs

    def resolve_cost_report(self, info, period, group_by, months=1):
        require_user(info)
        agency, asking = None, viewer(info)
        if not policies.reads_split(asking):
            agency = policies.own_agency(asking)
            if agency is None:
                raise GraphQLError(
                    _("The cost report needs finance, or an agency's admin on its host."),
                    extensions={"code": "FORBIDDEN"},
                )
        if not 1 <= months <= MAX_REPORT_MONTHS:
            raise GraphQLError(
                _("months must be between 1 and %(max)d.") % {"max": MAX_REPORT_MONTHS},
                extensions={"code": "BAD_USER_INPUT"},
            )
        found = Period.objects.filter(pk=_period_pk(period)).first()
        if found is not None and agency is not None and not policies.is_published(found):
            found = None  # an agency sees a month once finance has published its statements
        if found is None:
            raise GraphQLError(_("Unknown period id."), extensions={"code": "NOT_FOUND"})
        rows = cost_report(
            found, GroupBy(getattr(group_by, "value", group_by)), agency=agency, months=months
        )
        return [
            CostReportRow(
                month=r.month,
                agency=(
                    AgencyRef(
                        id=relay.Node.to_global_id("Agency", r.agency_id),
                        slug=r.agency_slug,
                        name=r.agency_name,
                    )
                    if r.agency_id
                    else None
                ),
                service_name=r.service_name or None,
                pool_name=r.pool_name or None,
                amount_ore=r.amount_ore,
                previous_ore=r.previous_ore,
                change_ore=r.change_ore,
                budget_ore=r.budget_ore,
                budget_difference_ore=r.budget_difference_ore,
            )
            for r in rows
        ]
