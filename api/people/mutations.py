"""Mutations of the people register (agency host): admins add, edit, deactivate, import,
export and anonymise; every member corrects their own contact details."""

from __future__ import annotations

import base64
import binascii
import json

import graphene
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from api.core.mutations import SamnavMutation
from api.core.permissions import current_user
from api.core.refs import agency_of_host, local_id
from api.people.types import PersonNode
from services.people import actions, gdpr, imports
from services.people.errors import PeopleErrorCode
from services.validation import field_error


class PeopleMutation(SamnavMutation):
    class Meta:
        abstract = True

    error_codes = PeopleErrorCode
    error_type_name = "PeopleError"

    @classmethod
    def check_permission(cls, info):
        if current_user(info) is None:
            raise PermissionDenied(_("Sign in first."))  # the actions check roles


class ContactInput(graphene.InputObjectType):
    email = graphene.String()
    phone = graphene.String()
    street_address = graphene.String(description="Home address, for field visits at home.")
    postal_code = graphene.String()
    city = graphene.String()
    work_street_address = graphene.String(description="Work address, for visits at work.")
    work_postal_code = graphene.String()
    work_city = graphene.String()


class PersonInput(ContactInput):
    name = graphene.String(required=True)
    cost_centre = graphene.String()
    employment_ends_on = graphene.Date()


class PersonUpdateInput(ContactInput):
    name = graphene.String()
    cost_centre = graphene.String()
    employment_ends_on = graphene.Date()


def _person(value: str) -> int:
    return local_id(value, "Person", "person")


class CreatePerson(PeopleMutation):
    class Arguments:
        input = PersonInput(required=True)

    person = graphene.Field(PersonNode)

    @classmethod
    def perform(cls, info, input):
        person = actions.create_person(
            agency_of_host(info), current_user(info), actions.PersonInput(**dict(input))
        )
        return {"person": person}


class UpdatePerson(PeopleMutation):
    """Change the fields sent; the others keep their values."""

    class Arguments:
        person = graphene.ID(required=True)
        input = PersonUpdateInput(required=True)

    person = graphene.Field(PersonNode)

    @classmethod
    def perform(cls, info, person, input):
        row = actions.update_person(
            agency_of_host(info), current_user(info), _person(person), **dict(input)
        )
        return {"person": row}


class _SetPersonActive(PeopleMutation):
    class Meta:
        abstract = True

    active = True

    class Arguments:
        person = graphene.ID(required=True)

    person = graphene.Field(PersonNode)

    @classmethod
    def perform(cls, info, person):
        row = actions.set_active(
            agency_of_host(info), current_user(info), _person(person), active=cls.active
        )
        return {"person": row}


class DeactivatePerson(_SetPersonActive):
    """The person left: their seats are released and their roles here end."""

    active = False


class ReactivatePerson(_SetPersonActive):
    active = True


class UpdateMyDetails(PeopleMutation):
    """Correct your own contact details in your agency's register."""

    class Arguments:
        input = ContactInput(required=True)

    person = graphene.Field(PersonNode)

    @classmethod
    def perform(cls, info, input):
        row = actions.update_own_details(agency_of_host(info), current_user(info), **dict(input))
        return {"person": row}


class ImportPeople(PeopleMutation):
    """Add or update people from a CSV file: all of it, or nothing (errors name the lines)."""

    class Arguments:
        content_base64 = graphene.String(required=True, description="The CSV file, base64.")

    created = graphene.Int()
    updated = graphene.Int()

    @classmethod
    def perform(cls, info, content_base64):
        try:
            content = base64.b64decode(content_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise field_error("contentBase64", _("Not base64."), PeopleErrorCode.INVALID) from exc
        result = imports.import_people(agency_of_host(info), current_user(info), content)
        return {"created": result.created, "updated": result.updated}


class ExportPerson(PeopleMutation):
    """Everything held of a person (GDPR article 15), as one JSON document. A mutation: each
    export is audited."""

    class Arguments:
        person = graphene.ID(required=True)

    document = graphene.JSONString()

    @classmethod
    def perform(cls, info, person):
        document = gdpr.export_person(agency_of_host(info), current_user(info), _person(person))
        return {"document": json.loads(json.dumps(document, default=str))}


class AnonymisePerson(PeopleMutation):
    """Erase what identifies a person (GDPR article 17); records the service needs stay,
    naming an anonymised person."""

    class Arguments:
        person = graphene.ID(required=True)

    person = graphene.Field(PersonNode)

    @classmethod
    def perform(cls, info, person):
        row, _changed = gdpr.anonymise_person(
            agency_of_host(info), current_user(info), _person(person)
        )
        return {"person": row}


class PeopleMutations(graphene.ObjectType):
    create_person = CreatePerson.Field()
    update_person = UpdatePerson.Field()
    deactivate_person = DeactivatePerson.Field()
    reactivate_person = ReactivatePerson.Field()
    update_my_details = UpdateMyDetails.Field()
    import_people = ImportPeople.Field()
    export_person = ExportPerson.Field()
    anonymise_person = AnonymisePerson.Field()
