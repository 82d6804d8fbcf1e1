from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """Central IT's desk tools: canned answers and saved queue views (in public: they belong
    to the service desk, not to any agency)."""

    name = "services.support.desk"
    label = "support_desk"
    verbose_name = _("Service desk tools")
