"""Money on the ordering pages: integer öre shown as kronor in the page's language."""

from __future__ import annotations

from typing import Any

from django import template

from services.ordering import money

register = template.Library()


@register.filter
def sek(ore: Any) -> str:
    """12900 -> "129,00 kr" (Swedish) or "129.00 kr" (English); empty for None
    (services/ordering/money.py)."""
    if ore is None or ore == "":
        return ""
    return money.sek(int(ore))
