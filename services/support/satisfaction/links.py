"""The signed rating link of a resolved ticket (Django `signing`, with an expiry): it names
the agency, the ticket and the moment it was resolved, so it works only for that ticket, on
that agency's host, for that resolution (a reopened and resolved-again ticket gets a new
link), within SAMNAV_RATING_DAYS (default 14) of being sent."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

from services.support.models import Ticket
from tenants.hosts import portal_url
from tenants.models import Agency

SALT = "samnav.support.satisfaction.rating-link"


def rating_days() -> int:
    return int(getattr(settings, "SAMNAV_RATING_DAYS", 14))


@dataclass(frozen=True)
class LinkClaim:
    agency_id: int
    ticket_id: int
    resolved: int  # the ticket's resolved_at, as a Unix timestamp


def _resolved(ticket: Ticket) -> int:
    return int(ticket.resolved_at.timestamp()) if ticket.resolved_at else 0


def make_token(agency: Agency, ticket: Ticket) -> str:
    return signing.dumps(
        {"a": agency.pk, "t": ticket.pk, "r": _resolved(ticket)}, salt=SALT, compress=True
    )


def read_token(token: str) -> LinkClaim | None:
    """The claim of a genuine, unexpired token; None for anything else."""
    try:
        data = signing.loads(token, salt=SALT, max_age=rating_days() * 86400)
        return LinkClaim(int(data["a"]), int(data["t"]), int(data["r"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def matches(claim: LinkClaim, agency: Agency, ticket: Ticket) -> bool:
    """The claim names this agency, this ticket and its current resolution."""
    return (
        claim.agency_id == agency.pk
        and claim.ticket_id == ticket.pk
        and claim.resolved == _resolved(ticket)
    )


def rating_url(agency: Agency, ticket: Ticket, score: int | None = None) -> str:
    path = reverse(
        "support:rate-link",
        kwargs={"token": make_token(agency, ticket)},
        urlconf=settings.ROOT_URLCONF,  # the agency's host, whichever host asks
    )
    return portal_url(agency, path + (f"?score={score}" if score else ""))
