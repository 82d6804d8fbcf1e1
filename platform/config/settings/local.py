"""Development settings: `make run` and manage.py in a checkout."""

from config.embedded_db import ensure_database_url

ensure_database_url()  # with no DATABASE_URL: find or start the embedded PostgreSQL

import os

from .base import *  # noqa: F403
from .env import env_bool

SECRET_KEY = SECRET_KEY or "samnav-local-development-only"  # noqa: F405
DEBUG = env_bool("DJANGO_DEBUG", True)
SAMNAV_DEMO_ENABLED = True
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "127.0.0.1"]  # noqa: F405
# `make run` serves plain HTTP on port 8000: the links in its mails (in .mail/) lead there.
SAMNAV_PORTAL_SCHEME = os.environ.get("SAMNAV_PORTAL_SCHEME", "http")
SAMNAV_PORTAL_PORT = os.environ.get("SAMNAV_PORTAL_PORT", "8000")
# Development mail is written to files in .mail/ (one per message), not sent.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = BASE_DIR / ".mail"  # noqa: F405

# --- Serving `make run` (docs/decisions/2026-12-06-serving-the-demo.md) ---------------------
# No persistent connections: a connection per request, closed after it. Django's development
# server (`serve --runserver`) runs a thread per request, and each one's persistent connection
# outlived it until PostgreSQL refused clients; gunicorn's threads would keep a few open idle.
DATABASES = {  # noqa: F405
    **DATABASES,  # noqa: F405
    "default": {
        **DATABASES["default"],  # noqa: F405
        "CONN_MAX_AGE": int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    },
}
# Static files served by WhiteNoise as in production, from the apps' folders (no collectstatic).
MIDDLEWARE = list(MIDDLEWARE)  # noqa: F405
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Channels and background work in `make run` (docs/decisions/2026-12-07-make-run-worker-beat.md)
# Every channel is open with development secrets (printed in the banner; `manage.py
# try_channel` sends a test message through the real endpoint). Production has no defaults.
SAMNAV_INBOUND_EMAIL_TOKEN = SAMNAV_INBOUND_EMAIL_TOKEN or "samnav-dev-email-token"  # noqa: F405
SAMNAV_SMS_WEBHOOK_SECRET = SAMNAV_SMS_WEBHOOK_SECRET or "samnav-dev-sms-secret"  # noqa: F405
SAMNAV_INBOUND_EMAIL_AUTHSERV_ID = SAMNAV_INBOUND_EMAIL_AUTHSERV_ID or "mx.samnav.localhost"  # noqa: F405
# `manage.py serve` starts a worker and beat and passes them, and the web processes, the broker
# it chose (config/broker.py). The filesystem transport needs its folders and no remote control.
if CELERY_BROKER_URL.startswith("filesystem://"):  # noqa: F405
    from config.broker import filesystem_options

    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_options(BASE_DIR)  # noqa: F405
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
SAMNAV_MFA_REQUIRED = env_bool("SAMNAV_MFA_REQUIRED", False)  # the demo: said on sign-in
