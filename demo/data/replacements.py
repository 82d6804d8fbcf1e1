"""Demo replacement proposals: the real proposal run for a demo agency, once its devices
exist. Idempotent (a device is proposed once per replacement date)."""

from __future__ import annotations

import datetime as dt

from services.devices.replacements.proposals import propose


def load_agency_proposals(agency, today: dt.date | None = None) -> int:
    """Propose replacing the agency's devices due within SAMNAV_LIFECYCLE_DAYS. Returns the
    number of proposals made (0 on a second run)."""
    return len(propose(agency, today))
