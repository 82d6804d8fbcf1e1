"""Permission helpers for resolvers: what the caller is, on which host."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name
from graphql import GraphQLError

from tenants.viewer import Viewer, of_request


def viewer(info) -> Viewer:
    """The request's viewer (built once per request, tenants/viewer.py)."""
    return of_request(info.context)


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
    v = viewer(info)
    return v.member() if v.agency is not None else v.central()


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
    if not viewer(info).central(*roles):
        raise GraphQLError(
            _("This needs a central IT role, on the central host."),
            extensions={"code": "FORBIDDEN"},
        )
    return user


def require_central_for_mutation(info, *roles):
    user = current_user(info)
    if user is None or not viewer(info).central(*roles):
        raise PermissionDenied(_("This needs a central IT role, on the central host."))
    return user
