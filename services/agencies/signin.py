"""Sign-in hygiene (issue 19): an audit row for every sign-in, failed sign-in, lockout and
sign-out, and the page a locked-out sign-in gets.

The receivers are connected by `AgenciesConfig.ready()`. They live here, in the agencies domain
(which keeps identities), because `tenants` is a lower layer than `services.audit`.

Only sign-ins over HTTP are recorded: Django's test client builds a bare request (no method)
for `force_login()` and `login()`, and those are no one signing in. Each row names the client's
address (`config.ratelimits.client_address`, the one axes locks out and the rate limits
count), the host's agency (None on the central host) and, as its object, the identity the
username names; a username that names no identity is recorded on the host's agency instead.
Never the password.

django-axes (settings AXES_*) counts the failures and sends `user_locked_out`; its settings
name `config.ratelimits.client_address` and `lockout_response` below.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any, TypeGuard

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Max, Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from config.ratelimits import client_address
from services.audit.actions import record_event
from tenants.models import Agency, User
from tenants.viewer import host_agency_of

LOCKED_OUT_TEMPLATE = "registration/locked_out.html"
USERNAME_MAX = 150  # as the identity's field: longer attempts are cut, never refused


def _over_http(request: HttpRequest | None) -> TypeGuard[HttpRequest]:
    return request is not None and request.method is not None


def _attempted(username: object) -> str:
    return str(username or "")[:USERNAME_MAX]


def _subject(request: HttpRequest, username: str) -> Model | None:
    """What a sign-in row is about: the identity named, else the agency of the host."""
    identity = User.objects.filter(username=username).first() if username else None
    if identity is not None:
        return identity
    tenant = getattr(request, "tenant", None)
    if isinstance(tenant, Agency):
        return tenant
    return Agency.objects.filter(schema_name=get_public_schema_name()).first()


def _record(
    request: HttpRequest, action: str, username: str, actor: User | None = None, **details: Any
) -> None:
    subject = actor if actor is not None else _subject(request, username)
    if subject is None:  # no central row: a database without the federation (never in use)
        return
    record_event(
        actor,
        action,
        subject,
        agency=host_agency_of(request),
        username=username,
        ip=client_address(request),
        **details,
    )


def signed_in(sender: object, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if _over_http(request):
        _record(request, "signin.succeeded", _attempted(user.get_username()), actor=user)


def sign_in_failed(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Django cleans the password out of `credentials` before it sends the signal; only the
    username is kept, in any case."""
    if _over_http(request):
        _record(request, "signin.failed", _attempted(credentials.get("username")))


def locked_out(
    sender: object, request: HttpRequest | None, username: object = None, **kwargs: Any
) -> None:
    """axes' signal: at the failure that reaches the limit (with the count of failures), and at
    each attempt refused while the lockout lasts (`while_locked`)."""
    if _over_http(request):
        failures = getattr(request, "axes_failures_since_start", None)
        details = {"while_locked": True} if failures is None else {"failures": failures}
        _record(request, "signin.locked_out", _attempted(username), **details)


def signed_out(
    sender: object, request: HttpRequest | None, user: User | None, **kwargs: Any
) -> None:
    """By the person (the sign-out page), or a session past its limits (tenants/sessions.py)."""
    if _over_http(request) and user is not None:
        by = "person" if request.path == reverse("logout") else "session_limit"
        _record(request, "signin.signed_out", _attempted(user.get_username()), actor=user, by=by)


def connect() -> None:
    """Called once, by AgenciesConfig.ready()."""
    user_logged_in.connect(signed_in, dispatch_uid="samnav.signin.succeeded")
    user_login_failed.connect(sign_in_failed, dispatch_uid="samnav.signin.failed")
    user_locked_out.connect(locked_out, dispatch_uid="samnav.signin.locked_out")
    user_logged_out.connect(signed_out, dispatch_uid="samnav.signin.signed_out")


def retry_after(request: HttpRequest, username: str | None) -> int:
    """Seconds until the lockout of this username at this address ends (at least 1): the
    cool-off counts from the failure that reached the limit."""
    cool_off = get_cool_off(request) or timedelta(0)
    latest = AccessAttempt.objects.filter(
        username=username, ip_address=getattr(request, "axes_ip_address", None)
    ).aggregate(at=Max("attempt_time"))["at"]
    ends = (latest or timezone.now()) + cool_off
    return max(1, math.ceil((ends - timezone.now()).total_seconds()))


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """axes' AXES_LOCKOUT_CALLABLE: the locked-out page, 429 with Retry-After."""
    seconds = retry_after(request, get_client_username(request, credentials))
    context = {
        "minutes": max(1, math.ceil(seconds / 60)),
        "failure_limit": get_failure_limit(request, credentials),
    }
    response = render(request, LOCKED_OUT_TEMPLATE, context, status=429)  # as axes' own
    response["Retry-After"] = str(seconds)
    return response
