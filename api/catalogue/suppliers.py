"""GraphQL of supplier contracts and the spend-concentration report.

Reading (contracts and the report) is for catalogue managers, platform admins and finance on
the central host: contract values are commercial information, so agency users and the other
central roles get a FORBIDDEN error. Writing is the catalogue's rule (catalogue managers and
platform admins). The root schema mixes in `SupplierQueries` and `SupplierMutations`.
"""

from __future__ import annotations

import graphene
from graphene import relay
from graphene_django import DjangoConnectionField
from graphql_relay import to_global_id

from api.catalogue.mutations.base import CatalogueMutation, input_data, node_pk, node_pks
from api.catalogue.types import CategoryEnum, SupplierNode
from api.core.money import Ore
from api.core.permissions import current_user, require_central
from api.core.types import CountedConnection, SamnavObjectType
from services.catalogue import actions, policies, suppliers
from services.catalogue.models import SupplierContract
from tenants.roles import CONTRACT_READERS


class ContractService(graphene.ObjectType):
    """A service a contract delivers (its id, name and category)."""

    id = graphene.ID(required=True, description="A Service id.")
    name = graphene.String(required=True)
    category = graphene.Field(CategoryEnum, required=True)


class SupplierContractNode(SamnavObjectType):
    supplier = graphene.Field(SupplierNode, required=True)
    value_ore = Ore(required=True, description="Total contract value in öre.")
    annual_value_ore = Ore(description="The annual value the contract names.")
    annualised_ore = Ore(
        required=True,
        description="Per year: the named annual value, else the total × 365 / days in force "
        "(both end days counted), rounded to the öre, halves up.",
    )
    services = graphene.List(graphene.NonNull(ContractService), required=True)

    class Meta:
        model = SupplierContract
        name = "SupplierContract"
        interfaces = (relay.Node,)
        connection_class = CountedConnection
        fields = ("id", "reference", "starts_on", "ends_on", "notes")

    policy = staticmethod(policies.supplier_contracts)

    def resolve_supplier(self, info):
        return self.supplier  # select_related by the list

    def resolve_annualised_ore(self, info):
        return suppliers.annualised_ore(self)

    def resolve_services(self, info):
        return [
            ContractService(id=to_global_id("Service", s.pk), name=s.name, category=s.category)
            for s in self.services.all()  # prefetched, by name
        ]


# --- the report ------------------------------------------------------------------------------


class SupplierCategorySpend(graphene.ObjectType):
    category = graphene.Field(CategoryEnum, description="Null: contracts naming no service.")
    annual_ore = Ore(required=True)
    share_percent = graphene.Decimal(description="Of this supplier's annual spend (2 decimals).")


class SupplierSpendType(graphene.ObjectType):
    class Meta:
        name = "SupplierSpend"

    supplier = graphene.Field(SupplierNode, required=True)
    contract_count = graphene.Int(required=True)
    value_ore = Ore(required=True, description="Total value of contracts in force.")
    annual_ore = Ore(required=True, description="Their annual value.")
    share_percent = graphene.Decimal(
        description="Of the external total, two decimals, summing to 100.00 over the suppliers. "
        "Null for internal suppliers, and when the total is zero."
    )
    over_threshold = graphene.Boolean(required=True)
    categories = graphene.List(graphene.NonNull(SupplierCategorySpend), required=True)


class CategorySupplierShare(graphene.ObjectType):
    supplier = graphene.Field(SupplierNode, required=True)
    annual_ore = Ore(required=True)
    share_percent = graphene.Decimal(description="Of the category's external spend.")
    over_threshold = graphene.Boolean(required=True)


class CategoryConcentrationType(graphene.ObjectType):
    class Meta:
        name = "CategoryConcentration"

    category = graphene.Field(CategoryEnum, description="Null: contracts naming no service.")
    annual_ore = Ore(required=True)
    share_percent = graphene.Decimal(description="Of the external total.")
    suppliers = graphene.List(graphene.NonNull(CategorySupplierShare), required=True)


class ConcentrationReportType(graphene.ObjectType):
    class Meta:
        name = "SupplierConcentration"

    as_of = graphene.Date(required=True)
    threshold_percent = graphene.Decimal(required=True)
    total_annual_ore = Ore(required=True, description="External suppliers only.")
    internal_annual_ore = Ore(required=True, description="Central IT and the like.")
    suppliers = graphene.List(
        graphene.NonNull(SupplierSpendType), required=True, description="External, largest first."
    )
    categories = graphene.List(graphene.NonNull(CategoryConcentrationType), required=True)
    internal = graphene.List(
        graphene.NonNull(SupplierSpendType),
        required=True,
        description="Internal suppliers, outside the shares.",
    )
    flagged = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Names of external suppliers whose share is above the threshold.",
    )


class SupplierQueries(graphene.ObjectType):
    supplier_contracts = DjangoConnectionField(
        SupplierContractNode,
        supplier=graphene.ID(description="Only this supplier's contracts."),
        in_force_on=graphene.Date(description="Only contracts in force on this day."),
        description="Supplier contracts by supplier, start and reference.",
    )
    supplier_concentration = graphene.Field(
        ConcentrationReportType,
        as_of=graphene.Date(required=True),
        threshold_percent=graphene.Decimal(
            description="Flag suppliers above this share (default: the setting, 40)."
        ),
        description="External spend per supplier and per service category, on a day.",
    )

    def resolve_supplier_contracts(self, info, supplier=None, in_force_on=None, **kwargs):
        require_central(info, *CONTRACT_READERS)
        qs = suppliers.contracts_with_services().order_by(
            "supplier__name", "starts_on", "reference", "pk"
        )
        if supplier is not None:
            qs = qs.filter(supplier_id=node_pk(supplier, "Supplier", "supplier"))
        if in_force_on is not None:
            qs = qs.filter(starts_on__lte=in_force_on, ends_on__gte=in_force_on)
        return qs

    def resolve_supplier_concentration(self, info, as_of, threshold_percent=None):
        require_central(info, *CONTRACT_READERS)
        report = suppliers.supplier_concentration(as_of, threshold=threshold_percent)
        return ConcentrationReportType(
            as_of=report.as_of,
            threshold_percent=report.threshold_percent,
            total_annual_ore=report.total_annual_ore,
            internal_annual_ore=report.internal_annual_ore,
            suppliers=[_spend(s) for s in report.suppliers],
            categories=[_category_row(c) for c in report.categories],
            internal=[_spend(s) for s in report.internal],
            flagged=report.flagged,
        )


def _spend(spend) -> SupplierSpendType:
    return SupplierSpendType(
        supplier=spend.supplier,
        contract_count=spend.contract_count,
        value_ore=spend.value_ore,
        annual_ore=spend.annual_ore,
        share_percent=spend.share_percent,
        over_threshold=spend.over_threshold,
        categories=[
            SupplierCategorySpend(
                category=c.category, annual_ore=c.annual_ore, share_percent=c.share_percent
            )
            for c in spend.categories
        ],
    )


def _category_row(row) -> CategoryConcentrationType:
    return CategoryConcentrationType(
        category=row.category,
        annual_ore=row.annual_ore,
        share_percent=row.share_percent,
        suppliers=[
            CategorySupplierShare(
                supplier=s.supplier,
                annual_ore=s.annual_ore,
                share_percent=s.share_percent,
                over_threshold=s.over_threshold,
            )
            for s in row.suppliers
        ],
    )


# --- mutations -------------------------------------------------------------------------------


class SupplierContractCreateInput(graphene.InputObjectType):
    supplier = graphene.ID(required=True)
    reference = graphene.String(required=True)
    value_ore = Ore(required=True, description="Total contract value in öre.")
    annual_value_ore = Ore(description="The annual value, if the contract names one.")
    starts_on = graphene.Date(required=True)
    ends_on = graphene.Date(required=True, description="The last day in force; after the start.")
    services = graphene.List(graphene.NonNull(graphene.ID), description="Services delivered.")
    notes = graphene.String()


class SupplierContractUpdateInput(graphene.InputObjectType):
    supplier = graphene.ID()
    reference = graphene.String()
    value_ore = Ore()
    annual_value_ore = Ore()
    starts_on = graphene.Date()
    ends_on = graphene.Date()
    services = graphene.List(graphene.NonNull(graphene.ID), description="Replaces the list.")
    notes = graphene.String()


def _contract_data(input_obj) -> dict:
    data = input_data(input_obj)
    if "supplier" in data:
        data["supplier"] = node_pk(data["supplier"], "Supplier", "supplier")
    if "services" in data:
        data["services"] = node_pks(data["services"], "Service", "services")
    return data


class CreateSupplierContract(CatalogueMutation):
    """A new contract with a supplier."""

    class Arguments:
        input = SupplierContractCreateInput(required=True)

    contract = graphene.Field(SupplierContractNode)

    @classmethod
    def perform(cls, info, input):
        contract = actions.create_supplier_contract(current_user(info), **_contract_data(input))
        return {"contract": contract}


class UpdateSupplierContract(CatalogueMutation):
    """Change the fields sent; the others keep their values."""

    class Arguments:
        id = graphene.ID(required=True)
        input = SupplierContractUpdateInput(required=True)

    contract = graphene.Field(SupplierContractNode)

    @classmethod
    def perform(cls, info, id, input):
        contract = actions.update_supplier_contract(
            current_user(info), node_pk(id, "SupplierContract", "id"), **_contract_data(input)
        )
        return {"contract": contract}


class SupplierMutations(graphene.ObjectType):
    create_supplier_contract = CreateSupplierContract.Field()
    update_supplier_contract = UpdateSupplierContract.Field()
