"""What the ordering pages show of events and errors: the audit trail with translated actions
and states, people's names, form errors (who may open the pages: guards.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from services.ordering.models import OrderEvent


def people_names(user_ids: Iterable[int | None]) -> dict[int | None, str]:
    """Names by identity, in at most two queries: the agency's people register (agency schema:
    personal data stays there), else the identity's username (central IT's staff and anyone
    without a person record), never a bare number."""
    from services.people.models import Person
    from tenants.models import User

    ids = {i for i in user_ids if i}
    if not ids:
        return {}
    names: dict[int | None, str] = dict(
        Person.objects.filter(user_id__in=ids).values_list("user_id", "name")
    )
    missing = ids - set(names)
    if missing:
        names.update(User.objects.filter(pk__in=missing).values_list("pk", "username"))
    return names


def event_rows(
    events: Iterable[OrderEvent], names: dict[int | None, str] | None = None
) -> list[dict]:
    """The audit trail as the pages show it: translated actions and states."""
    from django.utils.translation import gettext_lazy as _l

    from services.ordering.models import LineState, OrderState, SubscriptionState

    labels = {
        "placed": _l("Placed"),
        "approved": _l("Approved"),
        "rejected": _l("Rejected"),
        "budget_overridden": _l("Budget override"),
        "line_fulfilled": _l("Line fulfilled"),
        "line_rejected": _l("Line rejected"),
        "fulfilment": _l("Fulfilment"),
        "changed": _l("Quantity changed"),
        "cancelled": _l("Cancelled"),
    }
    states = {
        **dict(LineState.choices),
        **dict(SubscriptionState.choices),
        **dict(OrderState.choices),
    }
    names = names or {}
    return [
        {
            "event": e,
            "action": labels.get(e.action, e.action),
            "from_state": states.get(e.from_state, e.from_state),
            "to_state": states.get(e.to_state, e.to_state),
            "actor": names.get(e.actor_id, ""),
        }
        for e in events
    ]


def error_items(exc: ValidationError) -> list[tuple[str, list]]:
    """(key, errors) of a ValidationError; "" for errors not bound to a field."""
    if hasattr(exc, "error_dict"):
        return list(exc.error_dict.items())
    return [("", exc.error_list)]
