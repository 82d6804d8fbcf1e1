"""Forms of the visit pages: what a person types; the rules live in the visits' actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.field.visits.models import PlaceKind
from services.support.models import OPEN_TICKET_STATES, Ticket
from tenants.counties import COUNTY_CHOICES

MAX_WINDOWS = 5


class VisitForm(forms.Form):
    ticket = forms.ModelChoiceField(
        label=_("Ticket"), queryset=Ticket.objects.none(), empty_label=_("Choose a ticket")
    )
    place_kind = forms.ChoiceField(label=_("Where"), choices=PlaceKind.choices)
    street_address = forms.CharField(
        label=_("Street address"),
        max_length=200,
        required=False,
        help_text=_("Leave empty for the home address we have on file, or for the office."),
    )
    postal_code = forms.CharField(label=_("Postal code"), max_length=10, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    county = forms.ChoiceField(
        label=_("County"),
        choices=[("", _("The agency's county (home and office)")), *COUNTY_CHOICES],
        required=False,
    )
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=32,
        required=False,
        help_text=_("Leave empty to use the phone number we have on file."),
    )
    notes = forms.CharField(
        label=_("Notes for the technician"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args: Any, tickets: QuerySet[Ticket] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if tickets is not None:
            self.fields["ticket"].queryset = tickets  # type: ignore[attr-defined]  # a ModelChoiceField


def open_tickets(user_id: int | None) -> QuerySet[Ticket]:
    """Open tickets of the host's agency: all (user_id None) or one person's."""
    qs = Ticket.objects.filter(state__in=OPEN_TICKET_STATES).order_by("-created_at", "-id")
    return qs if user_id is None else qs.filter(requester__user_id=user_id)


class WindowForm(forms.Form):
    """One time window; a row left empty is no window, a row begun must be complete."""

    day = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    starts = forms.TimeField(
        label=_("From"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    ends = forms.TimeField(
        label=_("To"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns the cleaned data
        given = [name for name in ("day", "starts", "ends") if data.get(name)]
        if given and len(given) < 3:
            for name in ("day", "starts", "ends"):
                if name not in given and name not in self.errors:
                    self.add_error(name, _("Give the date, the start and the end."))
        return data

    def window(self) -> tuple[dt.datetime, dt.datetime] | None:
        data = getattr(self, "cleaned_data", None) or {}
        if not all(data.get(k) for k in ("day", "starts", "ends")):
            return None
        zone = timezone.get_current_timezone()
        return (
            dt.datetime.combine(data["day"], data["starts"], tzinfo=zone),
            dt.datetime.combine(data["day"], data["ends"], tzinfo=zone),
        )


WindowFormSet = forms.formset_factory(
    WindowForm, extra=3, max_num=MAX_WINDOWS, validate_max=True, absolute_max=MAX_WINDOWS
)


class DispatchForm(forms.Form):
    technician = forms.IntegerField(widget=forms.HiddenInput)
    window = forms.IntegerField(label=_("Window"))


OUTCOMES = [("done", _("Done")), ("not_completed", _("Could not be completed"))]


class CompleteForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOMES, initial="done")
    travel_minutes = forms.IntegerField(label=_("Travel (minutes)"), min_value=0)
    on_site_minutes = forms.IntegerField(
        label=_("On site (minutes)"),
        min_value=0,
        required=False,
        help_text=_("Leave empty to count from your arrival."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        help_text=_("Required when the visit could not be completed."),
    )
