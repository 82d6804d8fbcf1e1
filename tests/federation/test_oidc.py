"""Sign-in per agency through OpenID Connect (issue 19, part 1), against panva's certified
oidc-provider run by node."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django_tenants.utils import tenant_context

from services.agencies.federation.models import IdentityProvider
from services.audit.models import AuditEvent
from services.people.models import Person
from tenants.models import RoleGrant, User
from tests.federation.helpers import SECRET_ENV, configure, oidc_sign_in
from tests.graphql import host_of

pytestmark = pytest.mark.django_db


def _provider(federation, oidc, agency, name="Entra", **fields) -> IdentityProvider:
    idp = configure(
        federation.user(f"{agency.slug}-admin"),
        agency,
        kind="oidc",
        name=name,
        discovery_url=oidc.discovery_url,
        client_id=f"samnav-{agency.slug}-entra",
        client_secret_ref=SECRET_ENV,
        **(
            {"group_roles": {"samnav-admins": "agency_admin"}, "default_role": "agency_staff"}
            | fields
        ),
    )
    assert idp.key == f"{agency.slug}-entra"
    return idp


def test_sign_in_creates_the_identity_and_the_person_just_in_time(federation, oidc):
    idp = _provider(federation, oidc, federation.alpha)
    host = host_of(federation.alpha)
    client = Client(HTTP_HOST=host)
    page = client.get("/accounts/login/")
    assert "Entra" in page.content.decode()
    assert client.get(f"/accounts/oidc/{idp.key}/login/").status_code == 200  # GET: no redirect
    start = Client(HTTP_HOST=host).post(f"/accounts/oidc/{idp.key}/login/")
    assert "code_challenge_method=S256" in start["Location"]  # PKCE

    answer, _callback = oidc_sign_in(client, host, idp.key, "anna")

    assert answer.status_code == 302 and answer["Location"] == "/", answer.content[:500]
    account = SocialAccount.objects.get(provider=idp.key, uid="anna")
    user = account.user
    assert user.username == "alpha-entra:anna" and not user.has_usable_password()
    assert account.extra_data == {"mfa": False}  # nothing personal kept in public
    roles = set(RoleGrant.objects.filter(user=user).values_list("role", "agency_id"))
    assert roles == {("agency_admin", federation.alpha.pk), ("agency_staff", federation.alpha.pk)}
    with tenant_context(federation.alpha):
        person = Person.objects.get(user_id=user.pk)
    assert (person.name, person.email) == ("Anna Andersson", "anna.andersson@alfa.example")
    assert client.get("/").status_code == 200
    actions = set(
        AuditEvent.objects.filter(object_id=str(user.pk)).values_list("action", flat=True)
    )
    assert {"federation.identity_created", "federation.signed_in"} <= actions


def test_the_subject_finds_the_same_identity_and_the_groups_set_the_roles(federation, oidc):
    idp = _provider(federation, oidc, federation.alpha)
    host = host_of(federation.alpha)
    oidc_sign_in(Client(HTTP_HOST=host), host, idp.key, "anna")
    user = User.objects.get(username="alpha-entra:anna")
    # The directory moves Anna out of the admins' group: her admin role goes at the next sign-in.
    IdentityProvider.objects.filter(pk=idp.pk).update(group_roles={"other": "agency_admin"})
    answer, _ = oidc_sign_in(Client(HTTP_HOST=host), host, idp.key, "anna")
    assert answer.status_code == 302
    assert User.objects.filter(username__startswith="alpha-entra:").count() == 1
    roles = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
    assert roles == {"agency_staff"}


def test_a_provider_is_found_only_on_its_agencys_host(federation, oidc):
    alpha = _provider(federation, oidc, federation.alpha)
    beta = _provider(federation, oidc, federation.beta)
    on_beta = Client(HTTP_HOST=host_of(federation.beta))
    assert on_beta.post(f"/accounts/oidc/{alpha.key}/login/").status_code == 404
    assert (
        Client(HTTP_HOST=host_of(None)).post(f"/accounts/oidc/{beta.key}/login/").status_code == 404
    )
    assert "Entra" not in Client(HTTP_HOST=host_of(None)).get("/accounts/login/").content.decode()


def test_a_session_of_agency_a_never_serves_agency_b(federation, oidc):
    idp = _provider(federation, oidc, federation.alpha)
    host = host_of(federation.alpha)
    client = Client(HTTP_HOST=host)
    oidc_sign_in(client, host, idp.key, "anna")
    user = User.objects.get(username="alpha-entra:anna")
    # Even were the identity given a role in Beta, and the cookie carried there:
    RoleGrant.objects.create(user=user, role="agency_staff", agency=federation.beta)
    beta = Client(HTTP_HOST=host_of(federation.beta))
    beta.cookies = client.cookies
    assert beta.get("/").status_code == 403
    assert beta.post("/graphql/", {"query": "{ people { id } }"}).status_code == 403
    central = Client(HTTP_HOST=host_of(None))
    central.cookies = client.cookies
    assert central.get("/").status_code == 403
    # ...and the provider refuses to sign it in again while it holds a role elsewhere.
    answer, _ = oidc_sign_in(Client(HTTP_HOST=host), host, idp.key, "anna")
    assert answer.status_code == 403


def test_no_role_no_sign_in_and_nothing_written(federation, oidc):
    idp = _provider(federation, oidc, federation.alpha, default_role="", group_roles={})
    host = host_of(federation.alpha)
    answer, _ = oidc_sign_in(Client(HTTP_HOST=host), host, idp.key, "cecilia")
    assert answer.status_code == 403
    assert "no role" in answer.content.decode() or "ingen roll" in answer.content.decode()
    assert not User.objects.filter(username__startswith="alpha-entra:").exists()
    assert AuditEvent.objects.filter(action="federation.sign_in_refused").exists()


def test_a_code_is_used_once(federation, oidc):
    idp = _provider(federation, oidc, federation.alpha)
    host = host_of(federation.alpha)
    client = Client(HTTP_HOST=host)
    _answer, callback = oidc_sign_in(client, host, idp.key, "anna")
    other = Client(HTTP_HOST=host)
    replayed = other.get(callback)
    assert replayed.status_code in (200, 403) and "_auth_user_id" not in other.session


def test_a_wrong_secret_is_refused(federation, oidc, monkeypatch):
    idp = _provider(federation, oidc, federation.alpha)
    monkeypatch.setenv(SECRET_ENV, "not-the-secret")
    host = host_of(federation.alpha)
    client = Client(HTTP_HOST=host)
    answer, _ = oidc_sign_in(client, host, idp.key, "anna")
    assert answer.status_code == 403 and "_auth_user_id" not in client.session
    assert not User.objects.filter(username__startswith="alpha-entra:").exists()


def test_the_providers_second_factor_counts(federation, oidc, settings):
    settings.SAMNAV_MFA_REQUIRED = True
    idp = _provider(federation, oidc, federation.alpha)
    host = host_of(federation.alpha)
    with_password = Client(HTTP_HOST=host)
    oidc_sign_in(with_password, host, idp.key, "anna", amr="pwd")
    assert with_password.get("/").status_code == 302  # to the second factor
    with_key = Client(HTTP_HOST=host)
    oidc_sign_in(with_key, host, idp.key, "anna", amr="pwd,hwk")
    assert with_key.get("/").status_code == 200


def test_sign_out_ends_the_session_here_and_at_the_provider(federation, oidc):
    idp = _provider(federation, oidc, federation.alpha)
    host = host_of(federation.alpha)
    client = Client(HTTP_HOST=host)
    oidc_sign_in(client, host, idp.key, "anna")
    out = client.post("/accounts/logout/")
    assert out.status_code == 302
    assert out["Location"].startswith(f"{oidc.issuer}/session/end")
    assert "client_id=samnav-alpha-entra" in out["Location"]
    assert "_auth_user_id" not in client.session


def test_central_its_provider_grants_central_roles_on_the_central_host_only(federation, oidc):
    idp = configure(
        federation.user("root"),
        federation.central,
        kind="oidc",
        name="Entra",
        discovery_url=oidc.discovery_url,
        client_id="samnav-public-entra",
        client_secret_ref=SECRET_ENV,
        group_roles={"it-desk": "service_desk_agent"},
    )
    assert idp.key == "public-entra", idp.key
    client = Client(HTTP_HOST=host_of(None))
    answer, _ = oidc_sign_in(client, host_of(None), idp.key, "desk")
    assert answer.status_code == 302, answer.content[:300]
    user = User.objects.get(username=f"{idp.key}:desk")
    assert set(RoleGrant.objects.filter(user=user).values_list("role", "agency_id")) == {
        ("service_desk_agent", None)
    }
    assert client.get("/").status_code == 200
    on_alpha = Client(HTTP_HOST=host_of(federation.alpha))
    on_alpha.cookies = client.cookies
    assert on_alpha.get("/").status_code == 403


def test_a_missing_subject_claim_is_refused_not_a_server_error(federation, oidc):
    idp = _provider(federation, oidc, federation.alpha, subject_claim="oid")  # absent here
    host = host_of(federation.alpha)
    answer, _ = oidc_sign_in(Client(HTTP_HOST=host), host, idp.key, "anna")
    assert answer.status_code == 403
    assert "did not say who you are" in answer.content.decode()
    assert not User.objects.filter(username__startswith=f"{idp.key}:").exists()


def test_forms_may_lead_to_the_provider_and_nowhere_else(federation, oidc):
    idp = _provider(federation, oidc, federation.alpha)
    host = host_of(federation.alpha)
    client = Client(HTTP_HOST=host)
    # the sign-in page's buttons, and every page of a session the provider signed in (its
    # "Sign out" ends the session at the provider too), may send the browser there
    assert oidc.issuer in client.get("/accounts/login/")["Content-Security-Policy"]
    oidc_sign_in(client, host, idp.key, "anna")
    assert oidc.issuer in client.get("/")["Content-Security-Policy"]
    # a password session's pages, and another agency's sign-in page, do not
    other = Client(HTTP_HOST=host)
    other.force_login(federation.user("alpha-staff"))
    assert oidc.issuer not in other.get("/")["Content-Security-Policy"]
    beta = Client(HTTP_HOST=host_of(federation.beta)).get("/accounts/login/")
    assert oidc.issuer not in beta["Content-Security-Policy"]
