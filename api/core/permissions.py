"""Permission helpers for resolvers: what the caller is, on which host."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name
from graphql import GraphQLError

from tenants import access


def current_user(info):
    user = info.context.user
    return user if user.is_authenticated else None


def host_agency(info):
    """The agency whose host serves this request, or None on the central host."""
    tenant = getattr(info.context, "tenant", None)
    if tenant is None or tenant.schema_name == get_public_schema_name():
        return None
    return tenant


def is_host_member(info) -> bool:
    """Central roles on the central host; the agency's members on its host."""
    user = current_user(info)
    if user is None:
        return False
    agency = host_agency(info)
    if agency is not None:
        return access.has_agency_role(user, agency)
    return access.has_central_role(user)


def require_user(info):
    user = current_user(info)
    if user is None:
        raise GraphQLError(
            _("Sign in, or send an API token."), extensions={"code": "UNAUTHENTICATED"}
        )
    return user


def require_central(info, *roles):
    """For queries: central roles work on the central host only."""
    user = require_user(info)
    if host_agency(info) is not None or not access.has_central_role(user, *roles):
        raise GraphQLError(
            _("This needs a central IT role, on the central host."),
            extensions={"code": "FORBIDDEN"},
        )
    return user


def require_central_for_mutation(info, *roles):
    user = current_user(info)
    if user is None or host_agency(info) is not None or not access.has_central_role(user, *roles):
        raise PermissionDenied(_("This needs a central IT role, on the central host."))
    return user
