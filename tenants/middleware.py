"""Request gates: bearer-token sign-in, and access to an agency's host."""

from __future__ import annotations

import datetime

from django.core.exceptions import DisallowedHost
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.middleware.main import TenantMainMiddleware
from django_tenants.utils import get_public_schema_name

from tenants import access
from tenants.models import AgencyState, ApiToken, hash_token
from tenants.sessions import FEDERATED

TOKEN_USE_RESOLUTION = datetime.timedelta(minutes=5)

# Reachable on an agency host without a grant: sign-in, language switch, health, static files.
OPEN_PATH_PREFIXES = ("/accounts/login/", "/i18n/", "/healthz", "/readyz", "/static/")


def is_api_request(request) -> bool:
    return request.path.startswith("/graphql")


def graphql_error(message: str, code: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"data": None, "errors": [{"message": message, "extensions": {"code": code}}]},
        status=status,
    )


class ApiTokenMiddleware:
    """`Authorization: Bearer TOKEN` signs the request in as the token's owner."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        request.auth_via_token = False
        # Tokens sign in API calls only: never pages such as /admin/, where a token would
        # also switch off the CSRF check.
        if header.lower().startswith("bearer ") and is_api_request(request):
            raw = header[7:].strip()
            now = timezone.now()
            # an expired token is refused exactly as a revoked one
            token = (
                ApiToken.objects.select_related("user")
                .filter(
                    digest=hash_token(raw),
                    revoked_at__isnull=True,
                    expires_at__gt=now,
                    user__is_active=True,
                )
                .first()
            )
            if token is None:
                response = graphql_error(
                    _("The API token is invalid or revoked."), "UNAUTHENTICATED", 401
                )
                response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
                return response
            if token.last_used_at is None or now - token.last_used_at > TOKEN_USE_RESOLUTION:
                # recorded to the minute or so: not one write per API request
                ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            request.user = token.user
            request.auth_via_token = True
            request._dont_enforce_csrf_checks = True  # no cookies involved
        return self.get_response(request)


class IdentityLifecycleMiddleware:
    """Anywhere, the central host included: an identity whose agency is suspended (or whose
    grants all lie in agencies not active) is refused, by session and by API token alike,
    until the agency is reactivated. Signing out, health and static files stay open."""

    OPEN = ("/accounts/logout/", "/healthz", "/readyz", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.path.startswith(self.OPEN):
            state = access.lifecycle_refusal(user)
            if state == AgencyState.SUSPENDED:
                message = _("Your agency is suspended. Contact central IT.")
                return deny(request, message, "AGENCY_SUSPENDED", 403)
            if state is not None:
                return deny(request, _("Your agency is not open."), "AGENCY_NOT_OPEN", 403)
        return self.get_response(request)


SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


def deny(request, message: str, code: str, status: int) -> HttpResponse:
    if is_api_request(request):
        return graphql_error(message, code, status)
    if request.path.startswith("/scim/"):  # SCIM clients read RFC 7644 errors (api/scim/)
        return JsonResponse(
            {"schemas": [SCIM_ERROR], "status": str(status), "detail": message},
            status=status,
            content_type="application/scim+json",
        )
    return render(request, "denied.html", {"message": message}, status=status)


def federated_here(request, agency) -> bool:
    """A session an identity provider signed in serves only that provider's agency's host
    (central IT's provider: the central host). Cookies never cross hosts; this holds even if
    one did. Signing out stays open."""
    session = getattr(request, "session", None)
    marks = session.get(FEDERATED) if session is not None else None
    if not marks or request.path.startswith("/accounts/logout/"):
        return True
    if agency.schema_name == get_public_schema_name():
        return bool(marks.get("central"))
    return not marks.get("central") and marks.get("agency") == agency.pk


class AgencyAccessMiddleware:
    """On an agency host: a suspended agency serves nobody; only its own members get in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        agency = getattr(request, "tenant", None)
        if agency is not None and not federated_here(request, agency):
            message = _("You signed in through another agency's identity provider.")
            return self._deny(request, message, "FORBIDDEN", 403)
        if agency is None or agency.schema_name == get_public_schema_name():
            return self.get_response(request)
        if request.path.startswith(("/healthz", "/readyz", "/static/")):
            return self.get_response(request)
        if agency.state == AgencyState.SUSPENDED:
            return self._deny(
                request, _("This agency is suspended. Contact central IT."), "AGENCY_SUSPENDED", 403
            )
        if agency.state != AgencyState.ACTIVE:
            return self._deny(request, _("This agency is not open yet."), "AGENCY_NOT_OPEN", 403)
        if request.path.startswith(OPEN_PATH_PREFIXES):
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated:
            if is_api_request(request):
                return graphql_error(_("Sign in, or send an API token."), "UNAUTHENTICATED", 401)
            return self.get_response(request)  # views redirect to the sign-in page
        if not access.has_agency_role(user, agency):
            return self._deny(request, _("You have no role in this agency."), "FORBIDDEN", 403)
        return self.get_response(request)

    def _deny(self, request, message: str, code: str, status: int) -> HttpResponse:
        return deny(request, message, code, status)


class AgencyRoutingMiddleware(TenantMainMiddleware):
    """django-tenants' routing, with 400 (not 404) for a host no agency owns: Django turns
    DisallowedHost into "Bad Request", and never serves another agency's content."""

    TENANT_NOT_FOUND_EXCEPTION = DisallowedHost

    def process_request(self, request):
        try:
            request.get_host()  # outside ALLOWED_HOSTS: django-tenants would answer 404
        except DisallowedHost:
            return HttpResponseBadRequest("Bad Request", content_type="text/plain")
        return super().process_request(request)
