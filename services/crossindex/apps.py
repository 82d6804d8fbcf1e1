from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrossIndexConfig(AppConfig):
    name = "services.crossindex"
    label = "crossindex"
    verbose_name = _("Cross-agency index")
