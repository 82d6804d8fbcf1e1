from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleScimConfig(AppConfig):
    name = "services.people.scim"
    label = "people_scim"
    verbose_name = _("SCIM provisioning")
