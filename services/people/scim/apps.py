from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleScimConfig(AppConfig):
    name = "services.people.scim"
    label = "people_scim"
    verbose_name = _("SCIM provisioning")

    def ready(self) -> None:
        from services.people import gdpr
        from services.people.scim.personal_data import HOLDER

        gdpr.register(HOLDER)
