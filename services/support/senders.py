"""Who sent this? The agency and person behind an e-mail address or a phone number.

People live in each agency's own schema, so a sender is looked up across the schemas of the
active member agencies: one SQL query per batch of up to 200 agencies (a UNION ALL over
"<schema>".people_person, as tenants/migration_executors.py reads migrations), never one
query per schema. Exactly one match is a sender; none is `UnknownSender`; several (the same
address in two agencies, or twice in one) is `AmbiguousSender`. Nothing is filed in either
case: the caller asks the sender who they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from services.people.contact import normalise_email, normalise_phone
from services.people.models import Person
from tenants.models import Agency, AgencyState

BATCH = 200


class SenderError(Exception):
    """The sender cannot be tied to exactly one person of one agency."""


class UnknownSender(SenderError):
    pass


class AmbiguousSender(SenderError):
    def __init__(self, matches: list[tuple[int, int]]) -> None:
        super().__init__(f"{len(matches)} people match")
        self.matches = matches  # (agency id, person id)


@dataclass(frozen=True)
class Sender:
    agency: Agency
    person: Person


# The same normalisation in SQL, applied to the stored numbers (people type them as they like).
_SQL_DIGITS = r"""regexp_replace(phone, '[^0-9+]', '', 'g')"""
_SQL_ONE_PLUS = f"""(left({_SQL_DIGITS}, 1) || replace(substr({_SQL_DIGITS}, 2), '+', ''))"""
_SQL_PLUS = f"""(CASE WHEN {_SQL_ONE_PLUS} LIKE '00%%' THEN '+' || substr({_SQL_ONE_PLUS}, 3)
  WHEN {_SQL_ONE_PLUS} LIKE '0%%' THEN '+46' || substr({_SQL_ONE_PLUS}, 2)
  ELSE {_SQL_ONE_PLUS} END)"""
SQL_PHONE = f"""(CASE WHEN {_SQL_PLUS} LIKE '+460%%' THEN '+46' || substr({_SQL_PLUS}, 5)
  ELSE {_SQL_PLUS} END)"""

# Leavers whose employment has ended no longer speak for their agency. "Today" is Stockholm's
# date from Django's clock, passed in: the server's CURRENT_DATE is UTC's and not the tests'.
_CURRENT = "is_active AND (employment_ends_on IS NULL OR employment_ends_on >= %s)"


def _active_agencies() -> list[Agency]:
    return list(Agency.objects.members().filter(state=AgencyState.ACTIVE).order_by("pk"))


def _matches(where: str, value: str) -> list[tuple[int, int]]:
    """(agency id, person id) of every current person whose `where` holds for `value`."""
    agencies = _active_agencies()
    found: list[tuple[int, int]] = []
    with connection.cursor() as cursor:
        for i in range(0, len(agencies), BATCH):
            batch = agencies[i : i + BATCH]
            # Schema names come from the Agency rows (validated at onboarding), not from input.
            sql = " UNION ALL ".join(
                f'SELECT %s, id FROM "{a.schema_name}".people_person '  # noqa: S608
                f"WHERE {where} AND {_CURRENT}"
                for a in batch
            )
            params: list = []
            today = timezone.localdate()
            for a in batch:
                params += [a.pk, value, today]
            cursor.execute(sql, params)
            found += [(row[0], row[1]) for row in cursor.fetchall()]
    return found


def _one(found: list[tuple[int, int]]) -> Sender:
    if not found:
        raise UnknownSender("nobody matches")
    if len(found) > 1:
        raise AmbiguousSender(found)
    agency_id, person_id = found[0]
    agency = Agency.objects.get(pk=agency_id)
    with tenant_context(agency):
        person = Person.objects.get(pk=person_id)
    return Sender(agency, person)


def by_email(address: str) -> Sender:
    value = normalise_email(address)
    if not value:
        raise UnknownSender("not an e-mail address")
    return _one(_matches("lower(email) = %s", value))


def by_phone(number: str) -> Sender:
    value = normalise_phone(number)
    if not value:
        raise UnknownSender("not a phone number")
    return _one(_matches(f"phone <> '' AND {SQL_PHONE} = %s", value))
