"""Satisfaction: the requester rates a resolved ticket on its page or through the signed link
of the resolution mail (one rating per ticket; rating again replaces it), the link works only
for its ticket, resolution and agency, and the results per agency, service and agent reach the
compliance page."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from config import testclock
from services.support import actions
from services.support.models import Channel, Ticket
from services.support.satisfaction import links
from services.support.satisfaction.mail import rating_lines
from services.support.satisfaction.models import Rating
from services.support.satisfaction.selectors import results
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _open(federation, people, agency=None, who="staff"):
    agency = agency or federation.alpha
    return actions.open_ticket(
        agency,
        people[f"{agency.slug}-{who}"],
        actions.NewTicket(subject="Skrivaren skriver inte"),
        channel=Channel.WEB,
    )


def _resolve(federation, agency, ticket) -> Ticket:
    actions.change_state(agency, federation.user("desk"), ticket.pk, "resolved")
    with schema_context(agency.schema_name):
        return Ticket.objects.get(pk=ticket.pk)


def _rating(agency, ticket):
    with schema_context(agency.schema_name):
        return Rating.objects.filter(ticket_id=ticket.pk).first()


def _client(user: str, host: str = "alpha.localhost") -> Client:
    client = Client(HTTP_HOST=host)
    assert client.login(username=user, password=PASSWORD)
    return client


def test_the_requester_rates_on_the_ticket_page_and_may_change_it(federation, people):
    ticket = _open(federation, people)
    client = _client("alpha-staff")
    # not resolved yet: no form, and a posted rating is refused with the reason
    assert 'name="score"' not in client.get(f"/support/{ticket.pk}/").content.decode()
    refused = client.post(f"/support/{ticket.pk}/rate/", {"score": "5"}, follow=True)
    assert "Only a resolved ticket can be rated." in refused.content.decode()
    assert _rating(federation.alpha, ticket) is None
    ticket = _resolve(federation, federation.alpha, ticket)
    page = client.get(f"/support/{ticket.pk}/").content.decode()
    assert page.count('name="score"') == 5
    # one click: a score, with a comment
    client.post(f"/support/{ticket.pk}/rate/", {"score": "5", "comment": "Snabbt och bra."})
    rating = _rating(federation.alpha, ticket)
    assert (rating.score, rating.comment, rating.channel) == (5, "Snabbt och bra.", "web")
    # rating again replaces the score; an empty comment keeps the earlier one
    client.post(f"/support/{ticket.pk}/rate/", {"score": "2"})
    rating = _rating(federation.alpha, ticket)
    assert (rating.score, rating.comment) == (2, "Snabbt och bra.")
    # a score out of range: the field and the reason, nothing changed
    bad = client.post(f"/support/{ticket.pk}/rate/", {"score": "9"}, follow=True)
    assert "Choose a rating from 1 to 5." in bad.content.decode()
    assert _rating(federation.alpha, ticket).score == 2


def test_only_the_requester_rates(federation, people):
    ticket = _resolve(federation, federation.alpha, _open(federation, people))
    # the agency's admin sees the ticket but does not rate it for the requester
    admin = _client("alpha-admin")
    assert 'name="score"' not in admin.get(f"/support/{ticket.pk}/").content.decode()
    assert admin.post(f"/support/{ticket.pk}/rate/", {"score": "1"}).status_code == 403
    # another agency's member: as if the ticket did not exist
    assert _client("beta-staff", "beta.localhost").post(
        f"/support/{ticket.pk}/rate/", {"score": "1"}
    ).status_code in (403, 404)
    assert _rating(federation.alpha, ticket) is None


def test_the_mail_link_rates_once_clicked_and_only_its_ticket(federation, people):
    ticket = _resolve(federation, federation.alpha, _open(federation, people))
    [paragraph] = rating_lines(federation.alpha, ticket)
    urls = re.findall(r"https?://\S+", paragraph)
    assert len(urls) == 5 and all("alpha." in u for u in urls)
    path = urls[0].split("localhost", 1)[1].split(":8000", 1)[-1]
    path = path[path.index("/support/") :]
    anonymous = Client(HTTP_HOST="alpha.localhost")
    # opening the link (as a mail scanner would) records nothing
    page = anonymous.get(path)
    assert page.status_code == 200 and "Skrivaren skriver inte" in page.content.decode()
    assert _rating(federation.alpha, ticket) is None
    # one click sends it
    token_path = path.split("?")[0]
    anonymous.post(token_path, {"score": "5", "comment": "Tack!"})
    rating = _rating(federation.alpha, ticket)
    assert (rating.score, rating.comment, rating.channel) == (5, "Tack!", "email")
    # the same link again replaces the score (a replay changes nothing else)
    anonymous.post(token_path, {"score": "4"})
    assert _rating(federation.alpha, ticket).score == 4
    # on another agency's host, forged, or for another resolution: a missing page
    assert Client(HTTP_HOST="beta.localhost").get(token_path).status_code == 404
    assert anonymous.get(token_path[:-3] + "xx/").status_code == 404
    assert anonymous.post(token_path[:-3] + "xx/", {"score": "1"}).status_code == 404
    actions.change_state(federation.alpha, federation.user("desk"), ticket.pk, "open")
    assert anonymous.post(token_path, {"score": "1"}).status_code == 404
    assert _rating(federation.alpha, ticket).score == 4


def test_a_link_expires(federation, people):
    ticket = _resolve(federation, federation.alpha, _open(federation, people))
    token = links.make_token(federation.alpha, ticket)
    assert links.read_token(token) is not None
    testclock.rewind(timezone.now() + dt.timedelta(days=links.rating_days(), minutes=1))
    response = Client(HTTP_HOST="alpha.localhost").post(f"/support/rate/{token}/", {"score": "5"})
    assert response.status_code == 404
    assert _rating(federation.alpha, ticket) is None


def test_results_per_agency_service_and_agent_on_the_compliance_page(federation, people, cat):
    for score in (5, 4, 1):
        ticket = _open(federation, people)
        with schema_context(federation.alpha.schema_name):
            Ticket.objects.filter(pk=ticket.pk).update(
                service=cat.mail.service, assignee_id=federation.user("desk").pk
            )
        ticket = _resolve(federation, federation.alpha, ticket)
        with schema_context(federation.alpha.schema_name):
            Rating.objects.create(
                ticket=ticket, score=score, channel="web", agent_id=federation.user("desk").pk
            )
    now = timezone.now()
    found = results(
        [federation.alpha, federation.beta],
        now - dt.timedelta(days=1),
        now + dt.timedelta(days=1),
        agents=True,
    )
    assert [(f.label, f.ratings, f.average, f.satisfied_percent) for f in found.by_agency] == [
        (federation.alpha.name, 3, 3.3, 66),
        (federation.beta.name, 0, None, None),
    ]
    assert [(f.label, f.ratings) for f in found.by_service] == [(cat.mail.service.name, 3)]
    assert [(f.label, f.ratings) for f in found.by_agent] == [("desk", 3)]
    central = _client("fin", "localhost").get("/support/compliance/").content.decode()
    assert "Satisfaction per agent" in central and cat.mail.service.name in central
    own = _client("alpha-admin").get("/support/compliance/").content.decode()
    assert "Satisfaction per service" in own and "Satisfaction per agent" not in own
