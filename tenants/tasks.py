"""Fan-out of periodic per-agency work: one tenant-aware task per agency that is ready."""

from django_tenants.utils import tenant_context

from config.celery import app
from tenants.models import Agency, AgencyState


@app.task
def for_each_agency(task_name: str) -> int:
    """Send `task_name` once for every active member agency, in that agency's schema.

    Agencies that are onboarding, suspended or offboarded are skipped: a new agency may be
    listed before its schema is ready. Returns how many tasks were sent.
    """
    app.loader.import_default_modules()  # the web process imports task modules lazily
    task = app.tasks[task_name]
    sent = 0
    for agency in Agency.objects.members().filter(state=AgencyState.ACTIVE).order_by("pk"):
        with tenant_context(agency):
            task.delay()
        sent += 1
    return sent
