"""Mutations of the agencies domain. Each calls one action of services/agencies/actions.py."""

from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from graphql_relay import from_global_id

from api.core.mutations import SamnavMutation
from api.core.permissions import current_user, host_agency, require_central_for_mutation
from api.core.refs import local_id
from api.tenants.types import AgencyNode, ApiTokenNode
from services.agencies import actions, tokens
from services.agencies.errors import AgencyErrorCode
from tenants.roles import Role


def _agency_pk(global_id: str) -> int:
    try:
        type_name, pk = from_global_id(global_id)
        if type_name != "Agency":
            raise ValueError
        return int(pk)
    except (ValueError, TypeError) as exc:
        raise ValidationError(
            {"agency": ValidationError(_("Not an agency id."), code=AgencyErrorCode.INVALID)}
        ) from exc


class AgencyMutation(SamnavMutation):
    class Meta:
        abstract = True

    @classmethod
    def check_permission(cls, info):
        require_central_for_mutation(info, Role.PLATFORM_ADMIN)


class OnboardAgencyInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    org_number = graphene.String(required=True)
    security_level = graphene.Int(default_value=2)
    availability_level = graphene.Int(default_value=2)
    headcount = graphene.Int(default_value=0)


class OnboardAgency(AgencyMutation):
    """Create an agency from the template schema, with its domain (platform admins)."""

    class Arguments:
        input = OnboardAgencyInput(required=True)

    class Meta:
        error_codes = AgencyErrorCode
        error_type_name = "AgencyError"

    agency = graphene.Field(AgencyNode)

    @classmethod
    def perform(cls, info, input):
        agency = actions.onboard_agency(current_user(info), actions.AgencyInput(**input))
        return {"agency": agency}


class SuspendAgency(AgencyMutation):
    """Block every sign-in and API call on the agency's host, keeping all its data."""

    class Arguments:
        agency = graphene.ID(required=True)
        reason = graphene.String(required=True)

    class Meta:
        error_codes = AgencyErrorCode
        error_type_name = "AgencyError"

    agency = graphene.Field(AgencyNode)

    @classmethod
    def perform(cls, info, agency, reason):
        return {"agency": actions.suspend_agency(current_user(info), _agency_pk(agency), reason)}


class ReactivateAgency(AgencyMutation):
    class Arguments:
        agency = graphene.ID(required=True)
        reason = graphene.String(default_value="")

    class Meta:
        error_codes = AgencyErrorCode
        error_type_name = "AgencyError"

    agency = graphene.Field(AgencyNode)

    @classmethod
    def perform(cls, info, agency, reason):
        return {"agency": actions.reactivate_agency(current_user(info), _agency_pk(agency), reason)}


class IssueApiToken(SamnavMutation):
    """A new personal API token for the signed-in user. The token is shown only here."""

    class Arguments:
        name = graphene.String(default_value="")

    class Meta:
        error_codes = AgencyErrorCode
        error_type_name = "AgencyError"

    token = graphene.String(description="Send as `Authorization: Bearer TOKEN`. Shown once.")

    @classmethod
    def check_permission(cls, info):
        if current_user(info) is None:
            raise PermissionDenied(_("Sign in first."))

    @classmethod
    def perform(cls, info, name):
        raw, _token = tokens.issue_api_token(current_user(info), name=name)
        return {"token": raw}


class RevokeApiToken(SamnavMutation):
    """Revoke a personal API token now: one's own, or (an agency's admin, on its host) one of
    the agency's people's. Revoked, it signs in nothing more; it stays listed."""

    class Arguments:
        token = graphene.ID(required=True, description="The token's id (from apiTokens).")

    class Meta:
        error_codes = AgencyErrorCode
        error_type_name = "AgencyError"

    api_token = graphene.Field(ApiTokenNode)

    @classmethod
    def check_permission(cls, info):
        if current_user(info) is None:
            raise PermissionDenied(_("Sign in first."))

    @classmethod
    def perform(cls, info, token):
        pk = local_id(token, "ApiToken", "token")
        revoked = tokens.revoke_api_token_as(current_user(info), host_agency(info), pk)
        return {"api_token": revoked}


class TenantsMutations(graphene.ObjectType):
    onboard_agency = OnboardAgency.Field()
    suspend_agency = SuspendAgency.Field()
    reactivate_agency = ReactivateAgency.Field()
    issue_api_token = IssueApiToken.Field()
    revoke_api_token = RevokeApiToken.Field()
