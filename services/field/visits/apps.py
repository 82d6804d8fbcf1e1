from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "services.field.visits"
    label = "visits"
    verbose_name = _("Field visits")

    def ready(self) -> None:
        from services.field.visits.personal_data import HOLDER
        from services.people import gdpr

        gdpr.register(HOLDER)  # what it holds of a person: export and anonymisation
