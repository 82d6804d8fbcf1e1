"""Forms of the catalogue pages. They carry what the user typed; the actions decide (unique
names and codes, lifecycle steps, levels, price dates) and their errors land on these fields."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.catalogue.actions.prices import MAX_ORE, price_range_message
from services.catalogue.models import (
    Agreement,
    AgreementKind,
    Category,
    Lifecycle,
    PriceModel,
    Service,
    Supplier,
)

LEVEL_CHOICES = [(n, str(n)) for n in (1, 2, 3, 4)]
PRIORITIES = (1, 2, 3, 4)


def kronor_to_ore(value: Decimal | None) -> int:
    """Exact: 129.5 kr -> 12950 öre (the form allows two decimals)."""
    return int((value or Decimal(0)) * 100)


def ore_to_kronor(ore: int | None) -> Decimal:
    return Decimal(int(ore or 0)) / 100


class KronorField(forms.DecimalField):
    """Kronor with two decimals, from 0 to the largest price the catalogue keeps; a refusal
    says the limits in kronor, as the page's language writes them."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("max_value", ore_to_kronor(MAX_ORE))
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("localize", True)  # "129,50" in Swedish, "129.50" in English
        super().__init__(**kwargs)

    def validate(self, value: Decimal) -> None:  # None when the field may be empty
        # before Django's min/max validators, whose messages print the bare limit
        super().validate(value)
        if value is not None and not Decimal(0) <= value <= ore_to_kronor(MAX_ORE):
            raise forms.ValidationError(price_range_message(), code="out_of_range")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ServiceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    owner = forms.CharField(label=_("Owner (central IT function)"), max_length=200)
    suppliers = forms.ModelMultipleChoiceField(
        label=_("Suppliers"),
        queryset=Supplier.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    lifecycle = forms.ChoiceField(label=_("Lifecycle"), choices=Lifecycle.choices)


class OfferingForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=60,
        help_text=_("Lower-case letters a-z, digits and single hyphens; unique."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    security_level = forms.TypedChoiceField(
        label=_("Security level met"), choices=LEVEL_CHOICES, coerce=int
    )
    availability_level = forms.TypedChoiceField(
        label=_("Availability level met"), choices=LEVEL_CHOICES, coerce=int
    )
    price_model = forms.ChoiceField(label=_("Price model"), choices=PriceModel.choices)
    unit = forms.CharField(
        label=_("Unit"), max_length=30, required=False, help_text=_("user, device, GB…")
    )
    min_quantity = forms.IntegerField(label=_("Minimum quantity"), min_value=1, initial=1)
    max_quantity = forms.IntegerField(label=_("Maximum quantity"), min_value=1, initial=1)
    notice_days = forms.IntegerField(label=_("Notice period (days)"), min_value=0, initial=90)
    lead_time_days = forms.IntegerField(label=_("Lead time (days)"), min_value=0, initial=10)
    agreement = forms.ModelChoiceField(
        label=_("Agreement"), queryset=Agreement.objects.order_by("name")
    )
    lifecycle = forms.ChoiceField(label=_("Lifecycle"), choices=Lifecycle.choices)


class FirstPriceForm(forms.Form):
    """The optional first price of a new offering."""

    prefix = "price"
    valid_from = forms.DateField(label=_("Price valid from"), required=False, widget=DateInput())
    monthly = KronorField(label=_("Monthly price (kr)"), required=False)
    one_off = KronorField(label=_("One-off price (kr)"), required=False)

    def price(self) -> dict | None:
        data = self.cleaned_data
        if data.get("valid_from") is None and data.get("monthly") is None:
            return None
        return {
            "valid_from": data.get("valid_from"),
            "monthly_ore": kronor_to_ore(data.get("monthly")),
            "one_off_ore": kronor_to_ore(data.get("one_off")),
        }


class PriceForm(forms.Form):
    """A new price version from a date (earlier versions stay as history)."""

    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    monthly = KronorField(label=_("Monthly price (kr)"), initial=Decimal(0))
    one_off = KronorField(label=_("One-off price (kr)"), required=False, initial=Decimal(0))

    def action_values(self) -> dict:
        data = self.cleaned_data
        return {
            "valid_from": data["valid_from"],
            "monthly_ore": kronor_to_ore(data["monthly"]),
            "one_off_ore": kronor_to_ore(data.get("one_off")),
        }


# The action names price fields by öre; the form asks for kronor.
PRICE_FIELD_MAP = {
    "monthly_ore": "monthly",
    "one_off_ore": "one_off",
    "price.valid_from": "valid_from",
    "price.monthly_ore": "monthly",
    "price.one_off_ore": "one_off",
}


class AgreementForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=AgreementKind.choices)
    supplier = forms.ModelChoiceField(
        label=_("Supplier"),
        queryset=Supplier.objects.order_by("name"),
        required=False,
        help_text=_("An SLA names its external supplier; an OLA has none."),
    )
    availability_percent = forms.DecimalField(
        # xgettext:no-python-format
        label=_("Availability (%)"),
        max_digits=6,
        decimal_places=3,
        localize=True,
    )
    support_hours = forms.CharField(label=_("Support hours"), max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for p in PRIORITIES:
            self.fields[f"p{p}_response"] = forms.IntegerField(
                label=_("Priority %(p)s: first response (business minutes)") % {"p": p},
                min_value=1,
            )
            self.fields[f"p{p}_resolution"] = forms.IntegerField(
                label=_("Priority %(p)s: resolution (business minutes)") % {"p": p},
                min_value=1,
            )

    def action_values(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "kind": data["kind"],
            "supplier": data.get("supplier"),
            "availability_percent": data["availability_percent"],
            "support_hours": data["support_hours"],
            "targets": [
                {
                    "priority": p,
                    "response_minutes": data[f"p{p}_response"],
                    "resolution_minutes": data[f"p{p}_resolution"],
                }
                for p in PRIORITIES
            ],
        }

    @staticmethod
    def initial_of(agreement: Agreement) -> dict:
        initial = {
            "name": agreement.name,
            "kind": agreement.kind,
            "supplier": agreement.supplier_id,
            "availability_percent": agreement.availability_percent,
            "support_hours": agreement.support_hours,
        }
        for t in agreement.targets.all():
            initial[f"p{t.priority}_response"] = t.response_minutes
            initial[f"p{t.priority}_resolution"] = t.resolution_minutes
        return initial


def agreement_field_map() -> dict:
    """The action's `targets.<index>.<field>` keys onto the per-priority fields (the form
    always sends priorities 1-4 in order)."""
    out = {}
    for index, p in enumerate(PRIORITIES):
        out[f"targets.{index}.response_minutes"] = f"p{p}_response"
        out[f"targets.{index}.resolution_minutes"] = f"p{p}_resolution"
        out[f"targets.{index}.priority"] = f"p{p}_response"
    return out


def service_initial(service: Service) -> dict:
    return {
        "name": service.name,
        "description": service.description,
        "category": service.category,
        "owner": service.owner,
        "suppliers": [s.pk for s in service.suppliers.all()],
        "lifecycle": service.lifecycle,
    }


def next_month_start(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    return (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
