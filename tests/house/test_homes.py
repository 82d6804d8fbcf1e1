"""A shared app (data in public) reaches an agency app (data in each agency's schema) only
through that app's declared door, `<agency app>/interface.py`. The homes come from the settings
(SHARED_APPS, TENANT_APPS), so a new or nested app is covered without anyone listing it."""

from __future__ import annotations

import grimp
import pytest
from django.conf import settings

OURS = ("services", "tenants")


def _apps(entries: list[str]) -> list[str]:
    return [a for a in entries if a.split(".")[0] in OURS]


def _home(module: str, apps: list[str]) -> str | None:
    """The app a module belongs to: the longest app name it starts with (nested apps win)."""
    found = [a for a in apps if module == a or module.startswith(a + ".")]
    return max(found, key=len) if found else None


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*OURS, cache_dir=None)


def test_the_homes_cover_nested_apps():
    # given the settings' two homes
    shared, agency = _apps(settings.SHARED_APPS), _apps(settings.TENANT_APPS)
    # then each app has one home, and the nested agency halves are agency apps
    assert not set(shared) & set(agency)
    for nested in ("services.hubs.bookings", "services.licences.seats", "services.outbox.agency"):
        assert nested in agency
        assert _home(f"{nested}.models", shared + agency) == nested


def test_shared_apps_reach_agency_apps_only_through_their_interface(graph):
    shared, agency = _apps(settings.SHARED_APPS), _apps(settings.TENANT_APPS)
    everyone = shared + agency
    crossings = set()
    for importer in graph.modules:
        if _home(importer, everyone) not in shared:
            continue
        for imported in graph.find_modules_directly_imported_by(importer):
            target = _home(imported, everyone)
            if target in agency and imported != f"{target}.interface":
                crossings.add(f"{importer} -> {imported}")
    assert sorted(crossings) == []


def test_the_interfaces_are_used(graph):
    """A door nobody uses is a door nobody reviews: each interface has a shared importer."""
    shared, agency = _apps(settings.SHARED_APPS), _apps(settings.TENANT_APPS)
    for app in agency:
        name = f"{app}.interface"
        if name not in graph.modules:
            continue
        importers = graph.find_modules_that_directly_import(name)
        assert any(_home(m, shared + agency) in shared for m in importers), name
