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


# --- The service desk's queue and ticket page (services/support/portal/queue.py, ticket_desk.py)

PRIORITY_CHOICES = [
    (1, _("1 – critical")),
    (2, _("2 – high")),
    (3, _("3 – normal")),
    (4, _("4 – low")),
]


class DeskFilterForm(forms.Form):
    """The queue's filters (GET); a saved view is this form's query string."""

    agency = forms.ChoiceField(label=_("Agency"), required=False)
    agreement = forms.TypedChoiceField(
        label=_("Agreement"), coerce=int, required=False, empty_value=None
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", _("All")), *PRIORITY_CHOICES],
    )
    mine = forms.BooleanField(label=_("Only mine"), required=False)
    unassigned = forms.BooleanField(label=_("Unassigned"), required=False)
    breached = forms.BooleanField(label=_("Breached"), required=False)

    def __init__(
        self,
        data: Any,
        agencies: list[tuple[str, str]],
        agreements: list[tuple[int, str]],
    ) -> None:
        super().__init__(data)
        self.fields["agency"].choices = [("", _("All")), *agencies]  # type: ignore[attr-defined]
        self.fields["agreement"].choices = [("", _("All")), *agreements]  # type: ignore[attr-defined]


class SaveViewForm(forms.Form):
    name = forms.CharField(label=_("Name of the view"), max_length=60)
    query = forms.CharField(widget=forms.HiddenInput, required=False)


class BulkForm(forms.Form):
    """What to do with the ticked rows: assign them, or move them to a state."""

    operation = forms.ChoiceField(
        label=_("Action"),
        choices=[("assign", _("Assign")), ("state", _("Change state"))],
    )
    assignee = forms.TypedChoiceField(
        label=_("Assign to"), coerce=int, required=False, empty_value=None
    )
    state = forms.ChoiceField(
        label=_("New state"), required=False, choices=[("", "–"), *TicketState.choices]
    )

    def __init__(self, data: Any, agents: list[tuple[int, str]]) -> None:
        super().__init__(data)
        self.fields["assignee"].choices = [("", "–"), *agents]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("operation") == "assign" and not data.get("assignee"):
            self.add_error("assignee", _("Choose whom to assign the tickets to."))
        if data.get("operation") == "state" and not data.get("state"):
            self.add_error("state", _("Choose the new state."))
        return data


class PriorityForm(forms.Form):
    priority = forms.TypedChoiceField(label=_("Priority"), coerce=int, choices=PRIORITY_CHOICES)
    reason = forms.CharField(label=_("Why?"), max_length=200)


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(
        label=_("Agent"), coerce=int, required=False, empty_value=None
    )
    group = forms.ChoiceField(label=_("Group"))

    def __init__(self, data: Any, agents: list[tuple[int, str]], groups: list[str], **kw: Any):
        super().__init__(data, **kw)
        self.fields["assignee"].choices = [("", _("Nobody")), *agents]  # type: ignore[attr-defined]
        self.fields["group"].choices = [(g, g) for g in groups]  # type: ignore[attr-defined]


class MergeForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Merge"),
        choices=[
            ("into_this", _("the other ticket into this one")),
            ("this_into", _("this ticket into the other one")),
        ],
    )
    other = forms.IntegerField(label=_("Other ticket's number"), min_value=1)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class LinkForm(forms.Form):
    other = forms.IntegerField(label=_("Related ticket's number"), min_value=1)


class CannedAnswerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    language = forms.ChoiceField(
        label=_("Language"), choices=[("sv", _("Swedish")), ("en", _("English"))]
    )
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Placeholders: {requester_name}, {ticket_number}, {agent_name}, {subject}."),
    )
