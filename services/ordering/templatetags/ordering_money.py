"""Money on the ordering pages: integer öre shown as kronor in the page's language."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def sek(ore: Any) -> str:
    """12900 -> "129,00 kr" (Swedish) or "129.00 kr" (English); empty for None. Exact: öre are
    divided as a Decimal, never a float."""
    if ore is None or ore == "":
        return ""
    kronor = Decimal(int(ore)) / 100
    return f"{number_format(kronor, 2, use_l10n=True, force_grouping=True)} kr"
