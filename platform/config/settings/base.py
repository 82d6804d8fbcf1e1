"""Settings shared by every environment. Values come from the environment (design.md §8)."""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import env_bool
from .federation import *  # noqa: F403 (django-allauth: federated sign-in)
from .limits import *  # noqa: F403 (GraphQL, sessions, rate limits, CSP)
from .limits import RATELIMIT_CACHE

BASE_DIR = Path(__file__).resolve().parents[3]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False

# --- Hosts ------------------------------------------------------------------------------------
# The central host serves central IT and finance; <agency>.<SAMNAV_BASE_DOMAIN> serves agencies.
SAMNAV_BASE_DOMAIN = os.environ.get("SAMNAV_BASE_DOMAIN", "localhost")
SAMNAV_CENTRAL_HOST = os.environ.get("SAMNAV_CENTRAL_HOST", SAMNAV_BASE_DOMAIN)
ALLOWED_HOSTS = [SAMNAV_CENTRAL_HOST, f".{SAMNAV_BASE_DOMAIN}"]
# How people reach the portal, for the links in what it sends (tenants/hosts.py): a mail links
# to its ticket at <scheme>://<host>[:<port>]/...
SAMNAV_PORTAL_SCHEME = os.environ.get("SAMNAV_PORTAL_SCHEME", "https")
SAMNAV_PORTAL_PORT = os.environ.get("SAMNAV_PORTAL_PORT", "")

# --- Apps: every app has exactly one home, shared (public schema) or agency (its schema) ------
SHARED_APPS = [
    "django_tenants",
    "tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.admin",
    "django.contrib.staticfiles",
    "graphene_django",
    # Failed sign-ins and lockouts (django-axes), federation-wide. Before services.agencies:
    # axes' signal receivers then run before the sign-in audit's (services/agencies/signin.py).
    "axes",
    # A second factor (issue 19): TOTP devices and recovery codes, per identity, in public.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",  # passkeys, per identity, in public
    "services.audit",
    "services.catalogue",
    "services.crossindex",
    "services.licences",
    "services.calendars",
    "services.hubs",
    "services.field",
    "services.incidents",
    "services.knowledge",
    "services.projects",
    "services.costs",
    "services.outbox",
    "services.agencies",
    "services.support.inbound",
    "services.support.desk",  # canned answers and saved queue views of the service desk
    # Federated sign-in per agency (issue 19): django-allauth's OpenID Connect and SAML 2.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "services.agencies.federation",
    # The demo federation and `serve`: the top layer, may import everything.
    "demo",
]
TENANT_APPS = [
    "services.people",
    "services.ordering",
    "services.licences.seats",
    "services.devices",
    "services.support",
    "services.support.satisfaction",  # one rating per resolved ticket (support's satisfaction)
    "services.field.visits",
    "services.hubs.bookings",
    "services.devices.replacements",
    "services.knowledge.agency",
    "services.outbox.agency",
    "services.people.scim",  # SCIM tokens of the agency (issue 19)
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Agency"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
# New agencies are cloned from this migrated template schema (a real tenant row, so that
# migrate_schemas keeps it current) instead of running every migration.
TENANT_BASE_SCHEMA = "samnav_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
TENANT_MIGRATION_ORDER = ["id"]  # the template (created first) leads
# migrate_schemas skips schemas with nothing to apply, and offboarded agencies' dropped schemas.
GET_EXECUTOR_FUNCTION = "tenants.migration_executors.get_executor"
TENANT_MULTIPROCESSING_MAX_PROCESSES = int(os.environ.get("MIGRATE_PROCESSES", "2"))
SHOW_PUBLIC_IF_NO_TENANT_FOUND = False

DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]

AUTH_USER_MODEL = "tenants.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out username at an address
    "django.contrib.auth.backends.ModelBackend",
    "django_otp_webauthn.backends.WebAuthnBackend",  # a passkey, without a password
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"


MIDDLEWARE = [
    # Request id, request log line and metrics; then the probes, answered before tenant routing
    # when the Host is a pod IP (config/health.py).
    "config.observability.RequestContextMiddleware",
    "config.health.ProbeMiddleware",
    "tenants.middleware.AgencyRoutingMiddleware",  # django-tenants routing, 400 if unknown
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tenants.middleware.ApiTokenMiddleware",
    "allauth.account.middleware.AccountMiddleware",  # allauth's sign-in state and redirects
    "tenants.sessions.SessionLifetimeMiddleware",  # idle and absolute limits of a session
    "config.ratelimits.RateLimitMiddleware",  # 429 with Retry-After (below)
    "tenants.middleware.IdentityLifecycleMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): a second factor given
    "tenants.second_factor.SecondFactorMiddleware",  # ask for it where it is required
    "tenants.middleware.AgencyAccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "services.validation.NoticeMiddleware",  # "invisible characters were removed", after a write
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy (below)
    # ...which lets forms lead to the host's identity providers (services/agencies/federation)
    "services.agencies.federation.csp.ProviderFormsMiddleware",
    "config.headers.PermissionsPolicyMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as axes documents: a locked-out sign-in's page
]

ROOT_URLCONF = "routes.agency"
PUBLIC_SCHEMA_URLCONF = "routes.central"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "platform" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.nav.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# --- Database ---------------------------------------------------------------------------------
DATABASES: dict[str, dict[str, Any]] = {
    "default": {
        **dj_database_url.parse(
            os.environ.get("DATABASE_URL", "postgresql://postgres@localhost:5432/samnav"),
            conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        ),
        "ENGINE": "django_tenants.postgresql_backend",
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: keys are agency-aware (django-tenants' key function) ------------------------------
CACHES = {
    "default": {
        "BACKEND": os.environ.get("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": os.environ.get("CACHE_LOCATION", "samnav"),
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}

CACHES["ratelimit"] = RATELIMIT_CACHE  # config/settings/limits.py

# --- Internationalisation: Swedish by default, English selectable -----------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]  # English the British way (config/formats/)
USE_I18N = True
TIME_ZONE = "Europe/Stockholm"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "platform" / "static"]
SAMNAV_ARCHIVE_DIR = Path(os.environ.get("SAMNAV_ARCHIVE_DIR", BASE_DIR / "archives"))

# --- Celery: tenant-aware, late ack, eager without a broker (design.md §9) --------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# `make run` gives its own queue name, so that a test worker on the same broker never takes it.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "")
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE

# --- Demo -------------------------------------------------------------------------------------
SAMNAV_DEMO_ENABLED = False
SAMNAV_DEMO_PASSWORD = os.environ.get("SAMNAV_DEMO_PASSWORD", "samnav-demo")

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every record carries the agency (schema) and the request id (config/observability.py);
    # LOG_FORMAT=json writes one JSON object a line (the production default).
    "filters": {"context": {"()": "config.observability.LogContextFilter"}},
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(agency)s %(request_id)s] %(message)s"
        },
        "json": {"()": "config.observability.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["context"],
            "formatter": os.environ.get("LOG_FORMAT", "plain"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING").upper()},
}

# --- Licences: periodic shared work (services/licences/tasks.py), run by the one beat ---------
from celery.schedules import crontab  # noqa: E402

SAMNAV_LICENCE_UNUSED_DAYS = int(os.environ.get("SAMNAV_LICENCE_UNUSED_DAYS", "60"))
SAMNAV_CENTRAL_IT_EMAIL = os.environ.get("SAMNAV_CENTRAL_IT_EMAIL", "it-central@samnav.invalid")
CELERY_BEAT_SCHEDULE = {
    **globals().get("CELERY_BEAT_SCHEDULE", {}),
    "licences-check-alerts": {
        "task": "services.licences.tasks.check_licence_alerts",
        "schedule": crontab(hour=6, minute=0),
    },
    "licences-snapshot-seats": {  # on the 1st, for the month just ended
        "task": "services.licences.tasks.snapshot_seats",
        "schedule": crontab(day_of_month=1, hour=1, minute=30),
    },
}
CELERY_BEAT_SCHEDULE["seats-release-leavers"] = {  # one task per active agency, in its schema
    "task": "tenants.tasks.for_each_agency",
    "schedule": crontab(hour=5, minute=0),
    "args": ["services.licences.seats.tasks.release_leavers_seats"],
}
CELERY_BEAT_SCHEDULE["support-escalate"] = {
    "task": "services.support.tasks.escalate_tickets",
    "schedule": 120.0,  # seconds
}

# --- Field support, hubs and proactive support (issue 6) -------------------------------------
# A major incident opens when tickets about one service arrive from this many agencies within
# this many minutes (services/incidents/).
SAMNAV_MAJOR_INCIDENT_AGENCIES = int(os.environ.get("SAMNAV_MAJOR_INCIDENT_AGENCIES", "3"))
SAMNAV_MAJOR_INCIDENT_MINUTES = int(os.environ.get("SAMNAV_MAJOR_INCIDENT_MINUTES", "30"))
# Devices whose warranty or planned replacement falls within this many days get a proposal.
SAMNAV_LIFECYCLE_DAYS = int(os.environ.get("SAMNAV_LIFECYCLE_DAYS", "60"))
# The catalogue offerings that may replace a device of each kind, tried in order: the first the
# agency may order is proposed ({} or unset: DEFAULT_OFFERINGS in
# services/devices/replacements/proposals.py).
SAMNAV_DEVICE_REPLACEMENT_OFFERINGS: dict[str, list[str]] = {}
# Hub booking reminders go out this many hours before the slot.
SAMNAV_BOOKING_REMINDER_HOURS = int(os.environ.get("SAMNAV_BOOKING_REMINDER_HOURS", "24"))
# How far ahead a hub slot may be booked: later days show no slots, and booking one is refused.
SAMNAV_BOOKING_HORIZON_DAYS = int(os.environ.get("SAMNAV_BOOKING_HORIZON_DAYS", "180"))
CELERY_BEAT_SCHEDULE["incidents-correlate"] = {
    "task": "services.incidents.tasks.correlate_tickets",
    "schedule": float(os.environ.get("SAMNAV_CORRELATE_SECONDS", "60")),
}
CELERY_BEAT_SCHEDULE["lifecycle-proposals"] = {  # one task per active agency, in its schema
    "task": "tenants.tasks.for_each_agency",
    "schedule": crontab(hour=4, minute=30),
    "args": ["services.devices.replacements.tasks.propose_replacements"],
}
CELERY_BEAT_SCHEDULE["outbox-sweep"] = {  # mail and SMS whose delivery task was lost
    "task": "services.outbox.tasks.sweep_outbox",
    "schedule": 60.0,
}
# Sent mail and SMS are kept this many days, failed ones this many (services/outbox/retention.py).
SAMNAV_OUTBOX_KEEP_SENT_DAYS = int(os.environ.get("SAMNAV_OUTBOX_KEEP_SENT_DAYS", "30"))
SAMNAV_OUTBOX_KEEP_FAILED_DAYS = int(os.environ.get("SAMNAV_OUTBOX_KEEP_FAILED_DAYS", "90"))
CELERY_BEAT_SCHEDULE["outbox-purge-agencies"] = {  # one task per active agency, in its schema
    "task": "tenants.tasks.for_each_agency",
    "schedule": crontab(hour=3, minute=15),
    "args": ["services.outbox.tasks.purge_agency_messages"],
}
CELERY_BEAT_SCHEDULE["outbox-purge-central"] = {
    "task": "services.outbox.tasks.purge_central_messages",
    "schedule": crontab(hour=3, minute=10),
}
# Held inbound mail (services/support/channels/held_mail.py): decided mail is deleted after
# this many days, undecided mail after twice as many.
SAMNAV_HELD_MAIL_KEEP_DAYS = int(os.environ.get("SAMNAV_HELD_MAIL_KEEP_DAYS", "30"))
CELERY_BEAT_SCHEDULE["held-mail-purge"] = {
    "task": "services.support.channels.held_mail.purge_held_mail",
    "schedule": crontab(hour=3, minute=20),
}
CELERY_BEAT_SCHEDULE["bookings-reminders"] = {
    "task": "services.hubs.bookings.tasks.send_reminders",
    "schedule": crontab(minute="*/15"),
}
CELERY_BEAT_SCHEDULE["bookings-no-shows"] = {
    "task": "services.hubs.bookings.tasks.record_no_shows",
    "schedule": crontab(minute="*/15"),
}
# Loaners (services/devices/loans.py): lent for at most this many days; an overdue borrower is
# reminded on the first overdue day and then every this many days (daily beat task).
SAMNAV_LOAN_MAX_DAYS = int(os.environ.get("SAMNAV_LOAN_MAX_DAYS", "90"))
SAMNAV_LOAN_REMINDER_DAYS = int(os.environ.get("SAMNAV_LOAN_REMINDER_DAYS", "7"))
CELERY_BEAT_SCHEDULE["loaners-overdue-reminders"] = {
    "task": "services.hubs.tasks.remind_overdue_loaners",
    "schedule": crontab(hour=8, minute=0),
}

# --- Support channels: e-mail in/out, SMS (services/support/channels/) ------------------------
# Outgoing mail goes through Django's e-mail backend (SMTP by default) from the support
# mailbox's address, so that replies come back to the mailbox that is polled.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
SAMNAV_SUPPORT_EMAIL = os.environ.get("SAMNAV_SUPPORT_EMAIL", "support@samnav.invalid")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", SAMNAV_SUPPORT_EMAIL)
# Inbound endpoints on the central host. Empty secrets (the default) refuse every request:
# production must set them (X-Samnav-Token for /inbound/email/; HMAC-SHA256 key for the
# X-Samnav-Signature of /inbound/sms/).
SAMNAV_INBOUND_EMAIL_TOKEN = os.environ.get("SAMNAV_INBOUND_EMAIL_TOKEN", "")
# The authserv-id the receiving mail gateway writes in its Authentication-Results header
# (RFC 8601; services/support/channels/email_auth.py). Mail it did not authenticate is held.
SAMNAV_INBOUND_EMAIL_AUTHSERV_ID = os.environ.get("SAMNAV_INBOUND_EMAIL_AUTHSERV_ID", "")
SAMNAV_INBOUND_EMAIL_MAX_BYTES = int(os.environ.get("SAMNAV_INBOUND_EMAIL_MAX_BYTES", "31457280"))
SAMNAV_SMS_WEBHOOK_SECRET = os.environ.get("SAMNAV_SMS_WEBHOOK_SECRET", "")
# A webhook signed longer ago (or later) than this is refused: a replay (services/support/).
SAMNAV_SMS_WEBHOOK_TOLERANCE = int(os.environ.get("SAMNAV_SMS_WEBHOOK_TOLERANCE", "300"))
SAMNAV_SMS_MAX_BYTES = int(os.environ.get("SAMNAV_SMS_MAX_BYTES", str(16 * 1024)))
# The mailbox polled over IMAP (only when a host is set).
SAMNAV_IMAP_HOST = os.environ.get("SAMNAV_IMAP_HOST", "")
SAMNAV_IMAP_SSL = env_bool("SAMNAV_IMAP_SSL", True)
SAMNAV_IMAP_PORT = int(os.environ.get("SAMNAV_IMAP_PORT", "993" if SAMNAV_IMAP_SSL else "143"))
SAMNAV_IMAP_USER = os.environ.get("SAMNAV_IMAP_USER", "")
SAMNAV_IMAP_PASSWORD = os.environ.get("SAMNAV_IMAP_PASSWORD", "")
SAMNAV_IMAP_MAILBOX = os.environ.get("SAMNAV_IMAP_MAILBOX", "INBOX")
SAMNAV_IMAP_TIMEOUT = int(os.environ.get("SAMNAV_IMAP_TIMEOUT", "30"))
SAMNAV_IMAP_POLL_SECONDS = float(os.environ.get("SAMNAV_IMAP_POLL_SECONDS", "60"))
# SMS out: "46elks" (api.46elks.com, basic auth) or "recording" (keeps messages in memory;
# the default when no 46elks credentials are set).
SAMNAV_46ELKS_USERNAME = os.environ.get("SAMNAV_46ELKS_USERNAME", "")
SAMNAV_46ELKS_PASSWORD = os.environ.get("SAMNAV_46ELKS_PASSWORD", "")
SAMNAV_46ELKS_URL = os.environ.get("SAMNAV_46ELKS_URL", "https://api.46elks.com/a1/sms")
SAMNAV_SMS_SENDER = os.environ.get("SAMNAV_SMS_SENDER", "Samnav")
SAMNAV_SMS_TIMEOUT = int(os.environ.get("SAMNAV_SMS_TIMEOUT", "10"))
SAMNAV_SMS_PROVIDER = os.environ.get(
    "SAMNAV_SMS_PROVIDER", "46elks" if SAMNAV_46ELKS_USERNAME else "recording"
)
# The channel tasks live outside the apps' tasks.py modules: import them in every worker.
CELERY_IMPORTS = [
    *globals().get("CELERY_IMPORTS", ()),
    "services.support.channels.email_in",
    "services.support.channels.held_mail",
    "services.support.email_out",
    "services.support.channels.sms",
]
if SAMNAV_IMAP_HOST:
    CELERY_BEAT_SCHEDULE["support-poll-mailbox"] = {
        "task": "services.support.channels.email_in.poll_mailbox",
        "schedule": SAMNAV_IMAP_POLL_SECONDS,
    }
