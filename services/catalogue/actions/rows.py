"""The write path the catalogue's actions share: who may write, the row a reference names, and
the one update path of catalogue rows (lock, merge, clean, write, audit)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar, overload

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.catalogue import policies
from services.catalogue.actions.fields import Ref, changes, check_keys, ref_pk
from services.catalogue.errors import CatalogueErrorCode as Code
from services.validation import Errors, field_error
from tenants.models import User
from tenants.viewer import Viewer

ModelT = TypeVar("ModelT", bound=models.Model)


def require_catalogue_manager(actor: User | None) -> None:
    """`actor=None` is the system itself (management commands, the demo loader)."""
    if actor is not None and not policies.manages_catalogue_anywhere(Viewer.of(actor)):
        raise PermissionDenied(_("Only a catalogue manager or platform admin may do this."))


@overload
def fetch(
    model: type[ModelT], ref: Ref | None, field: str, errors: None = None, *, lock: bool = False
) -> ModelT: ...


@overload
def fetch(
    model: type[ModelT], ref: Ref | None, field: str, errors: Errors, *, lock: bool = False
) -> ModelT | None: ...


def fetch(
    model: type[ModelT],
    ref: Ref | None,
    field: str,
    errors: Errors | None = None,
    *,
    lock: bool = False,
) -> ModelT | None:
    """The row `ref` names, or a NOT_FOUND error on `field`: raised without `errors`, else
    added to them (and None returned)."""
    obj = None
    pk = ref_pk(ref)
    if pk is not None:
        manager = model._default_manager  # `objects`: the catalogue's models have no other
        qs = manager.select_for_update() if lock else manager.all()
        try:
            obj = qs.get(pk=pk)
        except (ObjectDoesNotExist, ValueError, TypeError):
            obj = None
    if obj is None:
        message = _("No such %(thing)s.") % {"thing": model._meta.verbose_name}
        if errors is None:
            raise field_error(field, message, Code.NOT_FOUND)
        errors.add(field, message, Code.NOT_FOUND)
    return obj


def update_row(
    actor: User | None,
    model: type[ModelT],
    ref: Ref,
    given: Mapping[str, Any],
    *,
    fields: tuple[str, ...],
    values: Callable[[ModelT], dict[str, Any]],
    clean: Callable[[dict[str, Any], ModelT], dict[str, Any]],
    event: str,
    unique: tuple[str, str] | None = None,
    related: tuple[str, ...] = (),
    after: Callable[[ModelT, dict[str, Any], dict[str, Any]], None] | None = None,
) -> ModelT:
    """The one update path of catalogue rows: lock the row, merge the changes into its current
    values, clean them all, and write (with an audit event) only when something changed.
    `related` values (many-to-many, child rows) are passed to `after(row, before, related)`.
    A unique clash raised by the database becomes an error on `unique[0]`."""
    require_catalogue_manager(actor)
    check_keys(given, fields)
    try:
        with transaction.atomic():
            row = fetch(model, ref, "id", lock=True)
            before = values(row)
            cleaned = clean({**before, **given}, row)
            diff = changes(before, cleaned)
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
        raise field_error(unique[0], unique[1], Code.DUPLICATE) from exc
    return row
