"""The date matrix: the date-sensitive tests, run at every instant below (`make test-dates`).

Each test starts at the instant (the tests' one clock, platform/config/testclock.py) and the
clock ticks from there. Times without an offset are Stockholm time; the daylight-saving nights
give the offset, since their local times are missing or repeated. One instant serves several
needs where it can (the first of a month at 00:01, the last at 23:59), so that the matrix
stays within CI's time.

    python -m tests.dates [pytest options]   # every instant
    SAMNAV_TEST_NOW=2028-02-29T12:00 make test   # the whole suite at one instant
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.etree import ElementTree

INSTANTS: dict[str, str] = {
    "new-year-0005": "2027-01-01T00:05",
    "first-of-month-0001": "2027-02-01T00:01",
    "last-of-month-2359": "2027-08-31T23:59",
    "leap-day-2028": "2028-02-29T12:00",
    "spring-forward-0315": "2027-03-28T03:15+02:00",
    "fall-back-second-0230": "2027-10-31T02:30+01:00",
    "midsommarafton": "2027-06-25T10:00",
    "christmas-eve": "2027-12-24T14:00",
    "new-years-eve": "2027-12-31T23:00",
    "summer-2030": "2030-07-15T10:00",
}

# The tests whose outcome depends on the date: clocks, calendars, budgets, periods, notice
# periods, demo loaders, queues, reminders, retention, lifecycle and the isolation matrix.
DATE_SENSITIVE: list[str] = [
    "tests/calendars/test_clock.py",
    "tests/support/test_compliance.py",
    "tests/support/test_escalation.py",
    "tests/support/test_tickets.py",
    "tests/support/test_senders.py",
    "tests/ordering/test_ordering_flow.py",
    "tests/ordering/test_ordering_rules.py",
    "tests/costs/test_run.py",
    "tests/costs/test_graphql_flow.py",
    "tests/costs/test_inputs.py",
    "tests/catalogue/test_suppliers.py",
    "tests/catalogue/test_actions.py",
    "tests/dispatch/test_dispatch.py",
    "tests/bookings/test_book_slot.py",
    "tests/bookings/test_reminders.py",
    "tests/outbox/test_retention.py",
    "tests/lifecycle/test_proposals.py",
    "tests/lifecycle/test_decisions.py",
    "tests/licences/test_reconciliation.py",
    "tests/licences/test_snapshots.py",
    "tests/licences/test_alerts.py",
    "tests/visits/test_request.py",
    "tests/incidents/test_correlation.py",
    "tests/projects/test_actions.py",
    # the demo loaders
    "tests/catalogue/test_demo.py",
    "tests/costs/test_demo.py",
    "tests/hubs/test_demo.py",
    "tests/incidents/test_demo.py",
    "tests/lifecycle/test_demo.py",
    "tests/outbox/test_demo.py",
    "tests/projects/test_demo.py",
    "tests/visits/test_demo.py",
    "tests/tenants/test_demo_any_day.py",
    # the isolation matrix
    "tests/security/test_isolation_matrix.py::test_agency_a_sees_and_changes_nothing_of_agency_b",
]


def _groups(names: list[str], count: int) -> list[list[str]]:
    return [g for g in (names[i::count] for i in range(count)) if g]


def _counts(junit: Path) -> tuple[int, int]:
    """(passed, failed or errored) from a pytest JUnit XML report; (0, 1) when there is none."""
    if not junit.exists():
        return 0, 1
    suite = ElementTree.parse(junit).getroot()
    suite = suite if suite.tag == "testsuite" else suite[0]
    total, skipped = int(suite.get("tests", 0)), int(suite.get("skipped", 0))
    bad = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    return total - skipped - bad, bad


def main(argv: list[str]) -> int:
    """Every instant, or those named in SAMNAV_TEST_INSTANTS (comma-separated), split over one
    pytest process per core, each with a test database of its own on one server."""
    from config.embedded_db import ensure_database_url

    ensure_database_url()  # started once here, so the processes share it (and none stops it)
    wanted = os.environ.get("SAMNAV_TEST_INSTANTS", "all")
    names = list(INSTANTS) if wanted == "all" else wanted.split(",")
    count = int(os.environ.get("SAMNAV_TEST_DATE_PROCESSES") or min(os.cpu_count() or 1, 2))
    base = os.environ.get("SAMNAV_TEST_DB", "test_samnav")
    with tempfile.TemporaryDirectory(prefix="samnav-dates-") as tmp:
        runs = []
        for i, group in enumerate(_groups(names, count)):
            junit, log = Path(tmp, f"{i}.xml"), Path(tmp, f"{i}.log")
            env = {**os.environ, "SAMNAV_TEST_DB": f"{base}_dates{i}"}
            command = [sys.executable, "-m", "pytest", f"--date-matrix={','.join(group)}"]
            command += [f"--junitxml={junit}", *DATE_SENSITIVE, *argv]
            with log.open("w") as out:
                process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
            runs.append((group, process, junit, log))
        passed = failed = 0
        for group, process, junit, log in runs:
            code = process.wait()
            print(f"== instants {', '.join(group)}: exit {code}")
            print(log.read_text(), flush=True)
            ok, bad = _counts(junit)
            passed += ok
            failed += bad or (code != 0)  # a run that failed outside its tests counts once
    print(f"dates: {passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
