"""The rating lines of a ticket's resolution mail: one signed link per score
(services/support/satisfaction/links.py). The resolution mail (services/support/email_out.py,
`notify_resolved`) adds them to its body: `*rating_lines(agency, ticket)`."""

from __future__ import annotations

from django.utils.translation import gettext as _

from services.support.models import Ticket
from services.support.satisfaction.links import rating_days, rating_url
from services.support.satisfaction.models import Score
from tenants.models import Agency, AgencyState


def rating_lines(agency: Agency, ticket: Ticket) -> list[str]:
    """The paragraph asking for a rating, as lines (none for an agency that is not active)."""
    active = Agency.objects.filter(pk=agency.pk, state=AgencyState.ACTIVE).exists()
    if not active or ticket.resolved_at is None:  # the row's state: a caller's copy may be old
        return []
    lines = [
        _("How did we do? One click rates the help you got (you may add a comment):"),
    ]
    for score in sorted(Score, reverse=True):
        lines.append(f"{score.value} – {score.label}: {rating_url(agency, ticket, score.value)}")
    lines.append(_("The links work for %(days)s days.") % {"days": rating_days()})
    return ["\n".join(lines)]
