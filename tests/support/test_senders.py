"""Finding a sender's agency and person from an e-mail address or a phone number, across the
agencies' schemas in batched UNION queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from services.people.contact import normalise_phone
from services.people.models import Person
from services.support import senders
from tenants.models import Agency, AgencyState

pytestmark = pytest.mark.django_db


def person(agency, name, **fields):
    with schema_context(agency.schema_name):
        return Person.objects.create(name=name, **fields)


def union_queries(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if '".people_person ' in q["sql"]]


def test_an_address_finds_its_one_person_and_agency_in_one_query(federation):
    # given people with addresses in alpha and beta
    anna = person(federation.alpha, "Anna Alfa", email="Anna.Berg@alpha.example")
    person(federation.beta, "Bo Beta", email="bo@beta.example")
    # when the address is looked up, in another case
    with CaptureQueriesContext(connection) as ctx:
        found = senders.by_email("  anna.berg@ALPHA.example ")
    # then it is Anna of alpha, found with one query over both schemas
    assert (found.agency.slug, found.person.pk, found.person.name) == ("alpha", anna.pk, anna.name)
    sql = union_queries(ctx)
    assert len(sql) == 1
    assert '"agency_alpha".people_person' in sql[0] and '"agency_beta".people_person' in sql[0]


def test_agencies_are_read_in_batches_of_the_batch_size(federation, monkeypatch):
    # given a batch size of one and two active agencies
    monkeypatch.setattr(senders, "BATCH", 1)
    person(federation.beta, "Bo Beta", email="bo@beta.example")
    # when an address is looked up
    with CaptureQueriesContext(connection) as ctx:
        found = senders.by_email("bo@beta.example")
    # then one query per agency was made, and the person found
    assert found.agency.slug == "beta"
    assert len(union_queries(ctx)) == 2


def test_nobody_and_not_an_address_are_unknown_senders(federation):
    # given a person without an address (blank must never match blank)
    person(federation.alpha, "No Mail", email="")
    # when / then
    for address in ("stranger@example.org", "", "not an address"):
        with pytest.raises(senders.UnknownSender):
            senders.by_email(address)


def test_the_same_address_in_two_agencies_is_ambiguous(federation):
    # given the same address in alpha and beta
    a = person(federation.alpha, "Kim i Alfa", email="kim@example.se")
    b = person(federation.beta, "Kim i Beta", email="KIM@example.se")
    # when it is looked up
    with pytest.raises(senders.AmbiguousSender) as exc:
        senders.by_email("kim@example.se")
    # then both matches are named
    assert sorted(exc.value.matches) == sorted(
        [(federation.alpha.pk, a.pk), (federation.beta.pk, b.pk)]
    )


def test_leavers_and_suspended_agencies_do_not_speak(federation):
    # given a leaver in alpha with the same address as a current colleague in beta
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    person(federation.alpha, "Gone", email="moved@example.se", employment_ends_on=yesterday)
    moved = person(federation.beta, "Moved", email="moved@example.se")
    # when looked up, then only the current one counts
    assert senders.by_email("moved@example.se").person.pk == moved.pk
    # given beta is suspended, then nobody there is found
    Agency.objects.filter(pk=federation.beta.pk).update(state=AgencyState.SUSPENDED)
    with pytest.raises(senders.UnknownSender):
        senders.by_email("moved@example.se")


FORMATS = [
    ("070-123 45 67", "+46701234567"),
    ("0701234567", "+46701234567"),
    ("+46 70 123 45 67", "+46701234567"),
    ("+46 (0)70-123 45 67", "+46701234567"),
    ("0046701234567", "+46701234567"),
    ("+358 40 123 4567", "+358401234567"),
    ("08-123 456 78", "+46812345678"),
    ("ring mig", ""),
    ("", ""),
]


@pytest.mark.parametrize(("raw", "expected"), FORMATS)
def test_phone_numbers_normalise_alike_in_python_and_in_sql(raw, expected, db):
    # when the number is normalised by Python and by the SQL expression of the lookup
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {senders.SQL_PHONE} FROM (VALUES (%s)) AS t(phone)",  # noqa: S608
            [raw],
        )
        in_sql = cursor.fetchone()[0]
    # then both give the E.164 form (SQL may keep junk that matches no valid number)
    assert normalise_phone(raw) == expected
    if expected:
        assert in_sql == expected


def test_a_phone_number_finds_its_person_whatever_the_format(federation):
    # given a number stored the way people type them
    pia = person(federation.beta, "Pia", phone="070-123 45 67")
    person(federation.alpha, "Other", phone="+46 70 765 43 21")
    # when the provider sends it in E.164 or national form, then Pia of beta is found
    for number in ("+46701234567", "0701234567", "+46 70-123 45 67"):
        found = senders.by_phone(number)
        assert (found.agency.slug, found.person.pk) == ("beta", pia.pk)
    # and an unknown number is unknown
    with pytest.raises(senders.UnknownSender):
        senders.by_phone("+46709999999")


def test_the_same_phone_in_two_agencies_is_ambiguous(federation):
    person(federation.alpha, "Delad A", phone="0731112233")
    person(federation.beta, "Delad B", phone="+46 73 111 22 33")
    with pytest.raises(senders.AmbiguousSender):
        senders.by_phone("+46731112233")
