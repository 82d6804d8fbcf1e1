"""Agency B's rows of every kind, for the isolation matrix: the demo's own loaders, run for
beta alone inside the test's transaction (alpha gets nothing, so any row an alpha caller sees
can only be a leak), plus the few kinds the demo makes only for a full federation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django_tenants.utils import schema_context

from services.people.models import Person


def populate_beta(fed) -> None:
    from demo.data.bookings import load_agency_bookings
    from demo.data.calendars import load_calendars
    from demo.data.catalogue import load_catalogue
    from demo.data.devices import load_agency_devices, load_agency_loan
    from demo.data.hubs import load_hubs
    from demo.data.knowledge import load_knowledge
    from demo.data.licences import load_licences
    from demo.data.ordering import load_agency_history
    from demo.data.replacements import load_agency_proposals
    from demo.data.supplier_contracts import load_supplier_contracts
    from demo.data.support import load_agency_tickets
    from demo.data.technicians import load_technicians
    from demo.data.visits import load_agency_visits
    from services.agencies.tokens import issue_api_token
    from services.catalogue.models import Service
    from services.costs.demo import load_costs
    from services.incidents.models import IncidentTicket, MajorIncident
    from services.people.scim.actions import create_token as create_scim_token
    from services.projects import actions as projects
    from services.support.models import Ticket

    beta = fed.beta
    admin, desk = fed.user("beta-admin"), fed.user("desk")
    with schema_context(beta.schema_name):
        for name in ("beta-admin", "beta-staff"):
            Person.objects.get_or_create(
                user_id=fed.users[name].pk,
                defaults={"name": f"Person {name}", "email": f"{name}@beta.example"},
            )
    for name in ("beta-admin", "beta-staff"):  # their API tokens, for the ApiToken rows
        issue_api_token(fed.user(name), "beta")
    create_scim_token(beta, None, "beta IdP")  # a SCIM token, for the ScimToken rows
    from services.agencies.federation import actions as federation
    from tenants.viewer import Viewer

    federation.create_provider(  # an identity provider, for the IdentityProvider rows
        Viewer.of(admin, beta),
        beta,
        federation.ProviderInput(
            kind="oidc",
            name="Beta Entra",
            discovery_url="https://login.beta.example/v2.0",
            client_id="samnav",
            client_secret_ref="BETA_SECRET",
            default_role="agency_staff",
        ),
    )
    calendars = load_calendars()
    hubs = load_hubs(calendars)
    load_technicians("demo-password-1")
    load_catalogue()
    load_supplier_contracts()
    load_licences([beta])
    load_knowledge([beta])
    load_agency_history(beta, admin, desk)
    load_agency_tickets(beta, desk)
    load_agency_visits(beta, desk)
    load_agency_devices(beta, desk, hubs)
    load_agency_loan(beta, desk, hubs, -6, 21)  # an overdue loaner lent to beta's person
    load_agency_bookings(beta, admin, desk, hubs)
    load_agency_proposals(beta)
    load_costs([beta])

    # A joint project of beta with a third agency (never alpha), with a milestone.
    from services.agencies import actions as tenant_actions

    gamma = tenant_actions.onboard_agency(
        None,
        tenant_actions.AgencyInput(
            name="Länsstyrelsen Gamma", slug="gamma", org_number="2021998030"
        ),
    )
    project = projects.create_project(
        None,
        name="Beta's project",
        purpose="",
        budget_ore=100_000,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    projects.set_shares(
        None,
        project,
        [
            {"agency": beta.pk, "share": Decimal(1)},
            {"agency": gamma.pk, "share": Decimal(1)},
        ],
    )
    projects.add_milestone(None, project, name="Beta's milestone", due_on=dt.date(2026, 6, 1))

    # A major incident that beta alone reported.
    with schema_context(beta.schema_name):
        ticket = Ticket.objects.order_by("id").first()
    incident = MajorIncident.objects.create(
        service=Service.objects.order_by("id").first(),
        window_starts_at=timezone.now() - dt.timedelta(hours=1),
        agencies_reported=1,
    )
    IncidentTicket.objects.create(incident=incident, agency=beta, ticket_id=ticket.pk)

    # A satisfaction rating of that ticket by its requester (support's satisfaction app).
    from services.support.satisfaction.models import Rating

    with schema_context(beta.schema_name):
        Rating.objects.create(ticket=ticket, score=2, comment="Beta's rating", channel="web")

    # A mail to one of beta's people that the server refused for good.
    from services.crossindex.models import IndexEntry, IndexKind
    from services.outbox.agency.models import OutboundMessage
    from services.outbox.models import Channel, MessageState
    from services.outbox.queue import put

    with schema_context(beta.schema_name):
        (bounced,) = put(
            Channel.EMAIL, ["beta-staff@beta.example"], "Body", subject="Beta's bounced mail"
        )
        OutboundMessage.objects.filter(pk=bounced.pk).update(
            state=MessageState.FAILED, attempts=8, last_error="SMTPRecipientsRefused"
        )
    IndexEntry.objects.filter(agency=beta, kind=IndexKind.OUTBOX, local_id=bounced.pk).update(
        state=MessageState.FAILED
    )

    _beta_visit_seat_and_article(fed, desk, admin)
    _beta_orders(beta, admin, desk)


def _beta_visit_seat_and_article(fed, desk, admin) -> None:
    """The kinds the demo makes only for its own named agencies."""
    from demo.data.visits import OPEN_TICKET_STATES
    from services.catalogue.models import Service
    from services.field.visits import actions as visits
    from services.knowledge import actions as knowledge
    from services.licences.models import AgencyQuota
    from services.licences.seats.actions import assign_seat
    from services.support.models import Ticket

    beta = fed.beta
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=3)
    with schema_context(beta.schema_name):
        ticket_id = (
            Ticket.objects.filter(state__in=OPEN_TICKET_STATES)
            .order_by("id")
            .values_list("id", flat=True)
            .first()
        )
        person_id = Person.objects.get(user_id=fed.users["beta-staff"].pk).pk
    visits.request_visit(
        beta,
        desk,
        visits.NewVisit(
            ticket_id=ticket_id,
            place_kind="office",
            windows=[(start, start + dt.timedelta(hours=3))],
            street_address="Kontoret",
            county="AB",
        ),
    )
    quota = AgencyQuota.objects.filter(agency=beta).order_by("id").first()
    AgencyQuota.objects.filter(pk=quota.pk).update(held_seats=quota.held_seats + 1)
    assign_seat(beta, admin, person_id, quota.pool_id)
    knowledge.create_agency_article(
        beta,
        admin,
        knowledge.ArticleInput(
            service_id=Service.objects.order_by("id").first().pk,
            title="Beta's own article",
            body="Only for beta.",
            published=True,
        ),
    )


def _beta_orders(beta, admin, desk) -> None:
    """Two orders of beta's placed now, one fulfilled (a subscription) and one in central IT's
    queue: the demo's history has neither on 1 January and leaves its open orders on days
    drawn per agency, so the matrix cannot rely on it for them."""
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from services.catalogue.models import Lifecycle
    from services.catalogue.selectors import not_orderable_reason, offerings_with_prices
    from services.ordering import actions as ordering
    from services.ordering import fulfilment
    from services.ordering.models import OrderState
    from services.ordering.quotes import LineRequest

    today = timezone.localdate()
    placed = []
    for offering in offerings_with_prices().filter(lifecycle=Lifecycle.ACTIVE).order_by("code"):
        if not_orderable_reason(offering, beta, today) is not None:
            continue
        try:
            with transaction.atomic():
                order = ordering.place_order(
                    beta, admin, [LineRequest(offering.pk, offering.min_quantity)], note="Matrix"
                )
        except ValidationError:
            continue  # a prerequisite or an exclusion: try the next offering
        if order.state == OrderState.AWAITING_FULFILMENT:
            placed.append(order)
        if len(placed) == 2:
            fulfilment.fulfil_order(beta, desk, placed[0].pk, starts_on=today)
            return
    raise AssertionError("beta could not place two orders that await fulfilment")
