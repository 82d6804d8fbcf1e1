"""Words for the codes the exports would otherwise show: pool categories, key methods, and
driver values with their unit in words ("290 employees", "1 234,00 kr in monthly fees"),
in the active language (Swedish unless the reader chose English)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from services.costs.exports.rows import ExportLine, format_decimal, format_kronor
from services.costs.models import DriverKind, Method, PoolCategory


def decimal_separator() -> str:
    return "," if (get_language() or "sv").startswith("sv") else "."


def category_label(value: str) -> str:
    return str(dict(PoolCategory.choices).get(value, value))


def method_label(value: str) -> str:
    if value == "correction":
        return _("Correction")
    return str(dict(Method.choices).get(value, value))


def key_label(line: ExportLine) -> str:
    """ "Servers 30/70, version 12 (Fixed weights)"; a correction: "Correction"."""
    method = method_label(line.key_method) if line.key_method else ""
    if line.key_version_id is None:
        return f"{line.key_name} ({method})" if line.key_name else method
    return _("%(key)s, version %(version)s (%(method)s)") % {
        "key": line.key_name,
        "version": line.key_version_id,
        "method": method,
    }


def _number(value: Decimal) -> str:
    value = Decimal(value)
    plain = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return format_decimal(plain, decimal_separator=decimal_separator())


def _count(value: Decimal) -> int:
    """The plural form's number: the integer part (2,5 minutes reads as plural)."""
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else 2


def driver_label(line: ExportLine) -> str:
    """The driver value with its unit in words."""
    kind, value = line.driver_kind, Decimal(line.driver_value)
    n, count = _number(value), _count(value)
    if kind == DriverKind.HEADCOUNT:
        return ngettext("%(n)s employee", "%(n)s employees", count) % {"n": n}
    if kind == DriverKind.LICENCE_SEATS:
        return ngettext("%(n)s licence seat", "%(n)s licence seats", count) % {"n": n}
    if kind == DriverKind.SUBSCRIPTIONS or line.key_method == Method.DIRECT:
        money = format_kronor(int(value), decimal_separator=decimal_separator())
        return _("%(amount)s kr in monthly fees") % {"amount": money}
    if kind == DriverKind.TICKETS:
        return ngettext("%(n)s ticket", "%(n)s tickets", count) % {"n": n}
    if kind == DriverKind.VISITS:
        return ngettext("%(n)s field visit", "%(n)s field visits", count) % {"n": n}
    if kind == DriverKind.VISIT_MINUTES:
        return ngettext("%(n)s minute on site", "%(n)s minutes on site", count) % {"n": n}
    if kind == DriverKind.PROJECT_SHARES:
        return _("project weight %(n)s") % {"n": n}
    if kind == Method.FIXED:
        return _("weight %(n)s") % {"n": n}
    if kind == Method.EVEN:
        return _("equal share")
    if kind == "correction":
        return _("charged to this agency only")
    return n
