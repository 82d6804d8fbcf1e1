from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HubsConfig(AppConfig):
    name = "services.hubs"
    label = "hubs"
    verbose_name = _("Service hubs")
