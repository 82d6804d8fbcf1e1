"""Production settings come from the environment, with no default secret (design.md §8)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

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
