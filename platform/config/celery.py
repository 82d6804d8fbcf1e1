"""The Celery app: tenant-aware by construction (tenant-schemas-celery, design.md §9).

- Every task sent from an agency's context carries that agency's schema in a header, and runs
  in it (eagerly too).
- Tasks declared with `base=app.agency_task_cls` fail closed: without an agency schema they
  raise instead of running against the public schema.
- Late acknowledgement with reject-on-worker-lost (settings); enqueue with `enqueue_on_commit`.
"""

import os

from django.db import connection, transaction
from tenant_schemas_celery.app import CeleryApp
from tenant_schemas_celery.task import TenantTask, headers_with_schema

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


class MissingAgencyContext(RuntimeError):
    """An agency task was run without an agency schema."""


class FreshTenantTask(TenantTask):
    """Reads the agency of a task's schema from the database every time.

    tenant-schemas-celery caches it by schema name, expiring by wall-clock time. A cached
    Agency carries the lifecycle state it had when cached (a suspended agency would still
    look active) and, under a clock that moves back, never expires: a test then ran its task
    with the Agency row of an earlier test's schema of the same name. One primary-key read
    per task is cheap.
    """

    abstract = True

    @classmethod
    def get_tenant_for_schema(cls, schema_name):
        from django_tenants.utils import get_tenant_model

        return get_tenant_model().objects.get(schema_name=schema_name)


class AgencyTask(FreshTenantTask):
    abstract = True

    def __call__(self, *args, **kwargs):
        from django_tenants.utils import get_public_schema_name

        schema = connection.schema_name
        if not schema or schema == get_public_schema_name():
            raise MissingAgencyContext(
                f"task {self.name} needs an agency schema and was given none"
            )
        return super().__call__(*args, **kwargs)


class SamnavCelery(CeleryApp):
    task_cls = FreshTenantTask

    @property
    def agency_task_cls(self):
        return AgencyTask


import config.observability  # noqa: E402,F401  (connects the task log and metric signals)

app = SamnavCelery("samnav")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Send `task` once the current transaction commits, in the schema current NOW.

    The schema is taken when this is called, not at commit: code that enqueues inside an
    agency's context and commits after leaving it still sends the task to that agency.
    """
    headers = headers_with_schema({})
    transaction.on_commit(lambda: task.apply_async(args, kwargs, headers=headers))
