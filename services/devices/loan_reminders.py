"""Reminding one borrower of an overdue loaner, the agency's half: the loan and the person are
in the agency's schema. The overdue loaners of every agency are found in public by
services/hubs/loan_reminders.py, which calls this (through devices/interface.py)."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from services.devices.models import Loan
from services.outbox.queue import send_sms_later
from services.people.notify import send_after_commit
from tenants.models import Agency

log = logging.getLogger("samnav.loans")


def remind_borrower(
    agency: Agency, stock_item_id: int, today: dt.date, every_days: int, hub: dict[str, str]
) -> bool:
    """Remind the borrower of the loaner (by e-mail, else SMS, through the outbox) unless it is
    not overdue or they were reminded within the last `every_days`. `hub`: the hub's name and
    address, for the text. True when a reminder was due (and sent, given an address)."""
    with tenant_context(agency), transaction.atomic():
        loan = (
            Loan.objects.select_for_update(of=("self",))
            .select_related("person", "device")
            .filter(stock_item_id=stock_item_id, returned_at__isnull=True)
            .first()
        )
        if loan is None or loan.expected_return >= today:
            return False
        if loan.reminded_on is not None and loan.reminded_on > today - dt.timedelta(
            days=every_days
        ):
            return False
        loan.reminded_on = today
        loan.save(update_fields=["reminded_on"])
        values = {
            "model": loan.device.model,
            "serial": loan.device.serial_number,
            "date": loan.expected_return.isoformat(),
            **hub,
        }
        person = loan.person
        if person.email:
            send_after_commit(
                _("Please return the loaner %(serial)s") % values,
                _(
                    "The loaner %(model)s (%(serial)s) was due back on %(date)s. Please bring "
                    "it to %(hub)s, %(address)s, as soon as you can."
                )
                % values,
                [person.email],
            )
        elif person.phone:
            send_sms_later(
                person.phone,
                _("The loaner %(serial)s was due back on %(date)s. Please bring it to %(hub)s.")
                % values,
            )
        else:
            log.info("loan reminder not sent: no address")
    return True
