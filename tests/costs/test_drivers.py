"""Driver snapshots: one tenant-aware task per agency reads that agency's schema and writes
its rows to public; rerunning replaces them; the agency task fails closed without a schema."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from config.celery import MissingAgencyContext
from services.costs import drivers, tasks
from services.costs.models import DriverSnapshot
from services.field.models import VisitDriver
from services.ordering.models import Budget, Subscription
from services.people.models import Person
from services.projects.models import Project, ProjectShare
from services.support.models import Ticket
from tests.costs import builders as b
from tests.ordering.catalogue import build_catalogue

pytestmark = pytest.mark.django_db


def _values(period, agency):
    return {
        (kind, ref): value
        for kind, ref, value in DriverSnapshot.objects.filter(
            period=period, agency=agency
        ).values_list("kind", "ref_id", "value")
    }


def test_the_fan_out_snapshots_each_agency_from_its_own_schema(federation):
    # given March 2026 and, in alpha's schema, a subscription, tickets and a budget
    cat = build_catalogue(prefix="cd")
    mail = cat.mail.service_id
    per = b.period()
    project = Project.objects.create(name="GIS", budget_ore=1)
    ProjectShare.objects.create(project=project, agency=federation.alpha, weight=Decimal("30"))
    VisitDriver.objects.create(
        agency=federation.alpha, month=per.month, visits=3, minutes_on_site=90, minutes_travel=30
    )
    march = timezone.make_aware(dt.datetime(2026, 3, 10, 12))
    with tenant_context(federation.alpha):
        person = Person.objects.create(name="P", email="p@alpha.example")
        Subscription.objects.create(
            offering=cat.mail, quantity=10, unit_monthly_ore=5000, starts_on=dt.date(2026, 1, 1)
        )
        Subscription.objects.create(  # ended before March: not counted
            offering=cat.mail,
            quantity=1,
            unit_monthly_ore=1,
            starts_on=dt.date(2025, 1, 1),
            ends_on=dt.date(2026, 2, 28),
            state="ended",
        )
        for proactive in (False, False, True):
            Ticket.objects.create(
                requester=person,
                channel="web",
                subject="x",
                service_id=mail,
                is_proactive=proactive,
                created_at=march,
            )
        Budget.objects.create(year=2026, amount_ore=1_200_000_05)
    # when the fan-out task runs (eagerly: one agency task per agency)
    sent = tasks.snapshot_drivers.delay(per.pk).get()
    # then alpha's rows are in public, beta's too (with nothing but its headcount)
    assert sent == 2
    alpha = _values(per, federation.alpha)
    assert alpha == {
        ("headcount", 0): Decimal(100),
        ("licence_seats", 0): Decimal(0),
        ("subscriptions", mail): Decimal(50000),
        ("subscriptions", 0): Decimal(50000),
        ("tickets", mail): Decimal(2),
        ("tickets", 0): Decimal(2),
        ("visits", 0): Decimal(3),
        ("visit_minutes", 0): Decimal(120),
        ("project_shares", project.pk): Decimal(30),
        ("project_shares", 0): Decimal(30),
        ("budget", 0): Decimal(100_000_01),  # 1 200 000.05 kr / 12: March carries an extra öre
    }
    assert _values(per, federation.beta)[("headcount", 0)] == Decimal(200)
    # and running it again changes nothing
    tasks.snapshot_drivers.delay(per.pk).get()
    assert _values(per, federation.alpha) == alpha
    assert DriverSnapshot.objects.filter(period=per).count() == len(alpha) + 7


def test_monthly_budgets_sum_to_the_year():
    # 100 000 007 öre = 12 x 8 333 333 + 11: the first eleven months carry one öre more
    assert [drivers.monthly_budget(1_000_000_07, m) for m in range(1, 13)] == [83_333_34] * 11 + [
        83_333_33
    ]
    assert sum(drivers.monthly_budget(1_000_000_07, m) for m in range(1, 13)) == 1_000_000_07


def test_the_agency_task_refuses_to_run_without_an_agency(federation):
    per = b.period()
    connection.set_schema_to_public()
    with pytest.raises(MissingAgencyContext):
        tasks.snapshot_agency_drivers.apply(args=(per.pk,)).get()
    assert DriverSnapshot.objects.count() == 0


def test_a_closed_period_is_not_snapshotted(federation):
    from django.core.exceptions import ValidationError

    per = b.period(state="closed")
    with tenant_context(federation.alpha), pytest.raises(ValidationError) as err:
        drivers.snapshot_agency(per.pk)
    assert err.value.error_dict["period"][0].code == "period_closed"
