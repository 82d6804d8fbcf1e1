"""Forms of the major-incident console: what the service desk types; the rules live in
services/incidents/actions.py."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from services.incidents.actions import LINKABLE_STATES
from tenants.models import Agency


class LinkForm(forms.Form):
    agency = forms.ChoiceField(label=_("Agency"))
    ticket = forms.IntegerField(label=_("Ticket number"), min_value=1, max_value=2**62)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["agency"]).choices = list(
            Agency.objects.members()
            .filter(state__in=LINKABLE_STATES)
            .order_by("name")
            .values_list("slug", "name")
        )


class UpdateForm(forms.Form):
    message = forms.CharField(
        label=_("Update"),
        help_text=_(
            "Posted as a reply on every linked ticket and mailed to the admins of every "
            "agency that reported it or subscribes to the service."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


class ResolveForm(forms.Form):
    note = forms.CharField(
        label=_("What was wrong and what was done"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    resolve_tickets = forms.BooleanField(
        label=_("Resolve every linked ticket too"), required=False, initial=True
    )
