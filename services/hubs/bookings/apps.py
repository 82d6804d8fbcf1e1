from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "services.hubs.bookings"
    label = "bookings"
    verbose_name = _("Hub bookings")

    def ready(self) -> None:
        from services.hubs.bookings.personal_data import HOLDER
        from services.people import gdpr

        gdpr.register(HOLDER)  # what it holds of a person: export and anonymisation
