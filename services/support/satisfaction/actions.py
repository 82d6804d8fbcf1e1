"""The one write of satisfaction: rate a resolved ticket (score 1-5 and an optional comment),
from its page (the requester) or from the signed link in the resolution mail. One rating per
ticket: rating again replaces the score (and the comment, when one is given); a link of an
earlier resolution, of another ticket or of another agency changes nothing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.support.errors import SupportErrorCode as Code
from services.support.models import Ticket, TicketState
from services.support.satisfaction import links, policies
from services.support.satisfaction.models import Rating, RatingChannel, Score
from services.validation import Errors, clean_text
from tenants.models import Agency, AgencyState, User
from tenants.viewer import Viewer

COMMENT_MAX_LENGTH = 2000
RATEABLE_STATES = (TicketState.RESOLVED, TicketState.CLOSED)


def _checked(score: object, comment: str) -> tuple[int, str]:
    errors = Errors()
    value = 0
    try:
        value = int(str(score))
    except (TypeError, ValueError):
        errors.add("score", _("Choose a rating from 1 to 5."), Code.REQUIRED)
    else:
        if value not in Score.values:
            errors.add("score", _("Choose a rating from 1 to 5."), Code.OUT_OF_RANGE)
    text = clean_text("comment", comment or "")
    if len(text) > COMMENT_MAX_LENGTH:
        errors.add(
            "comment",
            _("At most %(n)s characters.") % {"n": COMMENT_MAX_LENGTH},
            Code.OUT_OF_RANGE,
        )
    errors.raise_if_any()
    return value, text


def _save(ticket: Ticket, score: int, comment: str, channel: str) -> Rating:
    if ticket.state not in RATEABLE_STATES:
        errors = Errors()
        errors.add("ticket", _("Only a resolved ticket can be rated."), Code.INVALID_STATE)
        errors.raise_if_any()
    now = timezone.now()
    rating = Rating.objects.select_for_update().filter(ticket=ticket).first()
    if rating is None:
        return Rating.objects.create(
            ticket=ticket,
            score=score,
            comment=comment,
            channel=channel,
            agent_id=ticket.assignee_id,
            rated_at=now,
            changed_at=now,
        )
    rating.score = score
    rating.comment = comment or rating.comment
    rating.channel = channel
    rating.changed_at = now
    rating.save(update_fields=["score", "comment", "channel", "changed_at"])
    return rating


def rate(
    agency: Agency, actor: User, ticket_id: int, *, score: object, comment: str = ""
) -> Rating:
    """The requester rates their resolved ticket on its page."""
    value, text = _checked(score, comment)
    with tenant_context(agency), transaction.atomic():
        ticket = (
            Ticket.objects.select_for_update(of=("self",))
            .select_related("requester")
            .filter(pk=ticket_id)
            .first()
        )
        if ticket is None or not policies.rates(Viewer.of(actor, agency), ticket):
            raise PermissionDenied(_("Only the ticket's requester rates it."))
        return _save(ticket, value, text, RatingChannel.WEB)


def rate_by_link(agency: Agency, token: str, *, score: object, comment: str = "") -> Rating:
    """Whoever holds the signed link of the ticket's resolution mail rates it (no sign-in: the
    mail went to the requester). A link for another agency, ticket or resolution, an expired
    or forged one, or a suspended agency: refused, nothing written."""
    claim = links.read_token(token)
    if claim is None or claim.agency_id != agency.pk or agency.state != AgencyState.ACTIVE:
        raise PermissionDenied(_("The rating link is not valid (any more)."))
    value, text = _checked(score, comment)
    with tenant_context(agency), transaction.atomic():
        ticket = Ticket.objects.select_for_update().filter(pk=claim.ticket_id).first()
        if ticket is None or not links.matches(claim, agency, ticket):
            raise PermissionDenied(_("The rating link is not valid (any more)."))
        return _save(ticket, value, text, RatingChannel.EMAIL)
