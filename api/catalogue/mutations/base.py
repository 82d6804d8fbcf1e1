"""The catalogue mutations' base: their permission check and error codes, and reading the
relay ids and input objects they are sent."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from graphql_relay import from_global_id

from api.core.mutations import SamnavMutation
from api.core.permissions import require_central_for_mutation
from services.catalogue.errors import CatalogueErrorCode
from services.validation import field_error
from tenants.roles import Role


def node_pk(global_id: str | None, type_name: str, field: str) -> int:
    """The primary key in a relay id of `type_name`, or a NOT_FOUND error naming `field`."""
    type_found, pk = from_global_id(global_id or "")
    if type_found != type_name or not pk.isdigit():
        raise field_error(
            field, _("Not a %(type)s id.") % {"type": type_name}, CatalogueErrorCode.NOT_FOUND
        )
    return int(pk)


def node_pks(global_ids: Iterable[str] | None, type_name: str, field: str) -> list[int]:
    return [node_pk(g, type_name, field) for g in global_ids or []]


def node_pks_by_field(global_ids: Mapping[str, str], type_name: str) -> dict[str, int]:
    """The primary key in each field's relay id of `type_name`; the errors of all fields are
    raised together."""
    errors: dict[str, list[ValidationError]] = {}
    pks = {}
    for field, value in global_ids.items():
        try:
            pks[field] = node_pk(value, type_name, field)
        except ValidationError as exc:
            errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    return pks


def input_data(input_obj: Any) -> dict[str, Any]:
    """Only the fields the caller sent (an explicit null included)."""
    return {key: getattr(value, "value", value) for key, value in dict(input_obj).items()}


class CatalogueMutation(SamnavMutation):
    class Meta:
        abstract = True

    error_codes = CatalogueErrorCode
    error_type_name = "CatalogueError"

    @classmethod
    def check_permission(cls, info):
        require_central_for_mutation(info, Role.CATALOGUE_MANAGER, Role.PLATFORM_ADMIN)
