from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeatsConfig(AppConfig):
    name = "services.licences.seats"
    label = "seats"
    verbose_name = _("Licence seats of the agency's people")

    def ready(self) -> None:
        from services.licences.seats.actions import release_person
        from services.licences.seats.personal_data import HOLDER
        from services.people import gdpr
        from services.people.actions import person_deactivated
        from services.people.models import Person
        from tenants.models import Agency

        def on_deactivated(sender: object, *, agency: Agency, person: Person, **kw: object) -> None:
            release_person(agency, person.pk)

        person_deactivated.connect(on_deactivated, weak=False, dispatch_uid="seats-release")
        gdpr.register(HOLDER)  # what it holds of a person: export and anonymisation
