from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SatisfactionConfig(AppConfig):
    """Support's satisfaction ratings: one per resolved ticket, in the ticket's agency schema
    (an agency app, like the tickets it rates)."""

    name = "services.support.satisfaction"
    label = "support_satisfaction"
    verbose_name = _("Satisfaction")
