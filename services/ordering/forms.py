"""Forms of the ordering pages. They carry what the user typed; the actions in actions.py and
fulfilment.py decide (ranges, levels, budget, approval) and their errors are shown on these
fields (platform/portal/forms.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from services.ordering.quotes import LineRequest

MAX_LINES = 20


class LineForm(forms.Form):
    """One line of the order builder. A blank line is skipped; a half-filled one is an error."""

    offering = forms.TypedChoiceField(
        label=_("Offering"), coerce=int, required=False, empty_value=None
    )
    quantity = forms.IntegerField(label=_("Quantity"), required=False, min_value=1)

    def __init__(
        self, *args: Any, offering_choices: Iterable[tuple[Any, Any]] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offering"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose an offering")),
            *offering_choices,
        ]

    def clean(self) -> dict[str, Any]:
        data = cast(dict[str, Any], super().clean())
        offering, quantity = data.get("offering"), data.get("quantity")
        if offering and quantity is None and "quantity" not in self.errors:
            self.add_error("quantity", _("Give a quantity."))
        if quantity is not None and not offering and "offering" not in self.errors:
            self.add_error("offering", _("Choose an offering."))
        return data

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not data.get("offering") and data.get("quantity") is None


LineFormSet = formset_factory(LineForm, extra=1, max_num=MAX_LINES, absolute_max=MAX_LINES)


def line_requests(formset: forms.BaseFormSet[LineForm]) -> tuple[list[LineRequest], dict[int, int]]:
    """The filled lines of a valid formset, and which form each request came from
    (request position -> form index), so the action's `lines.<n>.<field>` errors land on the
    right line."""
    requests: list[LineRequest] = []
    origin: dict[int, int] = {}
    for index, form in enumerate(formset.forms):
        if form.is_blank:
            continue
        origin[len(requests)] = index
        requests.append(LineRequest(form.cleaned_data["offering"], form.cleaned_data["quantity"]))
    return requests, origin


class OrderForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the order is for; shown to the approver and to central IT."),
    )
    request_budget_override = forms.BooleanField(
        label=_("If the order is over budget, send it to finance for an override"),
        required=False,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ChangeQuantityForm(forms.Form):
    quantity = forms.IntegerField(label=_("New quantity"), min_value=1)
    request_budget_override = forms.BooleanField(
        label=_("If the change is over budget, send it to finance for an override"),
        required=False,
    )


class LineDecisionForm(forms.Form):
    """Central IT's decision on one pending line."""

    FULFIL, REJECT, LATER = "fulfil", "reject", "later"

    line = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (FULFIL, _("Fulfil")),
            (REJECT, _("Reject")),
            (LATER, _("Decide later")),
        ],
        initial=FULFIL,
    )
    reason = forms.CharField(label=_("Reason (when rejecting)"), required=False, max_length=2000)


LineDecisionFormSet = formset_factory(LineDecisionForm, extra=0)


class KronorField(forms.DecimalField):
    """Kronor with two decimals in the page's language; spaces between thousands (as people
    type them, and as Swedish shows them) are allowed."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_digits", 15)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
        return super().to_python(value)


class BudgetForm(forms.Form):
    """A year's budget and approval threshold, typed in kronor ("1 250 000,00" in Swedish)."""

    year = forms.IntegerField(label=_("Year"))
    amount = KronorField(label=_("Annual IT budget (kr)"))
    approval_threshold = KronorField(
        label=_("Approval threshold (kr)"),
        required=False,
        help_text=_(
            "An order committing this much or more needs a second admin. Empty: the agency's "
            "standing threshold."
        ),
    )
