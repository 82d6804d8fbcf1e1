"""GraphQL of federated sign-in (issue 19): identityProviders, createIdentityProvider,
updateIdentityProvider, setIdentityProviderActive. An agency's admins configure their
agency's providers on its host; central IT's platform admins any agency's, and central IT's
own, on the central host (services/agencies/federation/policies.py)."""

from __future__ import annotations

import graphene
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from graphene import relay

from api.core.mutations import SamnavMutation
from api.core.permissions import current_user, host_agency, viewer
from api.core.refs import local_id
from api.core.types import SamnavObjectType
from services.agencies.errors import AgencyErrorCode
from services.agencies.federation import actions, policies
from services.agencies.federation.models import IdentityProvider
from services.agencies.federation.pages import login_url, on_its_host
from tenants.models import Agency, AgencyKind


class ProviderKindEnum(graphene.Enum):
    OIDC = "oidc"
    SAML = "saml"


class GroupRole(graphene.ObjectType):
    group = graphene.String(required=True, description="The group's id or name in the claim.")
    role = graphene.String(required=True, description="The role it grants.")


class GroupRoleInput(graphene.InputObjectType):
    group = graphene.String(required=True)
    role = graphene.String(required=True)


class IdentityProviderNode(SamnavObjectType):
    """An identity provider of an agency (or of central IT). The client secret is never
    shown: only the name of the environment variable that holds it."""

    kind = ProviderKindEnum(required=True)
    agency_name = graphene.String(required=True)
    group_roles = graphene.List(graphene.NonNull(GroupRole), required=True)
    mfa_values = graphene.List(graphene.NonNull(graphene.String), required=True)
    has_metadata = graphene.Boolean(required=True, description="SAML metadata was given inline.")
    sign_in_url = graphene.String(required=True, description="Where its sign-in button posts.")
    redirect_uri = graphene.String(
        description="OpenID Connect: the redirect URI to register at the provider."
    )
    service_provider_metadata_url = graphene.String(
        description="SAML 2: Samnav's metadata for this provider (entity id, ACS, SLO)."
    )

    class Meta:
        model = IdentityProvider
        name = "IdentityProvider"
        interfaces = (relay.Node,)
        fields = (
            "id",
            "name",
            "key",
            "discovery_url",
            "client_id",
            "client_secret_ref",
            "entity_id",
            "metadata_url",
            "subject_claim",
            "email_claim",
            "name_claim",
            "groups_claim",
            "default_role",
            "creates_people",
            "is_active",
            "created_at",
            "updated_at",
        )

    policy = staticmethod(policies.providers)

    @classmethod
    def load(cls, queryset, info):
        return queryset.select_related("agency").prefetch_related("agency__domains")

    def resolve_agency_name(self, info):
        return self.agency.name

    def resolve_group_roles(self, info):
        return [GroupRole(group=g, role=r) for g, r in sorted((self.group_roles or {}).items())]

    def resolve_mfa_values(self, info):
        return list(self.mfa_values or ())

    def resolve_has_metadata(self, info):
        return bool(self.metadata_xml)

    def resolve_sign_in_url(self, info):
        return on_its_host(info.context, self, login_url(self))

    def resolve_redirect_uri(self, info):
        if self.kind != "oidc":
            return None
        path = reverse("openid_connect_callback", kwargs={"provider_id": self.key})
        return on_its_host(info.context, self, path)

    def resolve_service_provider_metadata_url(self, info):
        if self.kind != "saml":
            return None
        return on_its_host(info.context, self, reverse("saml_metadata", args=[self.key]))


class IdentityProviderQueries(graphene.ObjectType):
    identity_providers = graphene.List(
        graphene.NonNull(IdentityProviderNode),
        required=True,
        description="Identity providers: the host agency's (its admins), or every agency's "
        "and central IT's (platform admins, central host).",
    )

    def resolve_identity_providers(self, info):
        rows = IdentityProvider.objects.order_by("agency__name", "name", "id")
        return IdentityProviderNode.get_queryset(rows, info)


class ProviderFields(graphene.InputObjectType):
    discovery_url = graphene.String(description="OIDC: the issuer or its discovery document.")
    client_id = graphene.String()
    client_secret_ref = graphene.String(
        description="OIDC: the environment variable that holds the client secret."
    )
    entity_id = graphene.String(description="SAML: the identity provider's entity id.")
    metadata_url = graphene.String(description="SAML: where its metadata is published.")
    metadata_xml = graphene.String(description="SAML: its metadata, when not published.")
    subject_claim = graphene.String(description="Empty: `sub` (OIDC) or the NameID (SAML).")
    email_claim = graphene.String()
    name_claim = graphene.String()
    groups_claim = graphene.String()
    group_roles = graphene.List(graphene.NonNull(GroupRoleInput))
    default_role = graphene.String(description="A role everyone it signs in gets; empty: none.")
    creates_people = graphene.Boolean(description="Create people at first sign-in (default).")
    mfa_values = graphene.List(
        graphene.NonNull(graphene.String),
        description="amr values or authentication contexts that mean a second factor; "
        "empty: the documented defaults.",
    )


class NewProviderInput(ProviderFields):
    kind = ProviderKindEnum(required=True)
    name = graphene.String(required=True, description='Shown as "Logga in med <name>".')


class ProviderUpdateInput(ProviderFields):
    name = graphene.String()


def _values(data) -> dict:
    values = {k: v for k, v in dict(data).items() if v is not None}
    if "kind" in values:
        values["kind"] = getattr(values["kind"], "value", values["kind"])
    if "group_roles" in values:
        values["group_roles"] = {row["group"]: row["role"] for row in values["group_roles"]}
    return values


class ProviderMutation(SamnavMutation):
    class Meta:
        abstract = True

    error_codes = AgencyErrorCode
    error_type_name = "AgencyError"

    @classmethod
    def check_permission(cls, info):
        if current_user(info) is None:
            raise PermissionDenied(_("Sign in first."))  # the actions check roles


def _agency(info, agency: str | None) -> Agency:
    """The host's agency; on the central host, the agency named (central IT's own if none)."""
    here = host_agency(info)
    if here is not None:
        return here
    if agency is None:
        return Agency.objects.get(kind=AgencyKind.CENTRAL)
    found = Agency.objects.members().filter(pk=local_id(agency, "Agency", "agency")).first()
    if found is None:
        raise PermissionDenied(_("No such agency."))
    return found


class CreateIdentityProvider(ProviderMutation):
    """Add an identity provider: its people sign in on the agency's host with it."""

    class Arguments:
        input = NewProviderInput(required=True)
        agency = graphene.ID(description="Central host only: the agency (none: central IT).")

    identity_provider = graphene.Field(IdentityProviderNode)

    @classmethod
    def perform(cls, info, input, agency=None):
        data = actions.ProviderInput(**_values(input))
        idp = actions.create_provider(viewer(info), _agency(info, agency), data)
        return {"identity_provider": idp}


class UpdateIdentityProvider(ProviderMutation):
    """Change an identity provider; the fields not given stay as they are."""

    class Arguments:
        provider = graphene.ID(required=True)
        input = ProviderUpdateInput(required=True)

    identity_provider = graphene.Field(IdentityProviderNode)

    @classmethod
    def perform(cls, info, provider, input):
        pk = local_id(provider, "IdentityProvider", "provider")
        idp = actions.update_provider(viewer(info), pk, **_values(input))
        return {"identity_provider": idp}


class SetIdentityProviderActive(ProviderMutation):
    """Switch an identity provider off (its button and addresses disappear at once) or on."""

    class Arguments:
        provider = graphene.ID(required=True)
        active = graphene.Boolean(required=True)

    identity_provider = graphene.Field(IdentityProviderNode)

    @classmethod
    def perform(cls, info, provider, active):
        pk = local_id(provider, "IdentityProvider", "provider")
        return {"identity_provider": actions.set_provider_active(viewer(info), pk, active=active)}


class IdentityProviderMutations(graphene.ObjectType):
    create_identity_provider = CreateIdentityProvider.Field()
    update_identity_provider = UpdateIdentityProvider.Field()
    set_identity_provider_active = SetIdentityProviderActive.Field()
