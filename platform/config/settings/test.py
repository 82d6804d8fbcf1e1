"""Test settings: real PostgreSQL (configured or embedded), eager tasks unless a test asks."""

from config.embedded_db import ensure_database_url

ensure_database_url()  # with no DATABASE_URL: find or start the embedded PostgreSQL

from config import testclock

testclock.start()  # one controllable clock for this process and those it starts

import os

from .base import *  # noqa: F403

SECRET_KEY = "samnav-test-only"
DEBUG = False
SAMNAV_DEMO_ENABLED = True
LANGUAGE_CODE = "en"  # tests assert the English source strings; test_i18n.py checks Swedish
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# axes' lockout backend, which also lets the test client's login() (no request) through to
# ModelBackend; sign-ins over HTTP are locked out as in production (tests/signin/).
AUTHENTICATION_BACKENDS = [
    "tests.signin.backends.RequestlessLoginBackend",
    *AUTHENTICATION_BACKENDS[1:],  # noqa: F405
]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True
SAMNAV_ARCHIVE_DIR = BASE_DIR / ".test-archives"  # noqa: F405
SAMNAV_INBOUND_EMAIL_AUTHSERV_ID = "mx.samnav.test"  # the tests' mail gateway
# The suite signs the same people in thousands of times a minute: limits far above that, and
# tests/security/test_rate_limits.py sets small ones.
SAMNAV_RATE_LIMITS = dict.fromkeys(SAMNAV_RATE_LIMITS, "100000/m")  # noqa: F405

# Separate test databases for runs side by side on one server (SAMNAV_TEST_DB=test_samnav_x).
DATABASES["default"]["TEST"] = {  # noqa: F405
    "NAME": os.environ.get("SAMNAV_TEST_DB", "test_samnav"),
}

# A real Celery worker started by a broker test (tests/platform/test_celery_worker.py) runs
# with these settings and SAMNAV_CELERY_WORKER=1: it takes its broker and result backend from
# the environment instead of running eagerly. Remote control is off, so the worker leaves no
# broadcast queues behind on a shared broker.
if os.environ.get("SAMNAV_CELERY_WORKER") == "1":
    CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
    CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "")
    CELERY_TASK_ALWAYS_EAGER = False
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
    # RabbitMQ: a 2 s AMQP heartbeat wakes the worker's event loop every second. Without it
    # the solo worker's poll sleeps up to 10 s when the next message already sits in its read
    # buffer (seen here between tasks), and again on a warm shutdown.
    CELERY_BROKER_HEARTBEAT = 2
SAMNAV_MFA_REQUIRED = False  # the second-factor tests (tests/signin/) turn it on
