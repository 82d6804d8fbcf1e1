"""Development settings: `make run` and manage.py in a checkout."""

from config.embedded_db import ensure_database_url

ensure_database_url()  # with no DATABASE_URL: find or start the embedded PostgreSQL

from .base import *  # noqa: F403
from .base import env_bool

SECRET_KEY = SECRET_KEY or "samnav-local-development-only"  # noqa: F405
DEBUG = env_bool("DJANGO_DEBUG", True)
SAMNAV_DEMO_ENABLED = True
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "127.0.0.1"]  # noqa: F405
# Development mail is written to files in .mail/ (one per message), not sent.
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = BASE_DIR / ".mail"  # noqa: F405
