from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboundConfig(AppConfig):
    """The shared half of support's channels: what arrived from the SMS provider, by its id,
    so that a retried or replayed delivery files nothing new (in public: the sender's agency is
    not known until the message is read)."""

    name = "services.support.inbound"
    label = "support_inbound"
    verbose_name = _("Inbound deliveries")
