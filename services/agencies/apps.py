from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    """Agency administration: onboarding, suspension, offboarding, role grants, API tokens.

    The models live in `tenants` (the base layer every domain reads); this domain writes them.
    """

    name = "services.agencies"
    label = "agencies"
    verbose_name = _("Agency administration")
