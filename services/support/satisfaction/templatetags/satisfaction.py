"""`{% rating_form ticket %}`: on a resolved ticket's page, its requester's rating form (one
click per score, an optional comment); nothing for anyone else or an unresolved ticket."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from services.support.satisfaction import policies
from services.support.satisfaction.actions import RATEABLE_STATES
from services.support.satisfaction.models import Rating, Score
from tenants.viewer import of_request

register = template.Library()


@register.inclusion_tag("satisfaction/_ticket.html", takes_context=True)
def rating_form(context: dict[str, Any], ticket: Any) -> dict[str, Any]:
    request = context["request"]
    viewer = of_request(request)
    show = ticket.state in RATEABLE_STATES and policies.rates(viewer, ticket)
    if not show:
        return {"show": False}
    return {
        "show": True,
        "csrf_token": context.get("csrf_token"),
        "action": reverse("support:rate", kwargs={"pk": ticket.pk}),
        "rating": Rating.objects.filter(ticket_id=ticket.pk).first(),
        "scores": sorted(Score, reverse=True),
        "chosen": "",
        "error": "",
    }
