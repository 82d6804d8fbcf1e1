"""Write paths of the relations between offerings: one requires (or excludes) another; an
exclusion holds both ways."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.catalogue.actions.fields import Ref, choice, ref_pk
from services.catalogue.actions.rows import fetch, require_catalogue_manager
from services.catalogue.errors import CatalogueErrorCode as Code
from services.catalogue.models import Lifecycle, Offering, OfferingRelation, RelationKind
from services.validation import Errors, field_error
from tenants.models import User


def _pair(a: int, b: int) -> Q:
    return Q(offering_id=a, other_id=b) | Q(offering_id=b, other_id=a)


def set_relation(actor: User | None, offering: Ref, other: Ref, kind: str) -> OfferingRelation:
    """`offering` requires (or excludes) `other`. Setting an existing relation changes nothing;
    an exclusion holds both ways, so the reverse exclusion counts as existing."""
    require_catalogue_manager(actor)
    errors = Errors()
    kind = choice(errors, "kind", kind, RelationKind)
    with transaction.atomic():
        # Lock both rows in a fixed order, so concurrent calls on one pair serialise.
        pks = sorted(p for p in (ref_pk(offering), ref_pk(other)) if isinstance(p, int))
        list(Offering.objects.select_for_update().filter(pk__in=pks).order_by("pk"))
        first = fetch(Offering, offering, "offering", errors)
        second = fetch(Offering, other, "other", errors)
        if first is not None and second is not None and first.pk == second.pk:
            errors.add("other", _("An offering cannot relate to itself."), Code.INVALID)
        errors.raise_if_any()
        assert first is not None and second is not None  # else raised above
        existing = list(OfferingRelation.objects.filter(_pair(first.pk, second.pk)))
        for rel in existing:
            if rel.kind == kind and (rel.offering_id == first.pk or kind == RelationKind.EXCLUDES):
                return rel
        if kind == RelationKind.EXCLUDES and any(r.kind == RelationKind.REQUIRES for r in existing):
            errors.add(
                "kind",
                _("One of these offerings requires the other: they cannot exclude each other."),
                Code.CONFLICT,
            )
        if kind == RelationKind.REQUIRES and any(r.kind == RelationKind.EXCLUDES for r in existing):
            errors.add(
                "kind",
                _("These offerings exclude each other: one cannot require the other."),
                Code.CONFLICT,
            )
        if first.lifecycle == Lifecycle.RETIRED:
            errors.add("offering", _("The offering is retired."), Code.INVALID_STATE)
        if second.lifecycle == Lifecycle.RETIRED:
            errors.add("other", _("The offering is retired."), Code.INVALID_STATE)
        errors.raise_if_any()
        relation = OfferingRelation.objects.create(offering=first, other=second, kind=kind)
        record_event(actor, "catalogue.relation.set", first, kind=kind, other=second.pk)
    return relation


def remove_relation(actor: User | None, offering: Ref, other: Ref, kind: str) -> None:
    """Remove a requirement or exclusion (an exclusion in either direction)."""
    require_catalogue_manager(actor)
    errors = Errors()
    kind = choice(errors, "kind", kind, RelationKind)
    with transaction.atomic():
        first = fetch(Offering, offering, "offering", errors)
        second = fetch(Offering, other, "other", errors)
        errors.raise_if_any()
        assert first is not None and second is not None  # else raised above
        rows = OfferingRelation.objects.filter(kind=kind)
        rows = (
            rows.filter(_pair(first.pk, second.pk))
            if kind == RelationKind.EXCLUDES
            else rows.filter(offering=first, other=second)
        )
        deleted, _detail = rows.delete()
        if not deleted:
            raise field_error("other", _("There is no such relation."), Code.NOT_FOUND)
        record_event(actor, "catalogue.relation.removed", first, kind=kind, other=second.pk)
