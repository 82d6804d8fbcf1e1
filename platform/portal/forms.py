"""Forms post through the domain's action functions: the action decides, the form only
carries what the user typed and shows the action's errors next to the fields."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django import forms
from django.core.exceptions import ValidationError


def apply_errors(form: forms.Form, exc: ValidationError, field_map: Mapping | None = None) -> None:
    """Show an action's ValidationError on the form: a field's errors next to that field
    (names mapped by `field_map`, e.g. {"lines.0.quantity": "quantity"}), the rest on top."""
    field_map = field_map or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for key, errors in exc.error_dict.items():
        name = field_map.get(key, key)
        messages = [m for e in errors for m in e.messages]
        form.add_error(name if name in form.fields else None, messages)


def submit(form: forms.Form, action: Callable[[dict], object], field_map=None):
    """Validate the form, then call `action(cleaned_data)`. Returns the action's result, or
    None with the errors on the form (what the user typed stays in the bound form)."""
    if not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc, field_map)
        return None
