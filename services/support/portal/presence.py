"""Who else has a ticket open, or is typing a reply on it (collision detection).

Kept in the cache, never in a table: one entry per ticket, a small map of identity -> when
the page was last seen and until when the agent counts as typing. The page's live fragment
refreshes it every few seconds; an agent not seen for PRESENCE_SECONDS is gone. Cache keys are
agency-aware (django-tenants' make_key); on the central host they all live in public's space.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

PRESENCE_SECONDS = 60  # viewed within this long: still working on the ticket
TYPING_SECONDS = 15  # a key stroke counts this long as typing
_TTL = 120


@dataclass(frozen=True)
class Presence:
    name: str
    typing: bool


def _key(agency_id: int, ticket_id: int) -> str:
    return f"support:presence:{agency_id}:{ticket_id}"


def seen(agency_id: int, ticket_id: int, user_id: int, name: str, *, typing: bool = False) -> None:
    """Record that the agent has the ticket open (and, with `typing`, is writing a reply)."""
    now = timezone.now().timestamp()
    key = _key(agency_id, ticket_id)
    entries = {uid: e for uid, e in (cache.get(key) or {}).items() if e[1] > now - PRESENCE_SECONDS}
    before = entries.get(user_id)
    typing_until = now + TYPING_SECONDS if typing else (before[2] if before else 0.0)
    entries[user_id] = (name, now, typing_until)
    cache.set(key, entries, _TTL)


def others(agency_id: int, ticket_id: int, user_id: int) -> list[Presence]:
    """The other agents working on the ticket now, by name."""
    now = timezone.now().timestamp()
    entries = cache.get(_key(agency_id, ticket_id)) or {}
    return [
        Presence(name, until > now)
        for uid, (name, at, until) in sorted(entries.items(), key=lambda kv: kv[1][0])
        if uid != user_id and at > now - PRESENCE_SECONDS
    ]
