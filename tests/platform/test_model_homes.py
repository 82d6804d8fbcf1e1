"""Every app of ours has exactly one home, shared (public) or tenant (agency schema), and its
tables are where that home says (design.md, "Where data lives")."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

REPO = settings.BASE_DIR


def _ours(app_name: str) -> bool:
    """Apps of ours: tenants, services.<domain> and their nested apps, api, the demo."""
    return app_name in ("tenants", "api", "demo") or app_name.startswith(
        ("tenants.", "services.", "api.", "demo.")
    )


def _listed(entries: list[str], config) -> bool:
    """An INSTALLED_APPS-style entry names an app by its module or by its AppConfig class."""
    config_path = f"{type(config).__module__}.{type(config).__qualname__}"
    return config.name in entries or config_path in entries


def _apps_on_disk() -> list[str]:
    """Dotted names of the app packages in the checkout (a folder with an apps.py)."""
    found = []
    for top in ("tenants", "services", "api", "demo"):
        for apps_py in sorted((REPO / top).rglob("apps.py")):
            if "migrations" in apps_py.parts:
                continue
            found.append(".".join(apps_py.parent.relative_to(REPO).parts))
    return found


def _tables(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = %s AND table_type = 'BASE TABLE'",
            [schema],
        )
        return {row[0] for row in cursor.fetchall()}


def _model_tables(config) -> set[str]:
    """The tables the app's models own: concrete, managed models and their auto M2M tables."""
    tables = set()
    for model in config.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            tables.add(model._meta.db_table)
    return tables


def test_our_apps_are_found():
    # given the checkout and the app registry
    on_disk = _apps_on_disk()
    installed = [c.name for c in apps.get_app_configs() if _ours(c.name)]
    # then both see the foundation's apps (the other checks below are not vacuous)
    assert {"tenants", "services.audit", "services.people"} <= set(on_disk)
    assert {"tenants", "services.audit", "services.people"} <= set(installed)


@pytest.mark.parametrize("app_name", _apps_on_disk())
def test_every_app_in_the_checkout_has_exactly_one_home(app_name):
    # given an app package of ours (an app in neither list is not even installed, so the
    # checkout is searched, not the registry)
    shared = app_name in settings.SHARED_APPS or any(
        e.startswith(app_name + ".apps.") for e in settings.SHARED_APPS
    )
    tenant = app_name in settings.TENANT_APPS or any(
        e.startswith(app_name + ".apps.") for e in settings.TENANT_APPS
    )
    # then it is listed in exactly one of SHARED_APPS and TENANT_APPS
    assert (shared, tenant) != (False, False), (
        f"{app_name} is in neither SHARED_APPS nor TENANT_APPS: decide its home before its "
        "first migration"
    )
    assert (shared, tenant) != (True, True), f"{app_name} is in both SHARED_APPS and TENANT_APPS"


def test_every_installed_app_of_ours_has_exactly_one_home():
    for config in apps.get_app_configs():
        if not _ours(config.name):
            continue
        homes = [
            home
            for home, entries in (
                ("shared", settings.SHARED_APPS),
                ("tenant", settings.TENANT_APPS),
            )
            if _listed(entries, config)
        ]
        assert len(homes) == 1, f"{config.name}: homes {homes}, expected exactly one"


def test_installed_apps_are_exactly_the_shared_then_the_tenant_apps():
    # given the app lists
    # then INSTALLED_APPS is exactly the shared apps, then the tenant apps
    expected = settings.SHARED_APPS + [
        a for a in settings.TENANT_APPS if a not in settings.SHARED_APPS
    ]
    installed = list(settings.INSTALLED_APPS)
    assert installed == expected


@pytest.mark.django_db
def test_every_table_is_in_its_home_schema_only(federation):
    # given the public schema and one agency's schema
    public = _tables("public")
    agency = _tables(federation.alpha.schema_name)
    template = _tables(settings.TENANT_BASE_SCHEMA)
    assert public and agency
    misplaced = []
    checked = 0
    for config in apps.get_app_configs():
        shared = _listed(settings.SHARED_APPS, config)
        tenant = _listed(settings.TENANT_APPS, config)
        for table in sorted(_model_tables(config)):
            checked += 1
            # then a shared model's table is in public and not in the agency schema;
            # a tenant model's table is in the agency schema (and the template) and not in public
            where = (table in public, table in agency, table in template)
            expected = (shared, tenant, tenant)
            if where != expected:
                misplaced.append(f"{config.label}: {table} (public, agency, template) = {where}")
    assert misplaced == []
    assert checked >= 10


@pytest.mark.django_db
def test_the_foundation_models_live_where_the_design_says(federation):
    # given the tables of public and of one agency
    public = _tables("public")
    agency = _tables(federation.alpha.schema_name)
    # then identities, agencies, tokens and the shared audit log are in public only,
    # and the agency's people register is in the agency schema only
    for table in ("tenants_agency", "tenants_user", "tenants_apitoken", "audit_auditevent"):
        assert (table in public, table in agency) == (True, False), table
    assert ("people_person" in public, "people_person" in agency) == (False, True)
