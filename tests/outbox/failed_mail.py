"""Failed mail for the outbox's page and API tests: sent through the real outbox to a mail
server that refuses for good, so each ends failed with its error and index entry."""

from __future__ import annotations

from django.test import override_settings

from services.people.notify import send_after_commit

BROKEN = "tests.outbox.test_outbox.BrokenBackend"
ADMIN = {"alpha": "admin@alfa.example", "beta": "admin@beta.example"}


def send_failing(capture, federation, agencies=("alpha", "beta")) -> None:
    """A failed mail to the admin of each agency named ("To alpha", body "Alpha body"), and
    a failed central one ("Central alert"). `capture` is django_capture_on_commit_callbacks."""
    with override_settings(EMAIL_BACKEND=BROKEN), capture(execute=True):
        for slug in agencies:
            agency = getattr(federation, slug)
            send_after_commit(
                f"To {slug}",
                f"{slug.capitalize()} body",
                [ADMIN[slug]],
                agency=agency,
            )
        send_after_commit("Central alert", "Body", ["it@central.example"])
