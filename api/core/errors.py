"""Errors as data: every mutation payload carries `errors: [XError!]!` (design.md §4)."""

from __future__ import annotations

from enum import Enum

import graphene
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils.translation import gettext as _

_error_types: dict[str, type[graphene.ObjectType]] = {}


def error_type(name: str, codes: type[Enum]) -> type[graphene.ObjectType]:
    """One GraphQL error type per domain: `field`, `message` and the domain's `code` enum."""
    if name in _error_types:
        return _error_types[name]
    code_enum = graphene.Enum.from_enum(codes, name=f"{name}Code")
    error_cls = type(
        name,
        (graphene.ObjectType,),
        {
            "field": graphene.String(
                description="The input field at fault (camelCase path), or null for the whole "
                "request."
            ),
            "message": graphene.String(required=True),
            "code": graphene.Field(code_enum, required=True),
            "__doc__": f"An error of the {name[:-5] or name} domain.",
        },
    )
    _error_types[name] = error_cls
    return error_cls


def _camel(path: str) -> str:
    from graphene.utils.str_converters import to_camel_case

    return ".".join(to_camel_case(part) for part in path.split("."))


def errors_from_validation(exc: ValidationError, codes: type[Enum], default_code) -> list[dict]:
    valid = {c.value for c in codes}
    out = []
    items = exc.error_dict.items() if hasattr(exc, "error_dict") else [(None, exc.error_list)]
    for field, errs in items:
        for err in errs:
            message = err.message % err.params if err.params else err.message
            code = err.code if err.code in valid else default_code
            out.append(
                {
                    "field": None if field in (None, NON_FIELD_ERRORS) else _camel(field),
                    "message": str(message),
                    "code": codes(code),
                }
            )
    return out


def errors_from_permission(exc: PermissionDenied, codes: type[Enum]) -> list[dict]:
    return [
        {
            "field": None,
            "message": str(exc) or _("Permission denied."),
            "code": codes("permission_denied"),
        }
    ]
