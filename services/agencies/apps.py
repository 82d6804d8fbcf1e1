from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    """Agency administration: onboarding, suspension, offboarding, role grants, API tokens.

    The models live in `tenants` (the base layer every domain reads); this domain writes them.
    """

    name = "services.agencies"
    label = "agencies"
    verbose_name = _("Agency administration")

    def ready(self) -> None:
        # The sign-in audit (issue 19): here, not in tenants, which may not use services.audit.
        from services.agencies import signin

        signin.connect()
