"""Support's tasks: escalation (periodic, shared) and requester notifications (per agency)."""

from django.db import connection

from config.celery import app
from services.support.email_out import notify_requester, notify_resolved
from services.support.escalation import escalate
from services.support.models import Ticket, TicketMessage
from tenants.models import Agency


def _agency() -> Agency:
    """The agency whose schema the task runs in (django-tenants sets it on the connection; the
    stubs do not know that attribute)."""
    return connection.tenant  # type: ignore[attr-defined]


@app.task
def escalate_tickets() -> dict:
    """Every few minutes: warnings and breaches due since the last run (each fires once)."""
    return escalate()


@app.task(base=app.agency_task_cls, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_message(ticket_id: int, message_id: int) -> bool:
    """Mail the requester a public reply (idempotent: a message already mailed is skipped)."""
    ticket = Ticket.objects.filter(pk=ticket_id).first()
    message = TicketMessage.objects.filter(pk=message_id, ticket_id=ticket_id).first()
    if ticket is None or message is None:
        return False
    return notify_requester(_agency(), ticket, message) is not None


@app.task(base=app.agency_task_cls, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_resolution(ticket_id: int) -> bool:
    ticket = Ticket.objects.filter(pk=ticket_id).first()
    return ticket is not None and notify_resolved(_agency(), ticket) is not None
