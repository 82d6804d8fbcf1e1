"""Money of the ordering domain shown to people: integer öre as kronor in the active language.

"3 900,00 kr" in Swedish, "3,900.00 kr" in English, always with a non-breaking space before
"kr" (and Swedish's non-breaking thousands separator), so an amount never wraps. Exact: öre
are divided as a Decimal, never a float.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format

NBSP = "\u00a0"


def sek(ore: int) -> str:
    """12900 -> "129,00 kr" (Swedish) or "129.00 kr" (English)."""
    kronor = Decimal(int(ore)) / 100
    return f"{number_format(kronor, 2, use_l10n=True, force_grouping=True)}{NBSP}kr"
