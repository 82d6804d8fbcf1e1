"""Production settings come from the environment, with no default secret (design.md §8)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

LOAD_PRODUCTION = """
import json
from django.core.exceptions import ImproperlyConfigured
try:
    from config.settings import production as s
except ImproperlyConfigured as exc:
    print(json.dumps({"refused": str(exc)}))
else:
    print(json.dumps({
        "DEBUG": s.DEBUG,
        "SECRET_KEY": s.SECRET_KEY,
        "SAMNAV_DEMO_ENABLED": s.SAMNAV_DEMO_ENABLED,
        "SAMNAV_GRAPHQL": s.SAMNAV_GRAPHQL,
        "DATABASE_NAME": s.DATABASES["default"]["NAME"],
        "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
        "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    }))
"""

SECRET = "a-long-production-secret-for-the-test-only-0123456789"
DATABASE_URL = "postgresql://samnav@db.example:5432/samnav_prod"


def _load_production(**env: str) -> dict:
    """Import the production settings in a fresh interpreter with only `env` (and PATH) set."""
    done = subprocess.run(
        [sys.executable, "-c", LOAD_PRODUCTION],
        env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_production_refuses_to_load_without_a_secret():
    # given a clean environment with a database but no secret
    # when the production settings are loaded
    loaded = _load_production(DATABASE_URL=DATABASE_URL)
    # then they refuse, naming the missing variable
    assert loaded == {
        "refused": "DJANGO_SECRET_KEY is not set: production settings have no default secret."
    }


def test_production_refuses_an_empty_secret():
    loaded = _load_production(DJANGO_SECRET_KEY="", DATABASE_URL=DATABASE_URL)
    assert set(loaded) == {"refused"}
    assert "DJANGO_SECRET_KEY" in loaded["refused"]


def test_production_refuses_to_load_without_a_database_url():
    loaded = _load_production(DJANGO_SECRET_KEY=SECRET)
    assert loaded == {
        "refused": "DATABASE_URL is not set: production needs an existing PostgreSQL."
    }


def test_production_with_a_secret_and_a_database_is_locked_down():
    # given a secret and a database URL, and nothing else
    # when the production settings are loaded
    loaded = _load_production(DJANGO_SECRET_KEY=SECRET, DATABASE_URL=DATABASE_URL)
    # then debug, the demo, introspection and GraphiQL are off, and the values are the env's
    assert loaded["DEBUG"] is False
    assert loaded["SAMNAV_DEMO_ENABLED"] is False
    assert loaded["SAMNAV_GRAPHQL"]["INTROSPECTION"] is False
    assert loaded["SAMNAV_GRAPHQL"]["GRAPHIQL"] is False
    assert loaded["SECRET_KEY"] == SECRET
    assert loaded["DATABASE_NAME"] == "samnav_prod"
    assert (loaded["SESSION_COOKIE_SECURE"], loaded["CSRF_COOKIE_SECURE"]) == (True, True)
    # and the limits keep their defaults
    assert {k: v for k, v in loaded["SAMNAV_GRAPHQL"].items() if k.startswith("MAX_")} == {
        "MAX_DEPTH": 10,
        "MAX_ALIASES": 15,
        "MAX_COST": 50000,
        "MAX_OPERATIONS": 1,
        "MAX_QUERY_BYTES": 20000,
        "MAX_LIST_ITEMS": 100,
        "MAX_TOKENS": 2000,
        "MAX_FIELD_PAIRS": 10000,
        "MAX_VARIABLE_DEPTH": 10,
    }


def test_production_debug_stays_off_even_when_asked():
    # given DJANGO_DEBUG left on in the environment (local settings honour it)
    loaded = _load_production(DJANGO_SECRET_KEY=SECRET, DATABASE_URL=DATABASE_URL, DJANGO_DEBUG="1")
    # then production still runs without debug
    assert loaded["DEBUG"] is False


def test_production_introspection_is_opt_in():
    # given an operator who switches introspection on explicitly
    loaded = _load_production(
        DJANGO_SECRET_KEY=SECRET, DATABASE_URL=DATABASE_URL, GRAPHQL_INTROSPECTION="true"
    )
    # then it is on, and GraphiQL stays off
    assert loaded["SAMNAV_GRAPHQL"]["INTROSPECTION"] is True
    assert loaded["SAMNAV_GRAPHQL"]["GRAPHIQL"] is False


# --- Deployment (issue 9): check --deploy, hosts, HTTPS, static files, logs, demo -------------

REPO = Path(__file__).resolve().parents[2]
# 64 random-looking characters, as `secrets.token_urlsafe(48)` makes them.
STRONG_SECRET = "kV3q9xZ0bLwT7mR2sN8dFh4JcY6pA1eU5gQiO0tXyWzM3nB7vC9lK2jH8fD4sG6a"
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": STRONG_SECRET,
    "DATABASE_URL": DATABASE_URL,
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SAMNAV_BASE_DOMAIN": "example.org",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO / "manage.py"), *args],
        env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=REPO,
    )


def _production_values(*names: str, **env: str) -> dict:
    code = (
        "import json\n"
        "from config.settings import production as s\n"
        f"print(json.dumps({{n: getattr(s, n) for n in {list(names)!r}}}, default=str))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_check_deploy_reports_no_warning_with_production_settings():
    # given production settings with a strong secret, a database URL and a base domain
    # when Django's deployment checklist runs, failing on any warning
    done = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    # then it passes and reports nothing
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "System check identified no issues (0 silenced)."


def test_production_refuses_a_short_secret():
    loaded = _load_production(DJANGO_SECRET_KEY="too-short-a-secret", DATABASE_URL=DATABASE_URL)
    assert loaded == {
        "refused": "DJANGO_SECRET_KEY is too weak: use at least 50 random characters "
        "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    }


def test_production_refuses_a_long_but_repetitive_secret():
    loaded = _load_production(DJANGO_SECRET_KEY="abab" * 20, DATABASE_URL=DATABASE_URL)
    assert set(loaded) == {"refused"}
    assert loaded["refused"].startswith("DJANGO_SECRET_KEY is too weak")


def test_production_start_up_stops_with_the_message_when_the_secret_is_missing():
    # given a server start (any manage.py command) without a secret
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    done = _manage("check", **env)
    # then it stops, and the last line says why
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: DJANGO_SECRET_KEY is not set: "
        "production settings have no default secret."
    )


def test_production_hosts_are_the_central_host_and_the_agency_wildcard():
    loaded = _production_values(
        "ALLOWED_HOSTS", **PRODUCTION_ENV, SAMNAV_CENTRAL_HOST="it.example.org"
    )
    assert loaded == {"ALLOWED_HOSTS": ["it.example.org", ".example.org"]}
    loaded = _production_values("ALLOWED_HOSTS", **PRODUCTION_ENV)
    assert loaded == {"ALLOWED_HOSTS": ["example.org", ".example.org"]}


def test_production_is_https_only_with_hsts_and_secure_cookies():
    loaded = _production_values(
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_SECURE",
        "X_FRAME_OPTIONS",
        **PRODUCTION_ENV,
    )
    assert loaded == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "X_FRAME_OPTIONS": "DENY",
    }


def test_production_middleware_order():
    middleware = _production_values("MIDDLEWARE", **PRODUCTION_ENV)["MIDDLEWARE"]
    # the request context first, the probes before any tenant lookup, static files right
    # after the security middleware
    assert middleware[:5] == [
        "config.observability.RequestContextMiddleware",
        "config.health.ProbeMiddleware",
        "tenants.middleware.AgencyRoutingMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]


def test_production_logs_json_at_info_by_default():
    logging = _production_values("LOGGING", **PRODUCTION_ENV)["LOGGING"]
    assert logging["handlers"]["console"] == {
        "class": "logging.StreamHandler",
        "filters": ["context"],
        "formatter": "json",
    }
    assert logging["root"]["level"] == "INFO"


def test_production_has_no_demo_accounts():
    # given production settings, when the demo loader is asked for
    done = _manage("load_demo", **PRODUCTION_ENV)
    # then it refuses before touching any database
    assert done.returncode == 1
    assert "Demo data is disabled under these settings." in done.stderr
