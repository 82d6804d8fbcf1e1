"""Licence seats held by the agency's people. Home: the agency's schema."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SeatAssignment(models.Model):
    # DO_NOTHING into public: see docs/decisions/2026-11-22-cross-schema-references.md
    pool = models.ForeignKey("licences.LicencePool", on_delete=models.DO_NOTHING, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="seats")
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    release_reason = models.CharField(_("reason for release"), max_length=200, blank=True)
    last_used_on = models.DateField(_("last used (vendor report)"), null=True, blank=True)

    class Meta:
        verbose_name = _("seat assignment")
        verbose_name_plural = _("seat assignments")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "person"],
                condition=Q(released_at=None),
                name="one_active_seat_per_person_and_pool",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pool_id} → {self.person_id}"

    @property
    def is_active(self) -> bool:
        return self.released_at is None
