"""What the shared half of Samnav may use of the agency's licence seats.

The one door from a shared app (data in public) into this agency app (data in each agency's
schema); callers are inside tenant_context(agency). tests/house/test_homes.py holds every
shared app to it."""

from services.licences.seats.models import SeatAssignment

__all__ = ["SeatAssignment"]
