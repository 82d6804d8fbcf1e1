"""Forms of the cost pages: what finance or an agency admin types. The rules (negative
amounts, zero weights, closed periods...) live in the actions; the forms carry the input and
show the actions' errors next to the fields."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from services.catalogue.models import Service, Supplier
from services.costs.exports.build import ExportFormat
from services.costs.models import SPLIT_DRIVERS, AllocationKey, DriverKind, Method, PoolCategory
from services.projects.models import Project
from tenants.models import Agency

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d"]


def to_ore(kronor: Decimal | None) -> int | None:
    """Kronor with at most two decimals (the form checks) -> integer öre, exactly."""
    if kronor is None:
        return None
    return int((kronor * 100).to_integral_value())


def kronor_field(
    label: StrOrPromise, required: bool = True, help_text: StrOrPromise = ""
) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=15,
        decimal_places=2,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        localize=True,
    )


def month_field(label: StrOrPromise) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=MONTH_FORMATS,
        help_text=_("Year and month, e.g. 2026-03."),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )


class PeriodForm(forms.Form):
    month = month_field(_("Month"))


class PoolForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[(c.value, c.label) for c in PoolCategory if c != PoolCategory.CORRECTION],
    )
    amount = kronor_field(_("Amount (kronor)"))
    key = forms.ModelChoiceField(
        label=_("Allocation key"), queryset=AllocationKey.objects.order_by("name")
    )
    source_reference = forms.CharField(
        label=_("Source reference"),
        max_length=100,
        required=False,
        help_text=_("The invoice number or salary run the amount comes from."),
    )
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=Service.objects.order_by("name"), required=False
    )
    supplier = forms.ModelChoiceField(
        label=_("Supplier"), queryset=Supplier.objects.order_by("name"), required=False
    )
    project = forms.ModelChoiceField(
        label=_("Joint project"), queryset=Project.objects.order_by("name"), required=False
    )


POOL_FIELDS = {"amountOre": "amount", "period": None, "licencePool": None}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Columns: name, category, amount (kronor) or amount_ore, key, source_reference; "
            "optional service, supplier, project. Nothing is saved unless every line is right."
        ),
    )


class KeyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class VersionForm(forms.Form):
    """A new version of a key; one weight field per member agency (used by fixed weights)."""

    valid_from = month_field(_("Valid from"))
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    driver_kind = forms.ChoiceField(
        label=_("Driver"),
        required=False,
        choices=[("", _("(only for the driver method)"))]
        + [(k.value, k.label) for k in DriverKind if k in SPLIT_DRIVERS],
    )
    only_subscribers = forms.BooleanField(
        label=_("Only subscribers of the pool's service"), required=False
    )
    excluded = forms.ModelMultipleChoiceField(
        label=_("Excluded agencies"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Errors about the weights as a whole (all zero, none given) are shown above them.
    weights = forms.CharField(required=False, widget=forms.HiddenInput, label=_("Weights"))

    def __init__(self, *args: Any, agencies: Iterable[Agency] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = list(agencies)
        cast(
            forms.ModelMultipleChoiceField, self.fields["excluded"]
        ).queryset = Agency.objects.filter(pk__in=[a.pk for a in self.agencies]).order_by("name")
        for agency in self.agencies:
            self.fields[f"weight_{agency.pk}"] = forms.DecimalField(
                label=agency.name,
                required=False,
                max_digits=20,
                decimal_places=4,
                localize=True,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )

    def weight_fields(self) -> list[BoundField]:
        return [self[f"weight_{a.pk}"] for a in self.agencies]

    def weight_list(self) -> list[tuple[int, Decimal]]:
        """(agency id, weight) of every weight typed, in agency order."""
        data = self.cleaned_data
        return [
            (a.pk, data[f"weight_{a.pk}"])
            for a in self.agencies
            if data.get(f"weight_{a.pk}") is not None
        ]


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(
        label=_("Resolution"),
        choices=[("adjust", _("Adjust the line to a new amount")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    amount = kronor_field(
        _("New amount (kronor)"),
        required=False,
        help_text=_("When adjusting: the difference is spread over the pool's other lines."),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CorrectionForm(forms.Form):
    amount = kronor_field(
        _("Change (kronor)"),
        help_text=_("Negative credits the agency, positive charges it more."),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class DisputeForm(forms.Form):
    comment = forms.CharField(
        label=_("What is wrong with the line?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Write about the costs only: no names or other personal data."),
    )


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            (ExportFormat.CSV.value, _("CSV (programs)")),
            (ExportFormat.CSV_EXCEL.value, _("CSV for Excel (semicolon)")),
            (ExportFormat.XLSX.value, _("Excel workbook (XLSX)")),
            (ExportFormat.PDF.value, _("PDF statements (one per agency, zipped)")),
            (ExportFormat.FOCUS.value, _("FOCUS 1.2 (CSV)")),
            (ExportFormat.SIE.value, _("SIE 4 (bookkeeping)")),
        ],
    )
