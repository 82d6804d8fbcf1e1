"""Paths served on every host."""

from django.urls import include, path

from api.core.view import SamnavGraphQLView
from config import health
from routes import todo as _todo_providers  # noqa: F401 - registers the to-do providers
from services.agencies import second_factor, views
from services.agencies import todo as todo_list
from services.agencies.federation import pages as federation
from services.support.portal import accessibility

common_patterns = [
    path("", views.home, name="home"),
    path("todo/", todo_list.todo, name="todo"),
    path("accounts/login/", second_factor.SignInView.as_view(), name="login"),
    path("accounts/second-factor/", second_factor.verify, name="second-factor"),
    path("accounts/second-factor/enrol/", second_factor.enrol, name="second-factor-enrol"),
    path("accounts/second-factor/recovery/", second_factor.recovery, name="second-factor-recovery"),
    path("accounts/passkeys/", include("django_otp_webauthn.urls")),  # WebAuthn ceremonies
    path("accounts/logout/", federation.sign_out, name="logout"),
    # Federated sign-in (django-allauth): /accounts/oidc/<key>/login/[callback/] and
    # /accounts/saml/<key>/{login,acs,sls,metadata}/, for the host's own providers only.
    path("accounts/", include("allauth.socialaccount.providers.openid_connect.urls")),
    path("accounts/", include("allauth.socialaccount.providers.saml.urls")),
    path("accounts/federated/", include("services.agencies.federation.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The accessibility statement (DIGG's model), open to anyone; members report on it.
    path("accessibility/", accessibility.statement, name="accessibility"),
    path("accessibility/report/", accessibility.report, name="accessibility-report"),
    path("graphql/", SamnavGraphQLView.as_view(), name="graphql"),
    # Probes on a named host; a pod-IP host is answered earlier by config.health.ProbeMiddleware.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
