from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "services.support"
    label = "support"
    verbose_name = _("Support tickets")

    def ready(self) -> None:
        from services.people import gdpr
        from services.support.personal_data import HOLDER

        gdpr.register(HOLDER)  # what it holds of a person: export and anonymisation
