"""Periodic tasks of hub bookings (shared: they find due bookings of every agency through the
cross-agency index and act inside each agency's schema). Beat runs both every 15 minutes."""

from config.celery import app


@app.task
def send_reminders() -> dict:
    """Remind bookings whose slot starts within SAMNAV_BOOKING_REMINDER_HOURS (each once)."""
    from services.hubs.bookings.reminders import send_reminders as send

    return send()


@app.task
def record_no_shows() -> int:
    """Bookings whose slot has ended without attendance become no-shows (each once)."""
    from services.hubs.bookings.reminders import record_no_shows as record

    return record()
