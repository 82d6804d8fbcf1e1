"""Canned answers and saved queue views of the service desk. Home: public (no personal data of
any agency: a canned answer's placeholders are filled when it is used)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")


class CannedAnswer(models.Model):
    """A text module an agent inserts into a reply. Placeholders: {requester_name},
    {ticket_number}, {agent_name}, {subject}."""

    name = models.CharField(_("name"), max_length=100)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    body = models.TextField(_("text"))
    updated_by = models.ForeignKey(
        "tenants.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("canned answer")
        verbose_name_plural = _("canned answers")
        ordering = ["language", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["name", "language"], name="canned_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"


class SavedView(models.Model):
    """One agent's named filter of the queue: the filter form's query string."""

    owner = models.ForeignKey("tenants.User", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=60)
    query = models.CharField(_("filter"), max_length=500)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="saved_view_once")]

    def __str__(self) -> str:
        return self.name
