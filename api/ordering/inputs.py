"""Input types of ordering."""

from __future__ import annotations

import graphene
from graphql_relay import from_global_id

from services.ordering.quotes import LineRequest


class OrderLineInput(graphene.InputObjectType):
    offering = graphene.ID(required=True)
    quantity = graphene.Int(required=True)


class LineDecisionInput(graphene.InputObjectType):
    line = graphene.ID(required=True, description="An OrderLine id.")
    fulfil = graphene.Boolean(default_value=True)
    reason = graphene.String(default_value="", description="Required when not fulfilled.")


def offering_pk(global_id: str) -> int | None:
    """The offering's pk, or None for an id that is not an Offering's (reported per line)."""
    try:
        kind, pk = from_global_id(global_id)
        return int(pk) if kind == "Offering" else None
    except (ValueError, TypeError, UnicodeDecodeError):
        return None


def line_requests(lines) -> list[LineRequest]:
    return [LineRequest(offering_pk(line.offering), line.quantity) for line in lines]
