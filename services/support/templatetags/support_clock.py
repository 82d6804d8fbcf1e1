"""`{% clock_explained ticket agency %}`: a ticket's clock explained (calendar, days not
counted and why, pauses), for the agency's and the service desk's ticket pages. `agency` may
be left out on an agency's host (the host's agency is used)."""

from __future__ import annotations

from typing import Any

from django import template

from services.support.clock_explained import explain
from tenants.viewer import host_agency_of

register = template.Library()


@register.inclusion_tag("support/_clock_explained.html", takes_context=True)
def clock_explained(context: dict[str, Any], ticket: Any, agency: Any = None) -> dict[str, Any]:
    agency = agency or host_agency_of(context["request"])
    if agency is None or ticket is None:
        return {"clock": None}
    return {"clock": explain(agency, ticket)}
