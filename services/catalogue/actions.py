"""Write paths of the shared catalogue: services, offerings, prices, relations, suppliers and
agreements. Called alike by GraphQL mutations, pages, the admin and commands (design.md §1).

Every action checks the actor (a central catalogue manager or platform admin; `actor=None` is
the system itself), validates all input before writing, names each bad field with a code of
`CatalogueErrorCode`, writes all or nothing, and records an audit event per change.
References (service, offering, agreement, supplier) are model instances or primary keys.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.catalogue import policies
from services.catalogue.errors import CatalogueErrorCode as Code
from services.catalogue.models import (
    Agreement,
    AgreementKind,
    AgreementTarget,
    Category,
    Lifecycle,
    Offering,
    OfferingPrice,
    OfferingRelation,
    PriceModel,
    RelationKind,
    Service,
    Supplier,
)
from services.validation import Errors as _Errors
from services.validation import field_error as _one
from tenants.viewer import Viewer

MAX_INT = 2_147_483_647  # PositiveIntegerField, and GraphQL's Int
MAX_ORE = MAX_INT  # 21 million SEK: far above any catalogue price, and fits GraphQL Int
CODE_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PRIORITIES = (1, 2, 3, 4)

# Which lifecycle states may follow which. Retired is final.
LIFECYCLE_NEXT: dict[str, frozenset[str]] = {
    Lifecycle.PLANNED: frozenset({Lifecycle.ACTIVE, Lifecycle.RETIRED}),
    Lifecycle.ACTIVE: frozenset({Lifecycle.RETIRING, Lifecycle.RETIRED}),
    Lifecycle.RETIRING: frozenset({Lifecycle.ACTIVE, Lifecycle.RETIRED}),
    Lifecycle.RETIRED: frozenset(),
}

SERVICE_FIELDS = ("name", "description", "category", "owner", "suppliers", "lifecycle")
OFFERING_FIELDS = (
    "service",
    "code",
    "name",
    "security_level",
    "availability_level",
    "price_model",
    "unit",
    "min_quantity",
    "max_quantity",
    "notice_days",
    "lead_time_days",
    "agreement",
    "lifecycle",
)
SUPPLIER_FIELDS = ("name", "is_internal", "org_number", "contract_reference", "contract_ends_on")
AGREEMENT_FIELDS = (
    "name",
    "kind",
    "supplier",
    "availability_percent",
    "support_hours",
    "targets",
)


# --- helpers ---------------------------------------------------------------------------------


def require_catalogue_manager(actor) -> None:
    """`actor=None` is the system itself (management commands, the demo loader)."""
    if actor is not None and not policies.manages_catalogue_anywhere(Viewer.of(actor)):
        raise PermissionDenied(_("Only a catalogue manager or platform admin may do this."))


def _check_keys(given: Iterable[str], allowed: tuple[str, ...]) -> None:
    unknown = set(given) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")


def _pk(ref) -> object:
    return ref.pk if isinstance(ref, models.Model) else ref


def _fetch(model, ref, field: str, errors: _Errors | None = None, *, lock: bool = False):
    """The row `ref` names, or a NOT_FOUND error on `field` (raised, or added to `errors`)."""
    obj = None
    pk = _pk(ref)
    if pk is not None:
        qs = model.objects.select_for_update() if lock else model.objects.all()
        try:
            obj = qs.get(pk=pk)
        except (model.DoesNotExist, ValueError, TypeError):
            obj = None
    if obj is None:
        message = _("No such %(thing)s.") % {"thing": model._meta.verbose_name}
        if errors is None:
            raise _one(field, message, Code.NOT_FOUND)
        errors.add(field, message, Code.NOT_FOUND)
    return obj


def _text(errors: _Errors, field: str, value, *, max_length: int, required: bool = True) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        errors.add(field, _("Must be text."), Code.INVALID)
        return ""
    if required and not text:
        errors.add(field, _("This field is required."), Code.REQUIRED)
    elif len(text) > max_length:
        errors.add(field, _("At most %(n)s characters.") % {"n": max_length}, Code.INVALID)
    return text


def _int(errors: _Errors, field: str, value, *, low: int, high: int = MAX_INT) -> int | None:
    if not isinstance(value, int) or isinstance(value, bool):
        errors.add(field, _("Must be a whole number."), Code.INVALID)
        return None
    if not low <= value <= high:
        errors.add(
            field,
            _("Must be from %(low)s to %(high)s.") % {"low": low, "high": high},
            Code.OUT_OF_RANGE,
        )
        return None
    return value


def _choice(errors: _Errors, field: str, value, choices) -> str:
    value = getattr(value, "value", value)
    if value is None or value == "":
        errors.add(field, _("This field is required."), Code.REQUIRED)
    elif value not in choices.values:
        errors.add(
            field,
            _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)},
            Code.INVALID,
        )
    return value


def _json(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | frozenset):
        return [_json(v) for v in value]
    return value


def _changes(before: dict, after: dict) -> dict:
    return {
        key: [_json(before.get(key)), _json(value)]
        for key, value in after.items()
        if _json(before.get(key)) != _json(value)
    }


def _lifecycle_change(errors: _Errors, field: str, current: str, new: str) -> None:
    if new != current and new not in LIFECYCLE_NEXT.get(current, frozenset()):
        errors.add(
            field,
            _("A %(current)s item cannot become %(new)s.")
            % {
                "current": Lifecycle(current).label.lower(),
                "new": Lifecycle(new).label.lower(),
            },
            Code.INVALID_STATE,
        )


# --- services --------------------------------------------------------------------------------


def _clean_service(values: dict, instance: Service | None) -> dict:
    errors = _Errors()
    clean = {
        "name": _text(errors, "name", values.get("name"), max_length=200),
        "description": _text(
            errors, "description", values.get("description"), max_length=5000, required=False
        ),
        "category": _choice(errors, "category", values.get("category"), Category),
        "owner": _text(errors, "owner", values.get("owner"), max_length=200),
        "lifecycle": _choice(errors, "lifecycle", values.get("lifecycle"), Lifecycle),
    }
    if "name" not in errors:
        same = Service.objects.filter(name__iexact=clean["name"])
        if instance is not None:
            same = same.exclude(pk=instance.pk)
        if same.exists():
            errors.add("name", _("A service with this name already exists."), Code.DUPLICATE)
    supplier_pks = [_pk(s) for s in values.get("suppliers") or []]
    suppliers = list(Supplier.objects.filter(pk__in=supplier_pks)) if supplier_pks else []
    if len(suppliers) != len(set(supplier_pks)):
        errors.add("suppliers", _("No such supplier."), Code.NOT_FOUND)
    clean["suppliers"] = sorted(suppliers, key=lambda s: s.pk)
    if "lifecycle" not in errors:
        if instance is None:
            if clean["lifecycle"] not in (Lifecycle.PLANNED, Lifecycle.ACTIVE):
                errors.add(
                    "lifecycle", _("A new service is planned or active."), Code.INVALID_STATE
                )
        else:
            _lifecycle_change(errors, "lifecycle", instance.lifecycle, clean["lifecycle"])
    errors.raise_if_any()
    return clean


def _service_values(service: Service) -> dict:
    return {
        "name": service.name,
        "description": service.description,
        "category": service.category,
        "owner": service.owner,
        "lifecycle": service.lifecycle,
        "suppliers": sorted(service.suppliers.all(), key=lambda s: s.pk),
    }


def create_service(actor, **data) -> Service:
    """A new service. Fields: name, description, category, owner, suppliers, lifecycle."""
    require_catalogue_manager(actor)
    _check_keys(data, SERVICE_FIELDS)
    values = {"description": "", "lifecycle": Lifecycle.ACTIVE, "suppliers": [], **data}
    try:
        with transaction.atomic():
            clean = _clean_service(values, None)
            suppliers = clean.pop("suppliers")
            service = Service.objects.create(**clean)
            service.suppliers.set(suppliers)
            record_event(
                actor,
                "catalogue.service.created",
                service,
                **_changes({}, {**clean, "suppliers": suppliers}),
            )
    except IntegrityError as exc:  # lost a race on the unique name
        raise _one("name", _("A service with this name already exists."), Code.DUPLICATE) from exc
    return service


def _update_row(
    actor,
    model,
    ref,
    changes: dict,
    *,
    fields,
    values,
    clean,
    event: str,
    unique: tuple[str, str] | None = None,
    related: tuple[str, ...] = (),
    after=None,
):
    """The one update path of catalogue rows: lock the row, merge the changes into its current
    values, clean them all, and write (with an audit event) only when something changed.
    `related` values (many-to-many, child rows) are passed to `after(row, before, related)`.
    A unique clash raised by the database becomes an error on `unique[0]`."""
    require_catalogue_manager(actor)
    _check_keys(changes, fields)
    try:
        with transaction.atomic():
            row = _fetch(model, ref, "id", lock=True)
            before = values(row)
            cleaned = clean({**before, **changes}, row)
            diff = _changes(before, cleaned)
            if not diff:
                return row
            extra = {key: cleaned.pop(key) for key in related}
            for key, value in cleaned.items():
                setattr(row, key, value)
            row.save()
            if after is not None:
                after(row, before, extra)
            record_event(actor, event, row, **diff)
    except IntegrityError as exc:
        if unique is None:
            raise
        raise _one(unique[0], unique[1], Code.DUPLICATE) from exc
    return row


def update_service(actor, service, **changes) -> Service:
    """Change some fields of a service (the others keep their values)."""

    def after(row, before, extra):
        row.suppliers.set(extra["suppliers"])
        if row.lifecycle == Lifecycle.RETIRED and before["lifecycle"] != Lifecycle.RETIRED:
            _retire_offerings_of(actor, row, reason="")

    return _update_row(
        actor,
        Service,
        service,
        changes,
        fields=SERVICE_FIELDS,
        values=_service_values,
        clean=_clean_service,
        event="catalogue.service.updated",
        related=("suppliers",),
        after=after,
        unique=("name", _("A service with this name already exists.")),
    )


def validate_service(values: dict, service: Service | None = None) -> None:
    """The rules `create_service` and `update_service` apply (lifecycle moves included), for
    forms such as the admin's that show errors beside their fields before writing."""
    _clean_service(values, service)


def _retire_offerings_of(actor, service: Service, reason: str) -> None:
    for offering in service.offerings.select_for_update().exclude(lifecycle=Lifecycle.RETIRED):
        before = offering.lifecycle
        offering.lifecycle = Lifecycle.RETIRED
        offering.save(update_fields=["lifecycle"])
        record_event(
            actor,
            "catalogue.offering.retired",
            offering,
            reason=reason,
            lifecycle=[before, Lifecycle.RETIRED.value],
        )


def retire_service(actor, service, *, lifecycle: str = Lifecycle.RETIRED, reason: str = ""):
    """Move a service to retiring (no new orders) or retired (its offerings retire too)."""
    require_catalogue_manager(actor)
    errors = _Errors()
    lifecycle = _choice(errors, "lifecycle", lifecycle, Lifecycle)
    if "lifecycle" not in errors and lifecycle not in (Lifecycle.RETIRING, Lifecycle.RETIRED):
        errors.add("lifecycle", _("Choose retiring or retired."), Code.INVALID)
    errors.raise_if_any()
    with transaction.atomic():
        service = _fetch(Service, service, "service", lock=True)
        before = service.lifecycle
        _lifecycle_change(errors, "lifecycle", before, lifecycle)
        if before == lifecycle:
            errors.add("lifecycle", _("The service is already in this state."), Code.INVALID_STATE)
        errors.raise_if_any()
        service.lifecycle = lifecycle
        service.save(update_fields=["lifecycle"])
        record_event(
            actor,
            "catalogue.service.retired",
            service,
            reason=(reason or "").strip(),
            lifecycle=[before, lifecycle],
        )
        if lifecycle == Lifecycle.RETIRED:
            _retire_offerings_of(actor, service, reason=(reason or "").strip())
    return service


# --- offerings -------------------------------------------------------------------------------


def _offering_values(offering: Offering) -> dict:
    return {
        "service": offering.service,
        "code": offering.code,
        "name": offering.name,
        "security_level": offering.security_level,
        "availability_level": offering.availability_level,
        "price_model": offering.price_model,
        "unit": offering.unit,
        "min_quantity": offering.min_quantity,
        "max_quantity": offering.max_quantity,
        "notice_days": offering.notice_days,
        "lead_time_days": offering.lead_time_days,
        "agreement": offering.agreement,
        "lifecycle": offering.lifecycle,
    }


def _clean_offering(values: dict, instance: Offering | None) -> dict:
    errors = _Errors()
    clean: dict = {}
    service = _fetch(Service, values.get("service"), "service", errors)
    if (
        service is not None
        and service.lifecycle == Lifecycle.RETIRED
        and (instance is None or instance.service_id != service.pk)
    ):
        errors.add("service", _("The service is retired."), Code.INVALID_STATE)
    clean["service"] = service
    code = values.get("code")
    code = code.strip() if isinstance(code, str) else code
    if not code:
        errors.add("code", _("This field is required."), Code.REQUIRED)
    elif not isinstance(code, str) or not CODE_RE.match(code) or len(code) > 60:
        errors.add(
            "code",
            _("Use at most 60 lower-case letters a-z, digits and single hyphens."),
            Code.INVALID,
        )
    else:
        same = Offering.objects.filter(code=code)
        if instance is not None:
            same = same.exclude(pk=instance.pk)
        if same.exists():
            errors.add("code", _("An offering with this code already exists."), Code.DUPLICATE)
    clean["code"] = code
    clean["name"] = _text(errors, "name", values.get("name"), max_length=200)
    for field in ("security_level", "availability_level"):
        clean[field] = _int(errors, field, values.get(field), low=1, high=4)
    clean["price_model"] = _choice(errors, "price_model", values.get("price_model"), PriceModel)
    clean["unit"] = _text(errors, "unit", values.get("unit"), max_length=30, required=False)
    if (
        clean["price_model"] == PriceModel.PER_UNIT_MONTHLY
        and "unit" not in errors
        and not clean["unit"]
    ):
        errors.add(
            "unit",
            _("A price per unit needs its unit (user, device, GB…)."),
            Code.REQUIRED,
        )
    clean["min_quantity"] = _int(errors, "min_quantity", values.get("min_quantity"), low=1)
    clean["max_quantity"] = _int(errors, "max_quantity", values.get("max_quantity"), low=1)
    if (
        clean["min_quantity"] is not None
        and clean["max_quantity"] is not None
        and clean["max_quantity"] < clean["min_quantity"]
    ):
        errors.add(
            "max_quantity",
            _("The maximum quantity is below the minimum (%(min)s).")
            % {"min": clean["min_quantity"]},
            Code.OUT_OF_RANGE,
        )
    clean["notice_days"] = _int(errors, "notice_days", values.get("notice_days"), low=0)
    clean["lead_time_days"] = _int(errors, "lead_time_days", values.get("lead_time_days"), low=0)
    clean["agreement"] = _fetch(Agreement, values.get("agreement"), "agreement", errors)
    clean["lifecycle"] = _choice(errors, "lifecycle", values.get("lifecycle"), Lifecycle)
    if "lifecycle" not in errors:
        if instance is None:
            if clean["lifecycle"] not in (Lifecycle.PLANNED, Lifecycle.ACTIVE):
                errors.add(
                    "lifecycle", _("A new offering is planned or active."), Code.INVALID_STATE
                )
        else:
            _lifecycle_change(errors, "lifecycle", instance.lifecycle, clean["lifecycle"])
    errors.raise_if_any()
    return clean


def create_offering(actor, *, price: dict | None = None, **data) -> Offering:
    """A new offering of a service, with an optional first price
    (`price={"valid_from", "monthly_ore", "one_off_ore"}`)."""
    require_catalogue_manager(actor)
    _check_keys(data, OFFERING_FIELDS)
    values = {
        "unit": "",
        "min_quantity": 1,
        "max_quantity": 1,
        "notice_days": 90,
        "lead_time_days": 10,
        "lifecycle": Lifecycle.ACTIVE,
        **data,
    }
    try:
        with transaction.atomic():
            found: dict = {}
            try:
                clean = _clean_offering(values, None)
            except ValidationError as exc:
                found.update(exc.error_dict)
            if price is not None:
                try:
                    _clean_price(None, values.get("price_model"), prefix="price.", **price)
                except ValidationError as exc:
                    found.update(exc.error_dict)
            if found:
                raise ValidationError(found)
            offering = Offering.objects.create(**clean)
            record_event(actor, "catalogue.offering.created", offering, **_changes({}, clean))
            if price is not None:
                _write_price(actor, offering, **price)
    except IntegrityError as exc:
        raise _one("code", _("An offering with this code already exists."), Code.DUPLICATE) from exc
    return offering


def update_offering(actor, offering, **changes) -> Offering:
    """Change some fields of an offering (the others keep their values)."""
    return _update_row(
        actor,
        Offering,
        offering,
        changes,
        fields=OFFERING_FIELDS,
        values=_offering_values,
        clean=_clean_offering,
        event="catalogue.offering.updated",
        unique=("code", _("An offering with this code already exists.")),
    )


def validate_offering(values: dict, offering: Offering | None = None) -> None:
    """The rules `create_offering` and `update_offering` apply, for forms such as the admin's
    that show errors beside their fields before writing."""
    _clean_offering(values, offering)


def retire_offering(actor, offering, *, lifecycle: str = Lifecycle.RETIRED, reason: str = ""):
    """Move an offering to retiring (no new orders, subscriptions go on) or retired."""
    require_catalogue_manager(actor)
    errors = _Errors()
    lifecycle = _choice(errors, "lifecycle", lifecycle, Lifecycle)
    if "lifecycle" not in errors and lifecycle not in (Lifecycle.RETIRING, Lifecycle.RETIRED):
        errors.add("lifecycle", _("Choose retiring or retired."), Code.INVALID)
    errors.raise_if_any()
    with transaction.atomic():
        offering = _fetch(Offering, offering, "offering", lock=True)
        before = offering.lifecycle
        if before == lifecycle:
            errors.add("lifecycle", _("The offering is already in this state."), Code.INVALID_STATE)
        else:
            _lifecycle_change(errors, "lifecycle", before, lifecycle)
        errors.raise_if_any()
        offering.lifecycle = lifecycle
        offering.save(update_fields=["lifecycle"])
        record_event(
            actor,
            "catalogue.offering.retired",
            offering,
            reason=(reason or "").strip(),
            lifecycle=[before, lifecycle],
        )
    return offering


# --- prices ----------------------------------------------------------------------------------


def _clean_price(
    offering: Offering | None,
    price_model: str | None,
    *,
    valid_from,
    monthly_ore,
    one_off_ore=0,
    prefix: str = "",
    today: dt.date | None = None,
) -> None:
    """Check one new price version. A past date is refused once the offering has a price:
    orders and reports may already rely on the price valid then."""
    errors = _Errors()
    today = today or timezone.localdate()
    if not isinstance(valid_from, dt.date) or isinstance(valid_from, dt.datetime):
        errors.add(prefix + "valid_from", _("Enter a date."), Code.REQUIRED)
    for field, value in (("monthly_ore", monthly_ore), ("one_off_ore", one_off_ore)):
        _int(errors, prefix + field, value, low=0, high=MAX_ORE)
    if (
        price_model == PriceModel.ONE_OFF
        and isinstance(monthly_ore, int)
        and monthly_ore > 0
        and prefix + "monthly_ore" not in errors
    ):
        errors.add(
            prefix + "monthly_ore",
            _("A one-off offering has no monthly price."),
            Code.INVALID,
        )
    if offering is not None and prefix + "valid_from" not in errors:
        dates = set(offering.prices.values_list("valid_from", flat=True))
        if valid_from in dates:
            errors.add(
                prefix + "valid_from",
                _("A price valid from %(day)s already exists.") % {"day": valid_from},
                Code.DUPLICATE,
            )
        elif dates and valid_from < today:
            errors.add(
                prefix + "valid_from",
                _(
                    "A new price cannot start in the past: orders may already use the price "
                    "valid then."
                ),
                Code.INVALID,
            )
    errors.raise_if_any()


def validate_new_price(offering: Offering, valid_from, monthly_ore, one_off_ore) -> None:
    """The rules `add_price` applies, for forms (the admin) that write prices themselves."""
    _clean_price(
        offering,
        offering.price_model,
        valid_from=valid_from,
        monthly_ore=monthly_ore,
        one_off_ore=one_off_ore,
    )


def _write_price(actor, offering: Offering, *, valid_from, monthly_ore, one_off_ore=0):
    price = OfferingPrice.objects.create(
        offering=offering, valid_from=valid_from, monthly_ore=monthly_ore, one_off_ore=one_off_ore
    )
    record_event(
        actor,
        "catalogue.price.added",
        offering,
        price_id=price.pk,
        valid_from=valid_from.isoformat(),
        monthly_ore=monthly_ore,
        one_off_ore=one_off_ore,
    )
    return price


def add_price(actor, offering, *, valid_from, monthly_ore, one_off_ore=0) -> OfferingPrice:
    """A new price version of an offering, valid from `valid_from` (today or later, unless it
    is the offering's first price). Earlier versions stay as they are."""
    require_catalogue_manager(actor)
    try:
        with transaction.atomic():
            offering = _fetch(Offering, offering, "offering", lock=True)
            if offering.lifecycle == Lifecycle.RETIRED:
                raise _one("offering", _("The offering is retired."), Code.INVALID_STATE)
            _clean_price(
                offering,
                offering.price_model,
                valid_from=valid_from,
                monthly_ore=monthly_ore,
                one_off_ore=one_off_ore,
            )
            return _write_price(
                actor,
                offering,
                valid_from=valid_from,
                monthly_ore=monthly_ore,
                one_off_ore=one_off_ore,
            )
    except IntegrityError as exc:
        raise _one(
            "valid_from", _("A price valid from this day already exists."), Code.DUPLICATE
        ) from exc


# --- relations -------------------------------------------------------------------------------


def _pair(a: int, b: int) -> Q:
    return Q(offering_id=a, other_id=b) | Q(offering_id=b, other_id=a)


def set_relation(actor, offering, other, kind: str) -> OfferingRelation:
    """`offering` requires (or excludes) `other`. Setting an existing relation changes nothing;
    an exclusion holds both ways, so the reverse exclusion counts as existing."""
    require_catalogue_manager(actor)
    errors = _Errors()
    kind = _choice(errors, "kind", kind, RelationKind)
    with transaction.atomic():
        # Lock both rows in a fixed order, so concurrent calls on one pair serialise.
        pks = sorted(p for p in (_pk(offering), _pk(other)) if isinstance(p, int))
        list(Offering.objects.select_for_update().filter(pk__in=pks).order_by("pk"))
        offering = _fetch(Offering, offering, "offering", errors)
        other = _fetch(Offering, other, "other", errors)
        if offering is not None and other is not None and offering.pk == other.pk:
            errors.add("other", _("An offering cannot relate to itself."), Code.INVALID)
        errors.raise_if_any()
        existing = list(OfferingRelation.objects.filter(_pair(offering.pk, other.pk)))
        for rel in existing:
            if rel.kind == kind and (
                rel.offering_id == offering.pk or kind == RelationKind.EXCLUDES
            ):
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
        if offering.lifecycle == Lifecycle.RETIRED:
            errors.add("offering", _("The offering is retired."), Code.INVALID_STATE)
        if other.lifecycle == Lifecycle.RETIRED:
            errors.add("other", _("The offering is retired."), Code.INVALID_STATE)
        errors.raise_if_any()
        relation = OfferingRelation.objects.create(offering=offering, other=other, kind=kind)
        record_event(actor, "catalogue.relation.set", offering, kind=kind, other=other.pk)
    return relation


def remove_relation(actor, offering, other, kind: str) -> None:
    """Remove a requirement or exclusion (an exclusion in either direction)."""
    require_catalogue_manager(actor)
    errors = _Errors()
    kind = _choice(errors, "kind", kind, RelationKind)
    with transaction.atomic():
        offering = _fetch(Offering, offering, "offering", errors)
        other = _fetch(Offering, other, "other", errors)
        errors.raise_if_any()
        rows = OfferingRelation.objects.filter(kind=kind)
        rows = (
            rows.filter(_pair(offering.pk, other.pk))
            if kind == RelationKind.EXCLUDES
            else rows.filter(offering=offering, other=other)
        )
        deleted, _detail = rows.delete()
        if not deleted:
            raise _one("other", _("There is no such relation."), Code.NOT_FOUND)
        record_event(actor, "catalogue.relation.removed", offering, kind=kind, other=other.pk)


# --- suppliers -------------------------------------------------------------------------------


def _clean_supplier(values: dict, instance: Supplier | None) -> dict:
    errors = _Errors()
    clean = {
        "name": _text(errors, "name", values.get("name"), max_length=200),
        "contract_reference": _text(
            errors,
            "contract_reference",
            values.get("contract_reference"),
            max_length=100,
            required=False,
        ),
    }
    if "name" not in errors:
        same = Supplier.objects.filter(name__iexact=clean["name"])
        if instance is not None:
            same = same.exclude(pk=instance.pk)
        if same.exists():
            errors.add("name", _("A supplier with this name already exists."), Code.DUPLICATE)
    is_internal = values.get("is_internal")
    if not isinstance(is_internal, bool):
        errors.add("is_internal", _("Must be true or false."), Code.INVALID)
    clean["is_internal"] = is_internal
    org_number = _text(
        errors, "org_number", values.get("org_number"), max_length=11, required=False
    )
    if org_number and "org_number" not in errors:
        from stdnum.se import orgnr

        try:
            org_number = orgnr.format(orgnr.validate(org_number))
        except Exception:  # stdnum raises its own ValidationError subclasses
            errors.add("org_number", _("Not a valid Swedish organisation number."), Code.INVALID)
    clean["org_number"] = org_number
    ends_on = values.get("contract_ends_on")
    if ends_on is not None and (
        not isinstance(ends_on, dt.date) or isinstance(ends_on, dt.datetime)
    ):
        errors.add("contract_ends_on", _("Enter a date."), Code.INVALID)
    clean["contract_ends_on"] = ends_on
    if (
        is_internal is False
        and instance is not None
        and instance.is_internal
        and instance.agreements.filter(kind=AgreementKind.OLA).exists()
    ):
        errors.add("is_internal", _("The supplier has OLAs."), Code.CONFLICT)
    if (
        is_internal is True
        and instance is not None
        and instance.agreements.filter(kind=AgreementKind.SLA).exists()
    ):
        errors.add(
            "is_internal",
            _("The supplier has SLAs, which are with external suppliers."),
            Code.CONFLICT,
        )
    errors.raise_if_any()
    return clean


def _supplier_values(supplier: Supplier) -> dict:
    return {field: getattr(supplier, field) for field in SUPPLIER_FIELDS}


def create_supplier(actor, **data) -> Supplier:
    """A new supplier. Fields: name, is_internal, org_number, contract_reference,
    contract_ends_on."""
    require_catalogue_manager(actor)
    _check_keys(data, SUPPLIER_FIELDS)
    values = {"is_internal": False, "org_number": "", "contract_reference": "", **data}
    try:
        with transaction.atomic():
            clean = _clean_supplier(values, None)
            supplier = Supplier.objects.create(**clean)
            record_event(actor, "catalogue.supplier.created", supplier, **_changes({}, clean))
    except IntegrityError as exc:
        raise _one("name", _("A supplier with this name already exists."), Code.DUPLICATE) from exc
    return supplier


def validate_supplier(values: dict, supplier: Supplier | None = None) -> None:
    """The rules `create_supplier` and `update_supplier` apply, for the admin's form."""
    _clean_supplier(values, supplier)


def update_supplier(actor, supplier, **changes) -> Supplier:
    return _update_row(
        actor,
        Supplier,
        supplier,
        changes,
        fields=SUPPLIER_FIELDS,
        values=_supplier_values,
        clean=_clean_supplier,
        event="catalogue.supplier.updated",
        unique=("name", _("A supplier with this name already exists.")),
    )


# --- agreements ------------------------------------------------------------------------------


def _decimal(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def _clean_targets(errors: _Errors, targets) -> list[dict]:
    if not isinstance(targets, list | tuple) or not targets:
        errors.add(
            "targets",
            _("Give response and resolution targets for priorities 1 to 4."),
            Code.REQUIRED,
        )
        return []
    clean = []
    seen: set[int] = set()
    for index, target in enumerate(targets):
        path = f"targets.{index}."
        target = dict(target)
        priority = _int(errors, path + "priority", target.get("priority"), low=1, high=4)
        if priority is not None:
            if priority in seen:
                errors.add(
                    path + "priority",
                    _("Priority %(p)s is given twice.") % {"p": priority},
                    Code.DUPLICATE,
                )
            seen.add(priority)
        response = _int(errors, path + "response_minutes", target.get("response_minutes"), low=1)
        resolution = _int(
            errors, path + "resolution_minutes", target.get("resolution_minutes"), low=1
        )
        if response is not None and resolution is not None and response > resolution:
            errors.add(
                path + "response_minutes",
                _("The response target is longer than the resolution target."),
                Code.INVALID,
            )
        clean.append(
            {"priority": priority, "response_minutes": response, "resolution_minutes": resolution}
        )
    missing = [p for p in PRIORITIES if p not in seen]
    if missing and not any(k.startswith("targets.") for k in errors.items):
        errors.add(
            "targets",
            _("Targets are missing for priority %(p)s.")
            % {"p": ", ".join(str(p) for p in missing)},
            Code.REQUIRED,
        )
    return sorted(clean, key=lambda t: t["priority"] or 0)


def validate_agreement(values: dict) -> None:
    """The rules `create_agreement` and `update_agreement` apply to an agreement's own fields,
    for forms such as the admin's that show errors beside their fields before writing (its
    targets come in a form of their own: `validate_targets`)."""
    try:
        _clean_agreement({**values, "targets": None})
    except ValidationError as exc:
        left = {k: v for k, v in exc.error_dict.items() if not k.startswith("targets")}
        if left:
            raise ValidationError(left) from None


def validate_targets(targets: list[dict]) -> None:
    """The rules the agreement actions apply to the four targets."""
    errors = _Errors()
    _clean_targets(errors, targets)
    errors.raise_if_any()


def _clean_agreement(values: dict) -> dict:
    errors = _Errors()
    clean = {
        "name": _text(errors, "name", values.get("name"), max_length=200),
        "kind": _choice(errors, "kind", values.get("kind"), AgreementKind),
        "support_hours": _text(
            errors, "support_hours", values.get("support_hours"), max_length=100
        ),
    }
    supplier_ref = values.get("supplier")
    supplier = None
    if supplier_ref is not None:
        supplier = _fetch(Supplier, supplier_ref, "supplier", errors)
    if clean["kind"] == AgreementKind.SLA:
        if supplier_ref is None:
            errors.add(
                "supplier", _("An SLA is with an external supplier: name it."), Code.REQUIRED
            )
        elif supplier is not None and supplier.is_internal:
            errors.add(
                "supplier",
                _("An SLA is with an external supplier; central IT gives OLAs."),
                Code.INVALID,
            )
    elif clean["kind"] == AgreementKind.OLA and supplier_ref is not None:
        errors.add("supplier", _("An OLA is central IT's own: it has no supplier."), Code.INVALID)
    clean["supplier"] = supplier
    percent = _decimal(values.get("availability_percent"))
    if percent is None:
        errors.add("availability_percent", _("Enter a number."), Code.INVALID)
    elif not Decimal(0) < percent <= Decimal(100):
        errors.add(
            "availability_percent",
            _("Must be above 0 and at most 100."),
            Code.OUT_OF_RANGE,
        )
    elif percent.as_tuple().exponent < -3:
        errors.add("availability_percent", _("At most three decimals."), Code.INVALID)
    clean["availability_percent"] = (
        percent.quantize(Decimal("0.001")) if "availability_percent" not in errors else percent
    )
    clean["targets"] = _clean_targets(errors, values.get("targets"))
    errors.raise_if_any()
    return clean


def _agreement_values(agreement: Agreement) -> dict:
    return {
        "name": agreement.name,
        "kind": agreement.kind,
        "supplier": agreement.supplier,
        "availability_percent": agreement.availability_percent,
        "support_hours": agreement.support_hours,
        "targets": [
            {
                "priority": t.priority,
                "response_minutes": t.response_minutes,
                "resolution_minutes": t.resolution_minutes,
            }
            for t in agreement.targets.order_by("priority")
        ],
    }


def create_agreement(actor, **data) -> Agreement:
    """A new OLA (no supplier) or SLA (an external supplier), with targets for priorities 1-4:
    `targets=[{"priority", "response_minutes", "resolution_minutes"}, ...]`."""
    require_catalogue_manager(actor)
    _check_keys(data, AGREEMENT_FIELDS)
    with transaction.atomic():
        clean = _clean_agreement(data)
        targets = clean.pop("targets")
        agreement = Agreement.objects.create(**clean)
        AgreementTarget.objects.bulk_create(
            AgreementTarget(agreement=agreement, **t) for t in targets
        )
        record_event(
            actor,
            "catalogue.agreement.created",
            agreement,
            **_changes({}, {**clean, "targets": targets}),
        )
    return agreement


def update_agreement(actor, agreement, **changes) -> Agreement:
    """Change some fields; `targets`, when given, replaces all four targets."""

    def after(row, before, extra):
        if extra["targets"] != before["targets"]:
            row.targets.all().delete()
            AgreementTarget.objects.bulk_create(
                AgreementTarget(agreement=row, **t) for t in extra["targets"]
            )

    return _update_row(
        actor,
        Agreement,
        agreement,
        changes,
        fields=AGREEMENT_FIELDS,
        values=_agreement_values,
        clean=lambda values, _row: _clean_agreement(values),
        event="catalogue.agreement.updated",
        related=("targets",),
        after=after,
    )
