"""Write paths of offerings' price versions: a new version from a day on; earlier versions stay
as they are (orders and reports keep the price valid when they were made)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from services.audit.actions import record_event
from services.catalogue.actions.fields import MAX_ORE, Ref
from services.catalogue.actions.rows import fetch, require_catalogue_manager
from services.catalogue.errors import CatalogueErrorCode as Code
from services.catalogue.models import Lifecycle, Offering, OfferingPrice, PriceModel
from services.validation import Errors, a_date, field_error, whole_number
from tenants.models import User


def price_range_message() -> str:
    """A price's limits in kronor, as the reader's language writes them (never in öre)."""
    highest = number_format(Decimal(MAX_ORE) / 100, 2, use_l10n=True, force_grouping=True)
    return _("Give a price from 0 kr to %(highest)s kr.") % {"highest": highest}


def clean_price(
    offering: Offering | None,
    price_model: str | None,
    *,
    valid_from: object,
    monthly_ore: object,
    one_off_ore: object = 0,
    prefix: str = "",
    today: dt.date | None = None,
) -> None:
    """Check one new price version (its fields named with `prefix`). A past date is refused
    once the offering has a price: orders and reports may already rely on the price valid
    then."""
    errors = Errors()
    today = today or timezone.localdate()
    day = a_date(errors, prefix + "valid_from", valid_from, codes=Code)
    for field, value in (("monthly_ore", monthly_ore), ("one_off_ore", one_off_ore)):
        if isinstance(value, int) and not isinstance(value, bool) and not 0 <= value <= MAX_ORE:
            errors.add(prefix + field, price_range_message(), Code.OUT_OF_RANGE)
        else:
            whole_number(errors, prefix + field, value, codes=Code, low=0, high=MAX_ORE)
    if (
        price_model == PriceModel.ONE_OFF
        and isinstance(monthly_ore, int)
        and monthly_ore > 0
        and prefix + "monthly_ore" not in errors
    ):
        errors.add(
            prefix + "monthly_ore",
            _("A one-off offering has no monthly price."),
            Code.INVALID,
        )
    if offering is not None and day is not None:
        dates = set(offering.prices.values_list("valid_from", flat=True))
        if day in dates:
            errors.add(
                prefix + "valid_from",
                _("A price valid from %(day)s already exists.") % {"day": day},
                Code.DUPLICATE,
            )
        elif dates and day < today:
            errors.add(
                prefix + "valid_from",
                _(
                    "A new price cannot start in the past: orders may already use the price "
                    "valid then."
                ),
                Code.INVALID,
            )
    errors.raise_if_any()


def validate_new_price(
    offering: Offering, valid_from: object, monthly_ore: object, one_off_ore: object
) -> None:
    """The rules `add_price` applies, for forms (the admin) that write prices themselves."""
    clean_price(
        offering,
        offering.price_model,
        valid_from=valid_from,
        monthly_ore=monthly_ore,
        one_off_ore=one_off_ore,
    )


def write_price(
    actor: User | None,
    offering: Offering,
    *,
    valid_from: dt.date,
    monthly_ore: int,
    one_off_ore: int = 0,
) -> OfferingPrice:
    """Write a price version `clean_price` accepted, with its audit event."""
    price = OfferingPrice.objects.create(
        offering=offering, valid_from=valid_from, monthly_ore=monthly_ore, one_off_ore=one_off_ore
    )
    record_event(
        actor,
        "catalogue.price.added",
        offering,
        price_id=price.pk,
        valid_from=valid_from.isoformat(),
        monthly_ore=monthly_ore,
        one_off_ore=one_off_ore,
    )
    return price


def add_price(
    actor: User | None,
    offering: Ref,
    *,
    valid_from: dt.date,
    monthly_ore: int,
    one_off_ore: int = 0,
) -> OfferingPrice:
    """A new price version of an offering, valid from `valid_from` (today or later, unless it
    is the offering's first price). Earlier versions stay as they are."""
    require_catalogue_manager(actor)
    try:
        with transaction.atomic():
            row = fetch(Offering, offering, "offering", lock=True)
            if row.lifecycle == Lifecycle.RETIRED:
                raise field_error("offering", _("The offering is retired."), Code.INVALID_STATE)
            clean_price(
                row,
                row.price_model,
                valid_from=valid_from,
                monthly_ore=monthly_ore,
                one_off_ore=one_off_ore,
            )
            return write_price(
                actor,
                row,
                valid_from=valid_from,
                monthly_ore=monthly_ore,
                one_off_ore=one_off_ore,
            )
    except IntegrityError as exc:
        raise field_error(
            "valid_from", _("A price valid from this day already exists."), Code.DUPLICATE
        ) from exc
