"""The rows every write path of support shares: the ticket locked for the change, and the
checked attachments stored with a message."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from services.support import attachments as files
from services.support.errors import SupportErrorCode as Code
from services.support.models import Attachment, Ticket, TicketMessage
from services.validation import Errors, field_error


def lock_ticket(ticket_id: int) -> Ticket:
    """The ticket's row, locked until the transaction ends. Call inside the agency's schema."""
    ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
    if ticket is None:
        raise field_error("ticket", _("No such ticket."), Code.NOT_FOUND)
    return ticket


def check_files(
    errors: Errors, attachments: Sequence[tuple[str, bytes]]
) -> list[files.CheckedFile]:
    """The accepted attachments; each refused one is an error of `attachments.<index>`."""
    checked = []
    for i, (filename, content) in enumerate(attachments):
        try:
            checked.append(files.check(filename, content, f"attachments.{i}"))
        except ValidationError as exc:
            for field, found in exc.error_dict.items():
                errors.items.setdefault(field, []).extend(found)
    return checked


def store_files(message: TicketMessage, checked: list[files.CheckedFile]) -> None:
    Attachment.objects.bulk_create(
        Attachment(
            message=message,
            filename=f.filename,
            content_type=f.content_type,
            size=len(f.content),
            sha256=f.sha256,
            content=f.content,
        )
        for f in checked
    )
