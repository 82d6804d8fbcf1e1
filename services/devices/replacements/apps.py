from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifecycleConfig(AppConfig):
    name = "services.devices.replacements"
    label = "lifecycle"
    verbose_name = _("Device lifecycle")
