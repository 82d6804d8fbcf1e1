from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgencyOutboxConfig(AppConfig):
    """The agency half of the outbox: mail and SMS to an agency's people wait in the agency's
    own schema, since addresses and text are its personal data (the central half, for central
    IT's own mail, is services.outbox)."""

    name = "services.outbox.agency"
    label = "outbox_agency"
    verbose_name = _("Outbox of the agency")
