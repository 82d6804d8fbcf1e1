"""Parsed and validated documents are kept per process (api/core/documents.py): a repeated
query is not parsed again, and what validation depends on (limits, language) is part of the
key, so a change of either takes effect at once."""

import pytest
from django.conf import settings
from django.test import Client, override_settings

from api.core.documents import parsed_and_validated
from tests.graphql import gql, host_of

pytestmark = pytest.mark.django_db

QUERY = "{ agencies { edges { node { slug } } } }"


def test_a_repeated_query_is_validated_once_and_runs_every_time(federation):
    root = federation.user("root")
    parsed_and_validated.cache_clear()
    # when the same text is sent three times
    responses = [gql(QUERY, user=root) for _ in range(3)]
    # then it was parsed and validated once, and each request ran with its own result
    info = parsed_and_validated.cache_info()
    assert (info.misses, info.hits) == (1, 2)
    assert all(r.status == 200 and len(r.data["agencies"]["edges"]) == 2 for r in responses)


def test_a_changed_limit_applies_to_a_text_validated_before(federation):
    root = federation.user("root")
    # given a query validated (and cached) under the default limits
    assert gql(QUERY, user=root).status == 200
    # when the depth limit drops below it, then the same text is refused
    limits = {**settings.SAMNAV_GRAPHQL, "MAX_DEPTH": 2}
    with override_settings(SAMNAV_GRAPHQL=limits):
        refused = gql(QUERY, user=root)
    assert refused.status == 400
    assert refused.errors[0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    # and with the limit back, it runs again
    assert gql(QUERY, user=root).status == 200


def test_validation_messages_follow_the_callers_language(federation):
    # given a query with a field that does not exist, asked in Swedish and then in English
    client = Client(HTTP_HOST=host_of(None))
    client.force_login(federation.user("root"))
    limits = {**settings.SAMNAV_GRAPHQL, "MAX_DEPTH": 2}

    def message(language: str) -> str:
        with override_settings(SAMNAV_GRAPHQL=limits):
            response = client.post(
                "/graphql/",
                {"query": QUERY},
                content_type="application/json",
                HTTP_ACCEPT_LANGUAGE=language,
            )
        return response.json()["errors"][0]["message"]

    # then each gets the refusal in their own language, not the first caller's
    swedish, english = message("sv"), message("en")
    assert english == "Query depth 3 exceeds the limit of 2."
    assert swedish != english
