"""Development settings: `make run` and manage.py in a checkout."""

from config.embedded_db import ensure_database_url

ensure_database_url()  # with no DATABASE_URL: find or start the embedded PostgreSQL

import os

from .base import *  # noqa: F403
from .base import env_bool

SECRET_KEY = SECRET_KEY or "samnav-local-development-only"  # noqa: F405
DEBUG = env_bool("DJANGO_DEBUG", True)
SAMNAV_DEMO_ENABLED = True
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "127.0.0.1"]  # noqa: F405
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
