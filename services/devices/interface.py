"""What the shared half of Samnav may use of the agency's devices.

The one door from a shared app (data in public) into this agency app (data in each agency's
schema); callers are inside tenant_context(agency), or pass the agency to the function (the
loans' and their reminders' agency halves). tests/house/test_homes.py holds every shared app
to it."""

from services.devices.custody import Custodian, record_handover
from services.devices.loan_reminders import remind_borrower
from services.devices.loans import (
    borrower_exists,
    close_loan,
    find_borrower,
    open_loan,
    require_lender,
)
from services.devices.models import CustodianKind, Loan
from services.devices.policies import loans as visible_loans

__all__ = [
    "Custodian",
    "CustodianKind",
    "Loan",
    "borrower_exists",
    "close_loan",
    "find_borrower",
    "open_loan",
    "record_handover",
    "remind_borrower",
    "require_lender",
    "visible_loans",
]
