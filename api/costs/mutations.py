"""Mutations of the cost split. Finance (central host) keeps periods, pools and keys, runs,
publishes, resolves and closes; an agency's admin (on its host) accepts or disputes."""

from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from api.core.money import Ore
from api.core.mutations import SamnavMutation
from api.core.permissions import current_user, host_agency
from api.core.refs import agency_of_host, local_id
from api.costs.types import (
    AllocationKeyNode,
    AllocationRunNode,
    CostDisputeNode,
    CostPeriodNode,
    CostPoolNode,
    CostStatementNode,
    DriverKindEnum,
    MethodEnum,
    PoolCategoryEnum,
)
from services.costs import actions
from services.costs.errors import CostErrorCode


def _value(enum_or_str):
    return getattr(enum_or_str, "value", enum_or_str)


class CostMutation(SamnavMutation):
    class Meta:
        abstract = True

    error_codes = CostErrorCode
    error_type_name = "CostError"

    @classmethod
    def check_permission(cls, info):
        if current_user(info) is None:
            raise PermissionDenied(_("Sign in first."))


class FinanceMutation(CostMutation):
    """Finance works on the central host; the actions check the role."""

    class Meta:
        abstract = True

    @classmethod
    def check_permission(cls, info):
        super().check_permission(info)
        if host_agency(info) is not None:
            raise PermissionDenied(_("Use the central host for this."))


class CreateCostPeriod(FinanceMutation):
    class Arguments:
        month = graphene.Date(required=True, description="Any day of the month.")

    period = graphene.Field(CostPeriodNode)

    @classmethod
    def perform(cls, info, month):
        return {"period": actions.create_period(current_user(info), month)}


class CostPoolInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    category = PoolCategoryEnum(required=True)
    amount_ore = Ore(required=True)
    key = graphene.ID(required=True)
    service = graphene.ID()
    supplier = graphene.ID()
    project = graphene.ID()
    licence_pool = graphene.ID()
    source_reference = graphene.String(default_value="")


def _pool_input(data) -> actions.PoolInput:
    def ref(name, type_name, field):
        value = data.get(name)
        return local_id(value, type_name, field) if value else None

    return actions.PoolInput(
        name=data["name"],
        category=_value(data["category"]),
        amount_ore=data["amount_ore"],
        key_id=local_id(data["key"], "AllocationKey", "input.key"),
        service_id=ref("service", "Service", "input.service"),
        supplier_id=ref("supplier", "Supplier", "input.supplier"),
        project_id=ref("project", "Project", "input.project"),
        licence_pool_id=ref("licence_pool", "LicencePool", "input.licencePool"),
        source_reference=data.get("source_reference") or "",
    )


class CreateCostPool(FinanceMutation):
    class Arguments:
        period = graphene.ID(required=True)
        input = CostPoolInput(required=True)

    pool = graphene.Field(CostPoolNode)

    @classmethod
    def perform(cls, info, period, input):
        pool = actions.create_pool(
            current_user(info), local_id(period, "CostPeriod", "period"), _pool_input(input)
        )
        return {"pool": pool}


class UpdateCostPool(FinanceMutation):
    class Arguments:
        pool = graphene.ID(required=True)
        input = CostPoolInput(required=True)

    pool = graphene.Field(CostPoolNode)

    @classmethod
    def perform(cls, info, pool, input):
        updated = actions.update_pool(
            current_user(info), local_id(pool, "CostPool", "pool"), _pool_input(input)
        )
        return {"pool": updated}


class DeleteCostPool(FinanceMutation):
    class Arguments:
        pool = graphene.ID(required=True)

    deleted_id = graphene.ID()

    @classmethod
    def perform(cls, info, pool):
        actions.delete_pool(current_user(info), local_id(pool, "CostPool", "pool"))
        return {"deleted_id": pool}


class CreateAllocationKey(FinanceMutation):
    class Arguments:
        name = graphene.String(required=True)
        description = graphene.String(default_value="")

    key = graphene.Field(AllocationKeyNode)

    @classmethod
    def perform(cls, info, name, description):
        return {"key": actions.create_key(current_user(info), name, description)}


class KeyWeightInput(graphene.InputObjectType):
    agency = graphene.ID(required=True)
    weight = graphene.Decimal(required=True)


class AddKeyVersion(FinanceMutation):
    """A new version of a key from a month on (versions are never edited)."""

    class Arguments:
        key = graphene.ID(required=True)
        valid_from = graphene.Date(required=True)
        method = MethodEnum(required=True)
        driver_kind = DriverKindEnum()
        only_subscribers = graphene.Boolean(default_value=False)
        excluded_agencies = graphene.List(graphene.NonNull(graphene.ID), default_value=[])
        weights = graphene.List(graphene.NonNull(KeyWeightInput), default_value=[])

    key = graphene.Field(AllocationKeyNode)

    @classmethod
    def perform(cls, info, key, valid_from, method, **data):
        weights = [
            (local_id(w["agency"], "Agency", f"weights.{i}.agency"), w["weight"])
            for i, w in enumerate(data.get("weights") or [])
        ]
        excluded = [
            local_id(a, "Agency", "excludedAgencies") for a in data.get("excluded_agencies") or []
        ]
        version = actions.add_key_version(
            current_user(info),
            local_id(key, "AllocationKey", "key"),
            actions.VersionInput(
                valid_from=valid_from,
                method=_value(method),
                driver_kind=_value(data.get("driver_kind")) or "",
                only_subscribers=data.get("only_subscribers", False),
                excluded_agency_ids=excluded,
                weights=weights,
            ),
        )
        return {"key": version.key}


class SnapshotCostDrivers(FinanceMutation):
    """Queue the fan-out that snapshots every agency's drivers for the period."""

    class Arguments:
        period = graphene.ID(required=True)

    agencies = graphene.Int(description="Agencies the fan-out covers.")

    @classmethod
    def perform(cls, info, period):
        count = actions.request_driver_snapshot(
            current_user(info), local_id(period, "CostPeriod", "period")
        )
        return {"agencies": count}


class RunAllocation(FinanceMutation):
    """Queue a run of the period; poll `allocationRun(id)` for its state and progress."""

    class Arguments:
        period = graphene.ID(required=True)

    run = graphene.Field(AllocationRunNode)

    @classmethod
    def perform(cls, info, period):
        run = actions.request_run(current_user(info), local_id(period, "CostPeriod", "period"))
        return {"run": run}


class PublishStatement(FinanceMutation):
    """Give every agency its preliminary statement (the period becomes preliminary)."""

    class Arguments:
        period = graphene.ID(required=True)

    period = graphene.Field(CostPeriodNode)

    @classmethod
    def perform(cls, info, period):
        published = actions.publish_statements(
            current_user(info), local_id(period, "CostPeriod", "period")
        )
        return {"period": published}


class LineDisputeInput(graphene.InputObjectType):
    line = graphene.ID(required=True)
    comment = graphene.String(required=True, description="What is wrong (no personal data).")


class AcceptStatement(CostMutation):
    """The agency's admin accepts its statement of the period (on the agency's host): every
    line, or, with lines disputed (before or in `disputes`), the undisputed ones (state
    PARTLY_ACCEPTED until finance answers). All or nothing."""

    class Arguments:
        period = graphene.ID(required=True)
        disputes = graphene.List(
            graphene.NonNull(LineDisputeInput),
            description="Lines to dispute in the same step; the rest are accepted.",
        )

    statement = graphene.Field(CostStatementNode)

    @classmethod
    def perform(cls, info, period, disputes=None):
        statement = actions.accept_statement(
            current_user(info),
            agency_of_host(info),
            local_id(period, "CostPeriod", "period"),
            [(local_id(d.line, "AllocationLine", "line"), d.comment) for d in disputes or []],
        )
        return {"statement": statement}


class DisputeLine(CostMutation):
    """The agency's admin disputes one of its lines, with a comment (no personal data)."""

    class Arguments:
        line = graphene.ID(required=True)
        comment = graphene.String(required=True)

    dispute = graphene.Field(CostDisputeNode)

    @classmethod
    def perform(cls, info, line, comment):
        dispute = actions.dispute_line(
            current_user(info),
            agency_of_host(info),
            local_id(line, "AllocationLine", "line"),
            comment,
        )
        return {"dispute": dispute}


class DisputeResolution(graphene.Enum):
    class Meta:
        name = "CostDisputeResolution"

    ADJUST = "adjust"
    REJECT = "reject"


class ResolveDispute(FinanceMutation):
    class Arguments:
        dispute = graphene.ID(required=True)
        resolution = DisputeResolution(required=True)
        reason = graphene.String(required=True)
        amount_ore = Ore(description="The line's new amount (adjust).")

    dispute = graphene.Field(CostDisputeNode)

    @classmethod
    def perform(cls, info, dispute, resolution, reason, amount_ore=None):
        resolved = actions.resolve_dispute(
            current_user(info),
            local_id(dispute, "CostDispute", "dispute"),
            _value(resolution),
            reason,
            amount_ore,
        )
        return {"dispute": resolved}


class ClosePeriod(FinanceMutation):
    class Arguments:
        period = graphene.ID(required=True)

    period = graphene.Field(CostPeriodNode)

    @classmethod
    def perform(cls, info, period):
        closed = actions.close_period(current_user(info), local_id(period, "CostPeriod", "period"))
        return {"period": closed}


class BookCorrection(FinanceMutation):
    """Correct a closed period's line in the next open period (signed öre: negative credits)."""

    class Arguments:
        line = graphene.ID(required=True)
        amount_ore = Ore(required=True)
        reason = graphene.String(required=True)

    pool = graphene.Field(CostPoolNode)

    @classmethod
    def perform(cls, info, line, amount_ore, reason):
        pool = actions.book_correction(
            current_user(info), local_id(line, "AllocationLine", "line"), amount_ore, reason
        )
        return {"pool": pool}


class CostsMutations(graphene.ObjectType):
    create_cost_period = CreateCostPeriod.Field()
    create_cost_pool = CreateCostPool.Field()
    update_cost_pool = UpdateCostPool.Field()
    delete_cost_pool = DeleteCostPool.Field()
    create_allocation_key = CreateAllocationKey.Field()
    add_key_version = AddKeyVersion.Field()
    snapshot_cost_drivers = SnapshotCostDrivers.Field()
    run_allocation = RunAllocation.Field()
    publish_statement = PublishStatement.Field()
    accept_statement = AcceptStatement.Field()
    dispute_line = DisputeLine.Field()
    resolve_dispute = ResolveDispute.Field()
    close_period = ClosePeriod.Field()
    book_correction = BookCorrection.Field()
