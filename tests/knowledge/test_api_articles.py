"""knowledgeArticles, knowledgeArticle, suggestArticles and the article mutations through the
real GraphQL endpoint: who sees which articles on which host, and who writes them."""

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.knowledge.models import Article
from tests.graphql import gql
from tests.knowledge.conftest import own, shared
from tests.knowledge.helpers import (
    agency_rows,
    aid,
    beta_article_unknown_in_alpha,
    service_id,
    sid,
)

pytestmark = pytest.mark.django_db

LIST = """query($search: String, $service: ID, $first: Int, $after: String) {
  knowledgeArticles(search: $search, service: $service, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id kind title published language service { name } rank } } } }"""
ONE = """query($id: ID!) { knowledgeArticle(id: $id) { id kind title body }
  node(id: $id) { id ... on KnowledgeArticle { title } } }"""
SUGGEST = """query($text: String!, $service: ID) { suggestArticles(text: $text, service: $service) {
  kind title } }"""
CREATE = """mutation($input: KnowledgeArticleInput!) { createKnowledgeArticle(input: $input) {
  sharedArticle { id title kind published service { name } }
  agencyArticle { id title kind published service { name } }
  errors { field code message } } }"""
UPDATE = """mutation($id: ID!, $input: KnowledgeArticleUpdateInput!) {
  updateKnowledgeArticle(id: $id, input: $input) {
  sharedArticle { title published } agencyArticle { title published }
  errors { field code } } }"""


def listed(federation, who, agency=None, **variables):
    r = gql(LIST, variables, agency=agency, user=federation.user(who))
    assert r.errors == [], r.errors
    return r.data["knowledgeArticles"]


def titles(conn):
    return [e["node"]["title"] for e in conn["edges"]]


# --- reading ----------------------------------------------------------------------------------


def test_on_an_agency_host_members_see_shared_and_their_own_published_articles(federation, kb):
    conn = listed(federation, "alpha-staff", federation.alpha)
    # then shared (published) and alpha's own, by service then title; never beta's
    assert titles(conn) == [
        "Arbeta hemifrån",
        "VPN kopplar ner",
        "Alfas skrivare på plan 3",
        "Skrivaren skriver inte ut",
    ]
    assert conn["totalCount"] == 4
    kinds = {e["node"]["title"]: e["node"]["kind"] for e in conn["edges"]}
    assert kinds["Alfas skrivare på plan 3"] == "AGENCY"
    assert kinds["Skrivaren skriver inte ut"] == "SHARED"
    first = conn["edges"][0]["node"]
    assert (first["language"], first["published"], first["rank"]) == ("SWEDISH", True, None)
    # and beta's admin on beta's host sees beta's own, not alpha's
    beta = titles(listed(federation, "beta-admin", federation.beta))
    assert "Betas hemliga skrivarrutin" in beta and "Alfas skrivare på plan 3" not in beta


def test_drafts_are_shown_to_their_editors_only(federation, kb):
    # given a draft of alpha's own
    own(federation, federation.alpha, kb.printing, "Alfas utkast", "Text", published=False)
    # then alpha's admin sees it, alpha's staff does not; neither sees central IT's draft
    admin = titles(listed(federation, "alpha-admin", federation.alpha))
    staff = titles(listed(federation, "alpha-staff", federation.alpha))
    assert "Alfas utkast" in admin and "Alfas utkast" not in staff
    assert "Ny skrivare i receptionen" not in admin + staff
    # on the central host: shared only; central IT's editors see the draft, a technician not
    for who in ("cat", "desk", "root"):
        central = titles(listed(federation, who))
        assert "Ny skrivare i receptionen" in central and "Alfas skrivare på plan 3" not in central
    tech = titles(listed(federation, "tech"))
    assert tech == ["Arbeta hemifrån", "VPN kopplar ner", "Skrivaren skriver inte ut"]


def test_searching_the_list_uses_swedish_stemming_and_rank(federation, kb):
    conn = listed(federation, "alpha-staff", federation.alpha, search="skrivarna")
    assert sorted(titles(conn)) == ["Alfas skrivare på plan 3", "Skrivaren skriver inte ut"]
    assert conn["totalCount"] == 2
    ranks = [e["node"]["rank"] for e in conn["edges"]]
    assert ranks == sorted(ranks, reverse=True) and all(r > 0 for r in ranks)
    conn = listed(federation, "tech", search="vpn")
    assert titles(conn) == ["VPN kopplar ner", "Arbeta hemifrån"]
    # and a service narrows the list
    conn = listed(federation, "tech", service=service_id(kb.printing))
    assert titles(conn) == ["Skrivaren skriver inte ut"]


def test_the_list_pages_with_first_and_after(federation, kb):
    page1 = listed(federation, "alpha-staff", federation.alpha, first=3)
    assert page1["totalCount"] == 4 and page1["pageInfo"]["hasNextPage"] is True
    page2 = listed(
        federation, "alpha-staff", federation.alpha, first=3, after=page1["pageInfo"]["endCursor"]
    )
    assert titles(page2) == ["Skrivaren skriver inte ut"]
    assert page2["pageInfo"]["hasNextPage"] is False


@pytest.mark.parametrize(
    ("variables", "field"),
    [
        ({"search": "x" * 201}, "search"),
        ({"service": "not-an-id"}, "service"),
        ({"service": "T2ZmZXJpbmc6MQ=="}, "service"),  # Offering:1
        ({"first": 101}, "first"),
        ({"first": -1}, "first"),
        ({"after": "nonsense"}, "after"),
    ],
    ids=["search-too-long", "garbage-service", "offering-id", "first-101", "first-neg", "cursor"],
)
def test_bad_list_arguments_are_clear_errors(federation, kb, variables, field):
    r = gql(LIST, variables, agency=federation.alpha, user=federation.user("alpha-staff"))
    assert r.data is None
    assert [(e["extensions"]["code"], e["extensions"]["field"]) for e in r.errors] == [
        ("BAD_USER_INPUT", field)
    ]


def test_readers_only(federation, kb):
    # alpha's staff on the central host, a user without roles, and nobody signed in
    for who in ("alpha-staff", "nobody"):
        r = gql(LIST, {}, user=federation.user(who))
        assert r.errors[0]["extensions"]["code"] == "FORBIDDEN" and r.data is None
    assert gql(LIST, {}).errors[0]["extensions"]["code"] == "UNAUTHENTICATED"
    # beta's staff on alpha's host: refused at the door
    r = gql(LIST, {}, agency=federation.alpha, user=federation.user("beta-staff"))
    assert r.status == 403


def test_the_list_costs_the_same_queries_for_2_and_10_articles_a_kind(federation, kb):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            conn = listed(federation, "alpha-admin", federation.alpha, first=50)
        return len(ctx.captured_queries), conn["totalCount"]

    small = count()
    for i in range(8):
        shared(federation, kb.vpn, f"Fler VPN-tips {i}", "Text om VPN.")
        own(federation, federation.alpha, kb.printing, f"Alfas tips {i}", "Text.")
    large = count()
    assert large[1] == small[1] + 16
    assert large[0] == small[0]


def test_node_lookup_never_shows_another_agencys_article(federation, kb):
    beta_article = beta_article_unknown_in_alpha(federation, kb.vpn)
    staff = federation.user("alpha-staff")
    # when alpha's staff looks up beta's article id on alpha's host
    r = gql(ONE, {"id": aid(beta_article)}, agency=federation.alpha, user=staff)
    # then nothing is found
    assert r.data == {"knowledgeArticle": None, "node": None}
    # and on the central host, agency articles are not reachable at all
    r = gql(ONE, {"id": aid(kb.alpha_own)}, user=federation.user("desk"))
    assert r.data == {"knowledgeArticle": None, "node": None}
    # while alpha's own and shared ones are found on alpha's host
    r = gql(ONE, {"id": aid(kb.alpha_own)}, agency=federation.alpha, user=staff)
    assert r.data["knowledgeArticle"]["title"] == "Alfas skrivare på plan 3"
    assert r.data["node"]["title"] == "Alfas skrivare på plan 3"
    r = gql(ONE, {"id": sid(kb.printer)}, agency=federation.alpha, user=staff)
    assert r.data["knowledgeArticle"]["kind"] == "SHARED"
    # and a draft stays hidden from readers who do not edit it
    r = gql(ONE, {"id": sid(kb.draft)}, agency=federation.alpha, user=staff)
    assert r.data == {"knowledgeArticle": None, "node": None}
    r = gql(ONE, {"id": sid(kb.draft)}, user=federation.user("cat"))
    assert r.data["knowledgeArticle"]["title"] == "Ny skrivare i receptionen"


def test_suggestions_on_the_agency_host_include_its_own_articles_never_anothers(federation, kb):
    text = "skrivaren på plan 3 skriver inte ut"
    r = gql(SUGGEST, {"text": text}, agency=federation.alpha, user=federation.user("alpha-staff"))
    assert r.data["suggestArticles"] == [
        {"kind": "AGENCY", "title": "Alfas skrivare på plan 3"},
        {"kind": "SHARED", "title": "Skrivaren skriver inte ut"},
    ]
    r = gql(SUGGEST, {"text": text}, agency=federation.beta, user=federation.user("beta-staff"))
    assert [s["title"] for s in r.data["suggestArticles"]] == [
        "Skrivaren skriver inte ut",
        "Betas hemliga skrivarrutin",
    ]
    r = gql(SUGGEST, {"text": "   "}, agency=federation.alpha, user=federation.user("alpha-staff"))
    assert r.data["suggestArticles"] == []


# --- writing ----------------------------------------------------------------------------------


def article_input(kb, **overrides):
    data = {"service": service_id(kb.vpn), "title": "Certifikatet har gått ut", "body": "Gör så."}
    data.update(overrides)
    return data


def test_central_it_writes_shared_articles_on_the_central_host(federation, kb):
    r = gql(CREATE, {"input": article_input(kb)}, user=federation.user("desk"))
    payload = r.data["createKnowledgeArticle"]
    assert payload["errors"] == [] and payload["agencyArticle"] is None
    assert payload["sharedArticle"]["kind"] == "SHARED"
    assert payload["sharedArticle"]["service"] == {"name": "kb Nätverk"}
    article = Article.objects.get(title="Certifikatet har gått ut")
    assert article.author_id == federation.user("desk").pk
    # and the search vector follows an update
    r = gql(
        UPDATE,
        {"id": payload["sharedArticle"]["id"], "input": {"title": "Certifikat för skrivare"}},
        user=federation.user("cat"),
    )
    assert r.data["updateKnowledgeArticle"]["errors"] == []
    query = SearchQuery("skrivarna", config="swedish")
    assert Article.objects.filter(search_vector=query, pk=article.pk).exists()


def test_unpublishing_hides_a_shared_article_from_readers(federation, kb):
    r = gql(
        UPDATE, {"id": sid(kb.printer), "input": {"published": False}}, user=federation.user("cat")
    )
    assert r.data["updateKnowledgeArticle"]["sharedArticle"] == {
        "title": "Skrivaren skriver inte ut",
        "published": False,
    }
    assert "Skrivaren skriver inte ut" not in titles(
        listed(federation, "alpha-staff", federation.alpha)
    )


@pytest.mark.parametrize("who", ["tech", "fin", "nobody"])
def test_others_cannot_write_shared_articles(federation, kb, who):
    before = list(Article.objects.order_by("pk").values_list("pk", "title", "published"))
    r = gql(CREATE, {"input": article_input(kb)}, user=federation.user(who))
    assert r.data["createKnowledgeArticle"]["errors"][0]["code"] == "PERMISSION_DENIED"
    r = gql(UPDATE, {"id": sid(kb.printer), "input": {"title": "Hej"}}, user=federation.user(who))
    assert r.data["updateKnowledgeArticle"]["errors"][0]["code"] == "PERMISSION_DENIED"
    assert list(Article.objects.order_by("pk").values_list("pk", "title", "published")) == before


def test_an_agency_admin_writes_the_agencys_own_articles_on_its_host(federation, kb):
    admin = federation.user("alpha-admin")
    r = gql(CREATE, {"input": article_input(kb)}, agency=federation.alpha, user=admin)
    payload = r.data["createKnowledgeArticle"]
    assert payload["errors"] == [] and payload["sharedArticle"] is None
    assert payload["agencyArticle"]["kind"] == "AGENCY"
    assert [t for _pk, t, _b, _p in agency_rows(federation.alpha)][-1] == (
        "Certifikatet har gått ut"
    )
    assert "Certifikatet har gått ut" not in [t for _pk, t, _b, _p in agency_rows(federation.beta)]
    r = gql(
        UPDATE,
        {"id": payload["agencyArticle"]["id"], "input": {"published": False}},
        agency=federation.alpha,
        user=admin,
    )
    assert r.data["updateKnowledgeArticle"]["agencyArticle"]["published"] is False


def test_agency_staff_and_shared_articles_are_not_the_agency_admins_to_write(federation, kb):
    before = agency_rows(federation.alpha)
    staff = federation.user("alpha-staff")
    r = gql(CREATE, {"input": article_input(kb)}, agency=federation.alpha, user=staff)
    assert r.data["createKnowledgeArticle"]["errors"][0]["code"] == "PERMISSION_DENIED"
    r = gql(
        UPDATE,
        {"id": aid(kb.alpha_own), "input": {"title": "Hej"}},
        agency=federation.alpha,
        user=staff,
    )
    assert r.data["updateKnowledgeArticle"]["errors"][0]["code"] == "PERMISSION_DENIED"
    # the agency's admin may not change central IT's article
    r = gql(
        UPDATE,
        {"id": sid(kb.printer), "input": {"title": "Hej"}},
        agency=federation.alpha,
        user=federation.user("alpha-admin"),
    )
    assert r.data["updateKnowledgeArticle"]["errors"][0]["code"] == "PERMISSION_DENIED"
    assert agency_rows(federation.alpha) == before
    assert Article.objects.get(pk=kb.printer.pk).title == "Skrivaren skriver inte ut"


def test_an_agency_admin_cannot_change_another_agencys_article(federation, kb):
    beta_article = beta_article_unknown_in_alpha(federation, kb.vpn)
    beta_before = agency_rows(federation.beta)
    alpha_before = agency_rows(federation.alpha)
    # when alpha's admin sends beta's article id on alpha's host
    r = gql(
        UPDATE,
        {"id": aid(beta_article), "input": {"title": "Kapad"}},
        agency=federation.alpha,
        user=federation.user("alpha-admin"),
    )
    assert r.data["updateKnowledgeArticle"]["errors"] == [{"field": "id", "code": "NOT_FOUND"}]
    # when they try it on the central host, or on beta's host
    r = gql(
        UPDATE,
        {"id": aid(beta_article), "input": {"title": "Kapad"}},
        user=federation.user("alpha-admin"),
    )
    assert r.data["updateKnowledgeArticle"]["errors"][0]["code"] == "NOT_FOUND"
    r = gql(
        UPDATE,
        {"id": aid(beta_article), "input": {"title": "Kapad"}},
        agency=federation.beta,
        user=federation.user("alpha-admin"),
    )
    assert r.status == 403
    # then neither agency's articles changed
    assert agency_rows(federation.beta) == beta_before
    assert agency_rows(federation.alpha) == alpha_before


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"service": "U2VydmljZTo5OTk5OTk5"}, [("service", "NOT_FOUND")]),  # Service:9999999
        ({"service": "garbage"}, [("service", "NOT_FOUND")]),
        ({"title": "   "}, [("title", "REQUIRED")]),
        ({"title": "x" * 201}, [("title", "TOO_LONG")]),
        ({"body": ""}, [("body", "REQUIRED")]),
        ({"title": "", "body": " "}, [("title", "REQUIRED"), ("body", "REQUIRED")]),
    ],
    ids=["unknown-service", "garbage-service", "blank-title", "long-title", "no-body", "both"],
)
@pytest.mark.parametrize("host", ["central", "alpha"])
def test_bad_article_input_is_an_error_and_writes_nothing(federation, kb, overrides, errors, host):
    agency, who = (None, "cat") if host == "central" else (federation.alpha, "alpha-admin")
    shared_before = Article.objects.count()
    own_before = agency_rows(federation.alpha)
    r = gql(
        CREATE,
        {"input": article_input(kb, **overrides)},
        agency=agency,
        user=federation.user(who),
    )
    payload = r.data["createKnowledgeArticle"]
    assert [(e["field"], e["code"]) for e in payload["errors"]] == errors
    assert payload["sharedArticle"] is None and payload["agencyArticle"] is None
    assert Article.objects.count() == shared_before
    assert agency_rows(federation.alpha) == own_before


def test_an_update_of_an_unknown_article_is_not_found(federation, kb):
    r = gql(
        UPDATE,
        {"id": "U2hhcmVkS25vd2xlZGdlQXJ0aWNsZTo5OTk5OTk5", "input": {"title": "Hej"}},
        user=federation.user("cat"),
    )
    assert r.data["updateKnowledgeArticle"]["errors"] == [{"field": "id", "code": "NOT_FOUND"}]


def test_signed_out_callers_write_nothing(federation, kb):
    before = Article.objects.count()
    r = gql(CREATE, {"input": article_input(kb)})
    assert r.data["createKnowledgeArticle"]["errors"][0]["code"] == "PERMISSION_DENIED"
    assert Article.objects.count() == before
