"""The agency's outbox. Home: the agency's schema."""

from django.utils.translation import gettext_lazy as _

from services.outbox.models import OutboundBase


class OutboundMessage(OutboundBase):
    """A mail or SMS to the agency's people, waiting in the agency's own schema to be sent
    (services/outbox/delivery.py)."""

    class Meta(OutboundBase.Meta):
        # The table it had when it lived in the people app: moved without moving data
        # (outbox_agency 0001 and people 0003 change Django's state only).
        db_table = "people_outboundmessage"
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
