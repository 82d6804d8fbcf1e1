"""Collecting a write's validation errors before anything is written, for the actions of every
domain: each error names its field and carries the domain's error code."""

from __future__ import annotations

from enum import Enum

from django.core.exceptions import ValidationError


class Errors:
    """Collects every error of one input before anything is written."""

    def __init__(self) -> None:
        self.items: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message: str, code: Enum | str) -> None:
        self.items.setdefault(field, []).append(ValidationError(message, code=code))

    def __contains__(self, field: str) -> bool:
        return field in self.items

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationError(self.items)


def field_error(field: str, message: str, code: Enum | str) -> ValidationError:
    """A ValidationError of one field."""
    return ValidationError({field: ValidationError(message, code=code)})
