from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrderingConfig(AppConfig):
    name = "services.ordering"
    label = "ordering"
    verbose_name = _("Orders and subscriptions")
