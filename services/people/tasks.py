"""Tasks of the people register."""

from django.db import connection

from config.celery import app
from services.people.models import Person


@app.task(base=app.agency_task_cls, bind=True)
def census(self) -> dict:
    """Count the people of the task's agency. Reads only that agency's schema."""
    return {
        "schema": connection.schema_name,
        "people": Person.objects.count(),
        "emails": sorted(Person.objects.values_list("email", flat=True)),
    }
