"""What the names in a pool file may refer to (categories, keys, services, suppliers,
projects) and the pool names the period already has."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

from services.catalogue.models import Service, Supplier
from services.costs.models import AllocationKey, CostPool, Period, PoolCategory
from services.projects.models import Project


@dataclass
class Vocabulary:
    """What names in the file may refer to: lower-cased name -> id."""

    categories: frozenset[str]
    keys: dict[str, int] = field(default_factory=dict)
    services: dict[str, int] = field(default_factory=dict)
    suppliers: dict[str, int] = field(default_factory=dict)
    projects: dict[str, int] = field(default_factory=dict)
    existing_pool_names: frozenset[str] = frozenset()  # lower-cased, in the period


def _names(model: type[models.Model]) -> dict[str, int]:
    rows = model._default_manager.values_list("pk", "name")
    return {name.casefold(): pk for pk, name in rows}


def vocabulary_for(period: Period) -> Vocabulary:
    """The vocabulary of the database, for `period` (a handful of queries, whatever the file)."""
    return Vocabulary(
        categories=frozenset(c.value for c in PoolCategory if c != PoolCategory.CORRECTION),
        keys=_names(AllocationKey),
        services=_names(Service),
        suppliers=_names(Supplier),
        projects=_names(Project),
        existing_pool_names=frozenset(
            n.casefold()
            for n in CostPool.objects.filter(period=period).values_list("name", flat=True)
        ),
    )
