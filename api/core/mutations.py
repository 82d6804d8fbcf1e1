"""The one base class for mutations: permission check, the domain action, errors as data."""

from __future__ import annotations

from enum import Enum

import graphene
from django.core.exceptions import PermissionDenied, ValidationError
from graphene.types.mutation import MutationOptions

from api.core.errors import error_type, errors_from_permission, errors_from_validation


class SamnavMutationOptions(MutationOptions):
    error_codes: type[Enum] | None = None
    error_type_name: str = ""


class SamnavMutation(graphene.Mutation):
    """Subclasses set `error_codes` and `error_type_name` (in `Meta`, or as class attributes of
    the domain's abstract base), and implement
    `check_permission(info)` and `perform(info, **data) -> dict` (the payload's other fields).
    The action raises ValidationError / PermissionDenied; both become `errors`."""

    class Meta:
        abstract = True

    @classmethod
    def __init_subclass_with_meta__(
        cls, error_codes=None, error_type_name="", _meta=None, **options
    ):
        if not _meta:
            _meta = SamnavMutationOptions(cls)
        # A domain's abstract base may name its codes once, as class attributes.
        error_codes = error_codes or getattr(cls, "error_codes", None)
        error_type_name = error_type_name or getattr(cls, "error_type_name", "")
        _meta.error_codes = error_codes
        _meta.error_type_name = error_type_name
        if error_codes is not None:
            err = error_type(error_type_name, error_codes)
            cls.errors = graphene.List(graphene.NonNull(err), required=True)
        super().__init_subclass_with_meta__(_meta=_meta, **options)

    @classmethod
    def check_permission(cls, info) -> None:
        raise NotImplementedError

    @classmethod
    def perform(cls, info, **data) -> dict:
        raise NotImplementedError

    @classmethod
    def mutate(cls, root, info, **data):
        codes = cls._meta.error_codes
        try:
            cls.check_permission(info)
            result = cls.perform(info, **data)
        except PermissionDenied as exc:
            return cls(errors=errors_from_permission(exc, codes))
        except ValidationError as exc:
            return cls(errors=errors_from_validation(exc, codes, "invalid"))
        return cls(errors=[], **result)
