"""Sign-in per agency through SAML 2 (issue 19, part 1), against pysaml2's identity provider:
signed responses accepted; tampered, wrong-audience, expired and replayed ones refused; single
logout from the identity provider."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from config import testclock
from services.people.models import Person
from tenants.models import RoleGrant, User
from tests.federation.helpers import configure, post_to_acs, saml_sign_in
from tests.federation.saml_idp import MFA_CONTEXT
from tests.graphql import host_of

pytestmark = pytest.mark.django_db

ANNA = {
    "subject": "anna-0001",
    "attributes": {
        "mail": ["anna.andersson@alfa.example"],
        "displayName": ["Anna Andersson"],
        "groups": ["samnav-admins"],
    },
}


def _provider(federation, idp, agency, *, by_url=True, **fields):
    provider = configure(
        federation.user(f"{agency.slug}-admin"),
        agency,
        kind="saml",
        name="Sweden Connect",
        entity_id=idp.entity_id,
        **({"metadata_url": idp.metadata_url} if by_url else {"metadata_xml": idp.metadata}),
        **(
            {"group_roles": {"samnav-admins": "agency_admin"}, "default_role": "agency_staff"}
            | fields
        ),
    )
    metadata = Client(HTTP_HOST=host_of(agency)).get(f"/accounts/saml/{provider.key}/metadata/")
    assert metadata.status_code == 200
    idp.trust(metadata.content.decode())
    return provider


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_a_signed_assertion_signs_the_person_in(federation, saml_idp):
    provider = _provider(federation, saml_idp, federation.alpha)
    client = Client(HTTP_HOST=host_of(federation.alpha))
    answer = saml_sign_in(client, saml_idp, provider.key, **ANNA)
    assert answer.status_code == 302 and answer["Location"] == "/", answer.content[:400]
    user = SocialAccount.objects.get(provider=provider.key, uid="anna-0001").user
    assert set(RoleGrant.objects.filter(user=user).values_list("role", flat=True)) == {
        "agency_admin",
        "agency_staff",
    }
    with tenant_context(federation.alpha):
        person = Person.objects.get(user_id=user.pk)
    assert (person.name, person.email) == ("Anna Andersson", "anna.andersson@alfa.example")
    assert client.get("/").status_code == 200


def test_the_service_providers_metadata_is_per_agency_host(federation, saml_idp):
    provider = _provider(federation, saml_idp, federation.alpha, by_url=False)
    text = (
        Client(HTTP_HOST=host_of(federation.alpha))
        .get(f"/accounts/saml/{provider.key}/metadata/")
        .content.decode()
    )
    assert f"http://alpha.localhost/accounts/saml/{provider.key}/acs/" in text
    on_beta = Client(HTTP_HOST=host_of(federation.beta))
    assert on_beta.get(f"/accounts/saml/{provider.key}/metadata/").status_code == 404


def test_a_tampered_assertion_is_refused(federation, saml_idp):
    provider = _provider(federation, saml_idp, federation.alpha)
    client = Client(HTTP_HOST=host_of(federation.alpha))
    start = client.post(f"/accounts/saml/{provider.key}/login/")
    acs, response, relay = saml_idp.answer(start["Location"], **ANNA)
    xml = base64.b64decode(response).decode()
    assert "anna-0001" in xml
    forged = base64.b64encode(xml.replace("anna-0001", "root").encode()).decode()
    answer = post_to_acs(client, acs, forged, relay)
    assert answer.status_code == 403 and not _signed_in(client)
    assert not User.objects.filter(username__startswith=f"{provider.key}:").exists()


def test_an_assertion_for_another_audience_is_refused(federation, saml_idp):
    alpha = _provider(federation, saml_idp, federation.alpha)
    beta = _provider(federation, saml_idp, federation.beta)
    client = Client(HTTP_HOST=host_of(federation.alpha))
    start = client.post(f"/accounts/saml/{alpha.key}/login/")
    beta_entity = f"http://beta.localhost/accounts/saml/{beta.key}/metadata/"
    acs, response, relay = saml_idp.answer(start["Location"], audience=beta_entity, **ANNA)
    answer = post_to_acs(
        client, f"http://alpha.localhost/accounts/saml/{alpha.key}/acs/", response, relay
    )
    assert answer.status_code == 403 and not _signed_in(client)


def test_an_expired_assertion_is_refused(federation, saml_idp):
    provider = _provider(federation, saml_idp, federation.alpha)
    client = Client(HTTP_HOST=host_of(federation.alpha))
    start = client.post(f"/accounts/saml/{provider.key}/login/")
    acs, response, relay = saml_idp.answer(start["Location"], **ANNA)
    testclock.rewind(timezone.now() + dt.timedelta(minutes=10))  # the response lives 5
    answer = post_to_acs(client, acs, response, relay)
    assert answer.status_code == 403 and not _signed_in(client)


def test_a_response_is_accepted_once(federation, saml_idp):
    provider = _provider(federation, saml_idp, federation.alpha)
    client = Client(HTTP_HOST=host_of(federation.alpha))
    start = client.post(f"/accounts/saml/{provider.key}/login/")
    acs, response, relay = saml_idp.answer(start["Location"], **ANNA)
    assert post_to_acs(client, acs, response, relay).status_code == 302
    again = Client(HTTP_HOST=host_of(federation.alpha))
    assert post_to_acs(again, acs, response, relay).status_code == 403
    assert not _signed_in(again)


def test_an_authentication_context_of_loa3_is_a_second_factor(federation, saml_idp, settings):
    settings.SAMNAV_MFA_REQUIRED = True
    provider = _provider(federation, saml_idp, federation.alpha)
    with_password = Client(HTTP_HOST=host_of(federation.alpha))
    saml_sign_in(with_password, saml_idp, provider.key, **ANNA)
    assert with_password.get("/").status_code == 302
    with_eid = Client(HTTP_HOST=host_of(federation.alpha))
    saml_sign_in(with_eid, saml_idp, provider.key, context=MFA_CONTEXT, **ANNA)
    assert with_eid.get("/").status_code == 200


def test_sign_out_from_the_identity_provider_ends_the_session(federation, saml_idp):
    provider = _provider(federation, saml_idp, federation.alpha)
    client = Client(HTTP_HOST=host_of(federation.alpha))
    saml_sign_in(client, saml_idp, provider.key, **ANNA)
    assert _signed_in(client)
    sp_entity = f"http://alpha.localhost/accounts/saml/{provider.key}/metadata/"
    slo = f"http://alpha.localhost/accounts/saml/{provider.key}/sls/"
    location = saml_idp.logout_request(sp_entity, slo, "anna-0001")
    answer = client.get(location.replace("http://alpha.localhost", ""))
    assert answer.status_code == 302, answer.content[:300]
    assert not _signed_in(client)


def test_sign_out_here_asks_the_identity_provider_to_end_its_session(federation, saml_idp):
    provider = _provider(federation, saml_idp, federation.alpha)
    client = Client(HTTP_HOST=host_of(federation.alpha))
    saml_sign_in(client, saml_idp, provider.key, **ANNA)
    out = client.post("/accounts/logout/")
    assert out.status_code == 302 and out["Location"].startswith(
        f"{saml_idp.base}/idp/slo?SAMLRequest="
    )
    assert not _signed_in(client)
