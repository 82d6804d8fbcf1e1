"""API tokens on the cost-split download URLs.

`tenants.middleware.ApiTokenMiddleware` signs in `/graphql/` only (a token never signs in a
page: it would switch off CSRF there). A download is a GET that changes nothing, and the
`downloadUrl` GraphQL hands out must work for the same API client, so these views (and only
these) take `Authorization: Bearer TOKEN` themselves, with the middleware's own rules: an
unknown, revoked or expired token, or one of an inactive user, is refused with 401; the
owner's agency lifecycle (a suspended agency's people get nothing) and, on an agency host, a
role in that agency are checked as the middleware checks them for a session. No session is
created and no cookie set. Without the header the view needs a signed-in session as before.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from services.costs import policies
from tenants import access
from tenants.models import AgencyState, ApiToken, User, hash_token
from tenants.viewer import Viewer, host_agency_of

View = Callable[..., HttpResponse]


def _refused(message: str, status: int, *, challenge: bool = False) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    if challenge:
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


def _token_owner(raw: str) -> User | None:
    now = timezone.now()
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
    return token.user if token is not None else None


def session_or_token(view: View) -> View:
    """Let `view` be reached by a signed-in session or by an API token (see the module)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer "):
            user = _token_owner(header[7:].strip())
            if user is None:
                return _refused(_("The API token is invalid or revoked."), 401, challenge=True)
            state = access.lifecycle_refusal(user)
            if state == AgencyState.SUSPENDED:
                return _refused(_("Your agency is suspended. Contact central IT."), 403)
            if state is not None:
                return _refused(_("Your agency is not open."), 403)
            host = host_agency_of(request)
            if host is not None and not policies.downloads_on_host(Viewer.of(user, host)):
                return _refused(_("You have no role in this agency."), 403)
            request.user = user
            setattr(request, "auth_via_token", True)  # noqa: B010 - as the middleware marks it
            return view(request, *args, **kwargs)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped
