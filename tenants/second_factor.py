"""A second factor where it is required (issue 19): identities with a central role (their power
spans every agency) and agency admins, unless the agency is listed as relaxed
(SAMNAV_MFA_RELAXED_AGENCIES). django-otp's middleware says whether the session has given one
(`request.user.is_verified()`); until it has, every page but sign-in, sign-out, the second
factor's own pages and the language switch sends the person to give it (or to enrol one), and
GraphQL by session answers 403 with code SECOND_FACTOR_REQUIRED. API tokens are issued from a
verified session and act on their own.

SAMNAV_MFA_REQUIRED turns it off: under local settings (`make run`), so that the demo's shared
accounts sign in with their password only; the sign-in page says so.

An identity provider that asserts a second factor (OIDC `amr`, a SAML authentication
context; services/agencies/federation/assertion.py) gives one for the session it signs in.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from tenants import access
from tenants.models import Agency
from tenants.roles import Role
from tenants.sessions import FEDERATED

OPEN = ("/accounts/", "/i18n/", "/static/", "/healthz", "/readyz", "/favicon.ico")
MFA_PATH = "/accounts/second-factor/"


def requires_second_factor(user: AbstractBaseUser) -> bool:
    """Whether `user` must give a second factor to use a session."""
    if not getattr(settings, "SAMNAV_MFA_REQUIRED", True):
        return False
    grants = access.grants(user)
    if any(agency_id is None for _role, agency_id in grants):
        return True
    admin_of = {agency_id for role, agency_id in grants if role == Role.AGENCY_ADMIN}
    if not admin_of:
        return False
    relaxed = set(getattr(settings, "SAMNAV_MFA_RELAXED_AGENCIES", ()))
    slugs = set(Agency.objects.filter(pk__in=admin_of).values_list("slug", flat=True))
    return bool(slugs - relaxed)


class SecondFactorMiddleware:
    """After django-otp's OTPMiddleware and the identity's lifecycle checks."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not getattr(request, "auth_via_token", False)
            and not request.path.startswith(OPEN)
            and not user.is_verified()  # type: ignore[attr-defined]  # django-otp's wrapper
            and not (request.session.get(FEDERATED) or {}).get("mfa")  # the IdP asserted one
            and requires_second_factor(user)
        ):
            if request.path.startswith("/graphql"):
                message = _("Give your second factor first: sign in on the web.")
                return JsonResponse(
                    {
                        "errors": [
                            {"message": message, "extensions": {"code": "SECOND_FACTOR_REQUIRED"}}
                        ]
                    },
                    status=403,
                )
            return redirect(f"{MFA_PATH}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
