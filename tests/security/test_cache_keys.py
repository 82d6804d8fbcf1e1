"""Cache keys are agency-aware (design.md §8): django-tenants' key function prefixes every key
with the schema of the connection, so two agencies writing the same key get two values."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django_tenants.cache import make_key, reverse_key
from django_tenants.utils import schema_context

pytestmark = pytest.mark.django_db


def test_the_default_cache_uses_django_tenants_key_functions():
    # given the settings of every environment (base.py)
    config = settings.CACHES["default"]
    # then keys are made and reversed by django-tenants
    assert config["KEY_FUNCTION"] == "django_tenants.cache.make_key"
    assert config["REVERSE_KEY_FUNCTION"] == "django_tenants.cache.reverse_key"
    assert caches["default"].key_func is make_key


def test_the_same_key_written_by_two_agencies_reads_back_two_values(federation):
    key = "security:same-key"
    try:
        # given alpha and beta each write the same key
        with schema_context(federation.alpha.schema_name):
            cache.set(key, "alpha's value")
        with schema_context(federation.beta.schema_name):
            cache.set(key, "beta's value")
        # when each reads it back (and the central host, which wrote nothing)
        with schema_context(federation.alpha.schema_name):
            alpha_reads = cache.get(key)
        with schema_context(federation.beta.schema_name):
            beta_reads = cache.get(key)
        central_reads = cache.get(key)
        # then each agency reads its own value, and the public schema none
        assert (alpha_reads, beta_reads, central_reads) == ("alpha's value", "beta's value", None)
    finally:
        for schema in (federation.alpha.schema_name, federation.beta.schema_name):
            with schema_context(schema):
                cache.delete(key)


def test_deleting_one_agencys_key_keeps_the_others(federation):
    key = "security:delete-one"
    try:
        # given the same key in alpha and beta
        for schema, value in ((federation.alpha.schema_name, 1), (federation.beta.schema_name, 2)):
            with schema_context(schema):
                cache.set(key, value)
        # when alpha deletes it
        with schema_context(federation.alpha.schema_name):
            cache.delete(key)
            alpha_reads = cache.get(key)
        # then beta's value is still there
        with schema_context(federation.beta.schema_name):
            assert (alpha_reads, cache.get(key)) == (None, 2)
    finally:
        with schema_context(federation.beta.schema_name):
            cache.delete(key)


def test_the_key_names_the_schema_and_reverses_to_the_callers_key(federation):
    # given a key made in beta's schema
    with schema_context(federation.beta.schema_name):
        made = make_key("report", "samnav", 1)
    # then it carries the schema, and reversing it gives back the caller's key
    assert made == f"{federation.beta.schema_name}:samnav:1:report"
    assert reverse_key(made) == "report"


def test_without_the_tenant_key_function_the_agencies_would_collide(federation):
    # given a cache with Django's default key function (the control: what the setting prevents)
    plain = LocMemCache("security-plain", {})
    # when alpha and beta write the same key
    with schema_context(federation.alpha.schema_name):
        plain.set("k", "alpha")
    with schema_context(federation.beta.schema_name):
        plain.set("k", "beta")
    # then alpha would read beta's value: the test above would fail without the setting
    with schema_context(federation.alpha.schema_name):
        assert plain.get("k") == "beta"
