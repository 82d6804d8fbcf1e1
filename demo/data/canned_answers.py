"""Demo canned answers: the service desk's text modules in Swedish and English, written
through the desk's actions by the demo's service-desk agent. Idempotent (by name and language)."""

from __future__ import annotations

from services.support.desk import actions
from services.support.desk.models import CannedAnswer
from tenants.models import User

ANSWERS = [
    (
        "Tack, vi tittar på det",
        "sv",
        "Hej {requester_name}!\n\nTack för ditt ärende {ticket_number}. Vi har tagit emot det "
        "och återkommer så snart vi vet mer.\n\nVänliga hälsningar\n{agent_name}, Servicedesk",
    ),
    (
        "Starta om datorn",
        "sv",
        "Hej {requester_name}!\n\nPröva att starta om datorn helt (Start > Stäng av, vänta "
        "en halv minut och starta igen). Svara på det här meddelandet om felet finns kvar, "
        "så fortsätter vi felsöka.\n\nVänliga hälsningar\n{agent_name}",
    ),
    (
        "Lösenord återställt",
        "sv",
        "Hej {requester_name}!\n\nDitt lösenord är återställt. Du får ett sms med ett "
        "engångslösenord; byt det vid första inloggningen. Vi stänger ärendet {ticket_number} "
        "om vi inte hör av dig inom fem arbetsdagar.\n\nVänliga hälsningar\n{agent_name}",
    ),
    (
        "Väntar på leverantör",
        "sv",
        "Hej {requester_name}!\n\nFelet ligger hos vår leverantör och vi har anmält det till "
        "dem. Vi hör av oss när de har återkommit.\n\nVänliga hälsningar\n{agent_name}",
    ),
    (
        "Thanks, we are on it",
        "en",
        "Hello {requester_name},\n\nThank you for your ticket {ticket_number}. We have "
        "received it and will get back to you as soon as we know more.\n\nKind regards\n"
        "{agent_name}, Service desk",
    ),
    (
        "Password reset",
        "en",
        "Hello {requester_name},\n\nYour password has been reset. You will receive a "
        "one-time password by text message; change it when you first sign in. We will close "
        "ticket {ticket_number} if we do not hear from you within five working days.\n\n"
        "Kind regards\n{agent_name}",
    ),
]


def load_canned_answers(desk: User) -> int:
    """Write the demo's canned answers that are missing; the number written."""
    written = 0
    for name, language, body in ANSWERS:
        if CannedAnswer.objects.filter(name=name, language=language).exists():
            continue
        actions.save_canned_answer(desk, name=name, language=language, body=body)
        written += 1
    return written
