"""What the shared half of Samnav may use of the agency's devices.

The one door from a shared app (data in public) into this agency app (data in each agency's
schema); callers are inside tenant_context(agency). tests/house/test_homes.py holds every
shared app to it."""

from services.devices.custody import Custodian, record_handover
from services.devices.models import CustodianKind

__all__ = ["Custodian", "CustodianKind", "record_handover"]
