"""Rate limits per identity and per client address (django-ratelimit), for GraphQL and sign-in.

Counters live in the cache alias `ratelimit` (settings: RATELIMIT_USE_CACHE): Redis when
`RATELIMIT_CACHE_URL` is set (production; `make run` sets it when the local Redis answers),
otherwise each process's memory, where every web worker counts on its own. Over a limit, the
caller gets 429 with Retry-After (seconds until the window ends) and nothing runs.

The rates are settings (`SAMNAV_RATE_LIMITS`, "count/period" as django-ratelimit writes them:
"600/m", "10/15m"); each rule can be turned off with None:

- graphql_identity: per signed-in person or API token, whatever address they call from;
- graphql_ip: per client address, everyone together (an office behind one NAT shares it);
- graphql_anonymous_ip: per client address, for calls with no identity (the public catalogue);
- login_ip: sign-in attempts (POSTs to the login form) per client address;
- login_username: sign-in attempts per username, whatever address they come from.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

GRAPHQL_PATH = "/graphql/"
LOGIN_PATH = "/accounts/login/"


@dataclass(frozen=True)
class Rule:
    name: str  # the key of SAMNAV_RATE_LIMITS
    key: Callable[[str, HttpRequest], str] | str  # django-ratelimit's key: what is counted


def client_address(request: HttpRequest) -> str | None:
    """The client's address as the rate limits read it (RATELIMIT_IP_META_KEY names the header
    a proxy sets, else REMOTE_ADDR); an IPv6 address stands for its /64, as in the rate limits.
    None when there is no valid address (never an error: axes stores it in an inet column)."""
    key = getattr(settings, "RATELIMIT_IP_META_KEY", None) or "REMOTE_ADDR"
    raw = str(request.META.get(key) or "").strip()
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return None
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def _address(_group: str, request: HttpRequest) -> str:
    return client_address(request) or "unknown"


def _identity(_group: str, request: HttpRequest) -> str:
    kind = "token" if getattr(request, "auth_via_token", False) else "user"
    return f"{kind}:{request.user.pk}"


def _username(_group: str, request: HttpRequest) -> str:
    return (request.POST.get("username") or "").strip().casefold()[:150]


GRAPHQL_RULES = (Rule("graphql_identity", _identity), Rule("graphql_ip", _address))
ANONYMOUS_GRAPHQL_RULES = (Rule("graphql_anonymous_ip", _address), Rule("graphql_ip", _address))
LOGIN_RULES = (Rule("login_ip", _address), Rule("login_username", _username))


def _rules(request: HttpRequest) -> tuple[Rule, ...]:
    if request.path == GRAPHQL_PATH:
        signed_in = request.user.is_authenticated
        return GRAPHQL_RULES if signed_in else ANONYMOUS_GRAPHQL_RULES
    if request.path == LOGIN_PATH and request.method == "POST":
        return LOGIN_RULES
    return ()


def retry_after(request: HttpRequest) -> int | None:
    """Counts this request under every rule that applies; the seconds to wait when any limit
    is passed, else None."""
    rates = settings.SAMNAV_RATE_LIMITS
    waits = []
    for rule in _rules(request):
        rate = rates.get(rule.name)
        if rate is None:
            continue
        usage = get_usage(request, group=rule.name, key=rule.key, rate=rate, increment=True)
        if usage is not None and usage["should_limit"]:
            waits.append(max(1, usage["time_left"]))
    return max(waits) if waits else None


def too_many(request: HttpRequest, seconds: int) -> HttpResponse:
    """429 with Retry-After: JSON for the API, a page for the sign-in form."""
    message = _("Too many requests. Try again in %(seconds)s seconds.") % {"seconds": seconds}
    if request.path == GRAPHQL_PATH:
        response: HttpResponse = JsonResponse(
            {
                "errors": [
                    {
                        "message": message,
                        "extensions": {"code": "RATE_LIMITED", "retryAfter": seconds},
                    }
                ]
            },
            status=429,
        )
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response


class RateLimitMiddleware:
    """After authentication (the identity is known), before any view runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds = retry_after(request)
        if seconds is not None:
            return too_many(request, seconds)
        return self.get_response(request)
