"""The SCIM actor: an agency's identity provider, acting through one of the agency's SCIM
tokens on the agency's host. It is no identity (no User, no role grant): the people policies
accept it explicitly (policies.scim_keeps_register), and only for its own agency."""

from __future__ import annotations

from dataclasses import dataclass

from django_tenants.utils import tenant_context

from services.people.scim.models import ScimToken
from tenants.models import Agency


@dataclass(frozen=True)
class ScimActor:
    agency: Agency  # the agency whose host served the request, and whose schema holds the token
    token_id: int  # the ScimToken, in that agency's schema

    is_scim_actor = True  # what policies.scim_keeps_register recognises

    def token_usable(self) -> bool:
        """The token still exists and is neither revoked nor expired."""
        with tenant_context(self.agency):
            token = ScimToken.objects.filter(pk=self.token_id).first()
        return token is not None and token.usable()
