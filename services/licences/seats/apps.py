from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeatsConfig(AppConfig):
    name = "services.licences.seats"
    label = "seats"
    verbose_name = _("Licence seats of the agency's people")
