"""Test settings: real PostgreSQL (configured or embedded), eager tasks unless a test asks."""

from config.embedded_db import ensure_database_url

ensure_database_url()  # with no DATABASE_URL: find or start the embedded PostgreSQL

import os

from .base import *  # noqa: F403

SECRET_KEY = "samnav-test-only"
DEBUG = False
SAMNAV_DEMO_ENABLED = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True
SAMNAV_ARCHIVE_DIR = BASE_DIR / ".test-archives"  # noqa: F405

# Separate test databases for runs side by side on one server (SAMNAV_TEST_DB=test_samnav_x).
DATABASES["default"]["TEST"] = {  # noqa: F405
    "NAME": os.environ.get("SAMNAV_TEST_DB", "test_samnav"),
}
