from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgencyKnowledgeConfig(AppConfig):
    name = "services.knowledge.agency"
    label = "agencyknowledge"
    verbose_name = _("Agency knowledge base")
