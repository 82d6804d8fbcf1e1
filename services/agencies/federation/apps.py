from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    name = "services.agencies.federation"
    label = "federation"
    verbose_name = _("Federated sign-in")

    def ready(self) -> None:
        from services.agencies.federation import groups, signin  # noqa: F401 (receivers)
