"""Forms of the knowledge pages. They carry what the person typed; the actions decide
(services/knowledge/actions.py) and their errors land on these fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from services.catalogue.models import Service
from services.knowledge.models import BODY_MAX, TITLE_MAX, Article, Language


class ArticleForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.order_by("name"))
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Say what to try, step by step, in the words people use."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=Language.choices,
        help_text=_("English articles are searched with English words."),
    )
    published = forms.BooleanField(label=_("Published"), required=False)

    def action_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "service_id": data["service"].pk,
            "title": data["title"],
            "body": data["body"],
            "language": data["language"],
            "published": data["published"],
        }

    @staticmethod
    def initial_of(article: Article) -> dict[str, Any]:
        return {
            "service": article.service_id,
            "title": article.title,
            "body": article.body,
            "language": article.language,
            "published": article.published,
        }


# The action names the service by id; the form by the service.
FIELD_MAP = {"service_id": "service"}
