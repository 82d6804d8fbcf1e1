"""How long a signed-in session lasts: an idle timeout and an absolute lifetime, shorter for
identities with a central role (power over every agency) than for agency roles. A session past
either is ended on its next request: the person signs in again. Bearer tokens are not
sessions and are not touched (they are revoked instead)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout, user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from tenants import access

STARTED, SEEN = "samnav_session_started", "samnav_session_seen"
# A session signed in through an identity provider (services/agencies/federation/signin.py):
# {"idp", "agency", "central", "mfa", ...}. Absent for a password sign-in.
FEDERATED = "samnav_federated"
# Writing the last-seen time on every request would write the session every request.
SEEN_GRANULARITY = dt.timedelta(seconds=60)


def limits(user: access.Identity) -> tuple[dt.timedelta, dt.timedelta]:
    """(idle timeout, absolute lifetime) for this identity."""
    if access.central_roles(user):
        idle, whole = settings.SAMNAV_SESSION_IDLE_CENTRAL, settings.SAMNAV_SESSION_MAX_CENTRAL
    else:
        idle, whole = settings.SAMNAV_SESSION_IDLE, settings.SAMNAV_SESSION_MAX
    return dt.timedelta(minutes=idle), dt.timedelta(minutes=whole)


@receiver(user_logged_in)
def start_session_clock(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """At sign-in: the session's start and last request are now (written with the sign-in,
    so that the first page after it writes nothing more)."""
    if request is not None and hasattr(request, "session"):
        now = timezone.now().isoformat()
        request.session[STARTED] = request.session[SEEN] = now


class SessionLifetimeMiddleware:
    """After authentication: ends a session that has been idle, or open, too long."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not getattr(request, "auth_via_token", False):
            now = timezone.now()
            started = _read(request, STARTED) or now
            seen = _read(request, SEEN) or now
            idle, whole = limits(user)
            if now - seen > idle or now - started > whole:
                logout(request)  # flushes the session: the next page asks to sign in
            else:
                if STARTED not in request.session:
                    request.session[STARTED] = now.isoformat()
                if now - seen >= SEEN_GRANULARITY or SEEN not in request.session:
                    request.session[SEEN] = now.isoformat()
        return self.get_response(request)


def _read(request: HttpRequest, key: str) -> dt.datetime | None:
    value = request.session.get(key)
    try:
        return dt.datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None
