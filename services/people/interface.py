"""What the shared half of Samnav may use of the agency's people.

The one door from a shared app (data in public) into this agency app (data in each agency's
schema); callers are inside tenant_context(agency), except for the federated sign-in's, which
enter the agency's schema themselves. tests/house/test_homes.py holds every shared app to it."""

from services.people.federated import Found, admit_person, find_person, identities_of
from services.people.notify import admin_addresses, send_after_commit

__all__ = [
    "Found",
    "admin_addresses",
    "admit_person",
    "find_person",
    "identities_of",
    "send_after_commit",
]
