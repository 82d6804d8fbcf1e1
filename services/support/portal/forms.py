"""Forms of the support pages: what a person types; the rules live in the actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from services.catalogue.models import Lifecycle, Service
from services.support.models import Kind, TicketState


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ProblemForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Service.objects.exclude(lifecycle=Lifecycle.RETIRED).order_by("name"),
        required=False,
        empty_label=_("I don't know"),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Suggestions from the knowledge base appear below as you write."),
        required=False,
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.INCIDENT)
    impact = forms.TypedChoiceField(
        label=_("How many are affected?"),
        coerce=int,
        initial=2,
        choices=[(1, _("Many people")), (2, _("A few people")), (3, _("Only me"))],
    )
    urgency = forms.TypedChoiceField(
        label=_("How urgent is it?"),
        coerce=int,
        initial=2,
        choices=[(1, _("Work has stopped")), (2, _("Work is hindered")), (3, _("It can wait"))],
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 4}))
    attachments = MultipleFileField(label=_("Attachments"), required=False)


class AgentReplyForm(ReplyForm):
    internal = forms.BooleanField(
        label=_("Internal note (not shown to the requester)"), required=False
    )


class StateForm(forms.Form):
    state = forms.ChoiceField(label=_("New state"), choices=TicketState.choices)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class QueueFilterForm(forms.Form):
    agency = forms.CharField(label=_("Agency (slug)"), required=False)
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", _("All")), (1, "1"), (2, "2"), (3, "3"), (4, "4")],
    )
    mine = forms.BooleanField(label=_("Only mine"), required=False)
