from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevicesConfig(AppConfig):
    name = "services.devices"
    label = "devices"
    verbose_name = _("Devices")

    def ready(self) -> None:
        from services.devices.personal_data import HOLDER
        from services.people import gdpr

        gdpr.register(HOLDER)  # what it holds of a person: export and anonymisation
