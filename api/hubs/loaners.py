"""Mutations of hub loaners (hub staff, service desk, platform admins; central host): lend a
hub's loaner to a person of an agency, found by their e-mail address in its register, and take
it back. Each calls one loan action of services/hubs/actions.py."""

from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from api.core.mutations import SamnavMutation
from api.core.permissions import current_user, host_agency
from api.core.refs import local_id
from api.hubs.types import StockItemNode
from services.devices import interface as devices
from services.hubs import actions
from services.hubs.errors import HubErrorCode
from services.hubs.models import StockItem
from tenants.models import Agency


class LoanerMutation(SamnavMutation):
    class Meta:
        abstract = True

    error_codes = HubErrorCode
    error_type_name = "HubLoanerError"

    item = graphene.Field(StockItemNode)

    @classmethod
    def check_permission(cls, info):
        if current_user(info) is None:
            raise PermissionDenied(_("Sign in first."))  # the actions check roles
        if host_agency(info) is not None:
            raise PermissionDenied(_("Use the central address for this."))


class LendLoanerInput(graphene.InputObjectType):
    stock_item = graphene.ID(required=True, description="A HubStockItem of kind loaner.")
    agency = graphene.ID(required=True, description="The borrower's Agency.")
    email = graphene.String(required=True, description="The borrower's e-mail address.")
    expected_return = graphene.Date(required=True)


def _agency(global_id: str) -> Agency:
    pk = local_id(global_id, "Agency", "agency")
    agency = Agency.objects.members().filter(pk=pk).first()
    if agency is None:
        raise ValidationError(
            {"agency": ValidationError(_("No such agency."), code=HubErrorCode.NOT_FOUND)}
        )
    return agency


class LendLoaner(LoanerMutation):
    """Lend a hub's available loaner to a person of an agency until a date."""

    class Arguments:
        input = LendLoanerInput(required=True)

    @classmethod
    def perform(cls, info, input):
        pk = local_id(input.stock_item, "HubStockItem", "stockItem")
        agency = _agency(input.agency)
        person = devices.find_borrower(agency, input.email)
        if person is None:
            raise ValidationError(
                {
                    "email": ValidationError(
                        _("Nobody in the agency's register has this e-mail address."),
                        code=HubErrorCode.NOT_FOUND,
                    )
                }
            )
        actions.lend_loaner(
            agency,
            current_user(info),
            pk,
            person_id=person.pk,
            expected_return=input.expected_return,
        )
        return {"item": StockItem.objects.get(pk=pk)}


class ReturnLoaner(LoanerMutation):
    """A lent loaner comes back to its hub."""

    class Arguments:
        stock_item = graphene.ID(required=True)

    @classmethod
    def perform(cls, info, stock_item):
        pk = local_id(stock_item, "HubStockItem", "stockItem")
        actions.return_loaner(current_user(info), pk)
        return {"item": StockItem.objects.get(pk=pk)}
