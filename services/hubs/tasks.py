"""Periodic work of the hubs (shared): overdue loaners of every agency are found in public and
their borrowers reminded inside each agency's schema. Beat runs it daily."""

from config.celery import app


@app.task
def remind_overdue_loaners() -> int:
    """Remind the borrowers of overdue loaners (each at most once per
    SAMNAV_LOAN_REMINDER_DAYS). Returns how many were reminded."""
    from services.hubs.loan_reminders import remind_overdue

    return remind_overdue()
