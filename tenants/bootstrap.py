"""The two rows every federation has: central IT on public, and the migrated template."""

from django.conf import settings
from django.db import transaction
from django_tenants.utils import get_public_schema_name

from tenants.models import Agency, AgencyKind, AgencyState, Domain


@transaction.atomic
def ensure_central(name: str = "Central IT") -> Agency:
    central, _ = Agency.objects.get_or_create(
        schema_name=get_public_schema_name(),
        defaults={
            "name": name,
            "slug": "public",
            "kind": AgencyKind.CENTRAL,
            "state": AgencyState.ACTIVE,
        },
    )
    hosts = [settings.SAMNAV_CENTRAL_HOST, *getattr(settings, "SAMNAV_EXTRA_CENTRAL_HOSTS", [])]
    for i, host in enumerate(hosts):
        Domain.objects.get_or_create(
            domain=host, defaults={"tenant": central, "is_primary": i == 0}
        )
    return central


def ensure_template() -> Agency:
    """The template is a real tenant row, so migrate_schemas keeps its schema current."""
    template = Agency.objects.filter(schema_name=settings.TENANT_BASE_SCHEMA).first()
    if template is None:
        template = Agency(
            schema_name=settings.TENANT_BASE_SCHEMA,
            name="Template",
            slug="samnav-template",
            kind=AgencyKind.TEMPLATE,
            state=AgencyState.ACTIVE,
        )
        template.save(verbosity=0)  # migrate-based creation, once
    return template


def ensure_federation() -> tuple[Agency, Agency]:
    return ensure_central(), ensure_template()
