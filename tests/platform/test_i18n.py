"""Swedish by default, English on request: the committed catalogue is complete, compiled and
covers the code, and pages and API errors follow the visitor's language."""

from __future__ import annotations

import gettext
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client

import config.settings.base as base_settings

REPO = Path(__file__).resolve().parents[2]
PO_FILE = REPO / "locale" / "sv" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")
# The same options as the refresh command in locale/README.md.
MAKEMESSAGES_IGNORES = [".venv", "tests", ".pgdata", "*/demo.py", "demo/loader.py", "demo/data"]
# Source kinds makemessages reads by default, and folders never worth copying.
SOURCE_SUFFIXES = {".py", ".html", ".txt"}
SKIP_DIRS = {".git", ".venv", ".pgdata", "tests", "locale", "node_modules", "__pycache__"}
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]")

ONBOARD = """mutation($input: OnboardAgencyInput!) {
  onboardAgency(input: $input) { agency { slug } errors { field code message } }
}"""


def _catalogue() -> polib.POFile:
    return polib.pofile(str(PO_FILE))


def _mo_key(entry: polib.POEntry) -> list:
    """The keys under which Python's gettext stores `entry` (context and plural aware)."""
    msgid = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
    if entry.msgid_plural:
        return [(msgid, i) for i in range(len(entry.msgstr_plural))]
    return [msgid]


def _translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


# --- the catalogue ----------------------------------------------------------------------------


def test_every_swedish_entry_is_translated_and_not_fuzzy():
    # given the committed Swedish catalogue
    po = _catalogue()
    # then it declares Swedish with Swedish plural forms, and its header is final
    assert po.metadata["Language"] == "sv"
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert not po.metadata_is_fuzzy
    # and every entry has a translation, none is fuzzy, and none was left behind as obsolete
    assert len(po) > 0
    assert [e.msgid for e in po if not all(_translations(e))] == []
    assert [e.msgid for e in po if "fuzzy" in e.flags] == []
    assert [e.msgid for e in po.obsolete_entries()] == []


def test_every_translation_keeps_the_placeholders_of_its_source():
    # given the committed Swedish catalogue
    po = _catalogue()
    # then each translation has exactly the named placeholders of its English source
    wrong = [
        (e.msgid, text)
        for e in po
        for text in _translations(e)
        if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(e.msgid))
    ]
    assert wrong == []


def test_the_compiled_catalogue_matches_the_po_file():
    # given the committed .po and the committed .mo (read with the standard library)
    po = _catalogue()
    with MO_FILE.open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    catalog = {key: value for key, value in mo._catalog.items() if key != ""}
    # then the .mo holds exactly the entries of the .po, with the same translations
    expected = {
        key: text for e in po for key, text in zip(_mo_key(e), _translations(e), strict=True)
    }
    stale = {
        key: (catalog.get(key), text) for key, text in expected.items() if catalog.get(key) != text
    }
    assert stale == {}, "locale/ is not compiled: run manage.py compilemessages (locale/README.md)"
    assert set(catalog) == set(expected)
    assert mo.info()["plural-forms"] == "nplurals=2; plural=(n != 1);"


def _copy_sources(destination: Path) -> None:
    """The files makemessages would read, at the same relative paths, without the catalogue."""
    for root, dirs, files in os.walk(REPO):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in files:
            source = Path(root) / name
            if source.suffix in SOURCE_SUFFIXES:
                target = destination / source.relative_to(REPO)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)


# Samnav's makemessages (it also reads `_l`), run without the project's settings.
OUR_MAKEMESSAGES = """
import sys
import django
from django.conf import settings
settings.configure(USE_I18N=True)
django.setup()
from tenants.management.commands.makemessages import Command
Command().run_from_argv(["manage.py", "makemessages", *sys.argv[1:]])
"""


def test_the_catalogue_has_every_string_marked_in_the_code(tmp_path):
    # given xgettext (makemessages needs it) and a copy of the sources with an empty locale/
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.skip("GNU gettext (xgettext, msgmerge) is not installed: cannot extract strings")
    _copy_sources(tmp_path)
    (tmp_path / "locale").mkdir()
    # when makemessages extracts the marked strings there (the committed files stay untouched)
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    ignores = [f"--ignore={pattern}" for pattern in MAKEMESSAGES_IGNORES]
    done = subprocess.run(
        [sys.executable, "-c", OUR_MAKEMESSAGES, "-l", "sv", *ignores],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    extracted = polib.pofile(str(tmp_path / "locale" / "sv" / "LC_MESSAGES" / "django.po"))
    # then every extracted msgid is in the committed catalogue
    committed = {(e.msgctxt, e.msgid) for e in _catalogue()}
    missing = sorted(
        f"{e.msgid!r} ({e.occurrences[0][0]})"
        for e in extracted
        if (e.msgctxt, e.msgid) not in committed
    )
    assert missing == [], "refresh the catalogue: see locale/README.md"


# --- pages and API errors follow the visitor's language ----------------------------------------


@pytest.fixture
def deployed_default_language(settings):
    """The default language of the base settings, whatever the test settings choose."""
    settings.LANGUAGE_CODE = base_settings.LANGUAGE_CODE
    return base_settings.LANGUAGE_CODE


def _text(response) -> str:
    return response.content.decode()


def test_swedish_is_the_default_and_english_is_offered():
    # the base settings, which every environment extends
    assert base_settings.LANGUAGE_CODE == "sv"
    assert [code for code, _name in base_settings.LANGUAGES] == ["sv", "en"]
    assert base_settings.LOCALE_PATHS == [REPO / "locale"]
    assert "django.middleware.locale.LocaleMiddleware" in base_settings.MIDDLEWARE


@pytest.mark.django_db
def test_the_sign_in_page_is_swedish_by_default(federation, deployed_default_language):
    # given a visitor with no language preference on the central host
    client = Client(HTTP_HOST="localhost")
    # when they open the home page (which sends them to sign in)
    response = client.get("/", follow=True)
    # then the sign-in page is entirely Swedish
    assert response.redirect_chain == [("/accounts/login/?next=/", 302)]
    page = _text(response)
    assert '<html lang="sv">' in page
    assert "<h1>Logga in</h1>" in page
    assert '<button type="submit">Logga in</button>' in page
    assert '<label for="id_username">Användarnamn</label>' in page
    assert '<label for="id_password">Lösenord</label>' in page
    assert '<label for="language">Språk</label>' in page
    assert "<title>Logga in – Samnav</title>" in page
    for english in ("Sign in", "Username", "Password", "Language", "Account", "Change"):
        assert english not in page


@pytest.mark.parametrize(
    "preference",
    [
        {"HTTP_ACCEPT_LANGUAGE": "en"},
        {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9,sv;q=0.5"},
        {"cookie": "en"},
    ],
    ids=["accept-language", "accept-language-variant", "language-cookie"],
)
@pytest.mark.django_db
def test_the_sign_in_page_is_english_on_request(federation, deployed_default_language, preference):
    # given a visitor who asks for English (browser header or the language switch's cookie)
    client = Client(HTTP_HOST="localhost")
    headers = {k: v for k, v in preference.items() if k != "cookie"}
    if "cookie" in preference:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = preference["cookie"]
    # when they open the sign-in page
    page = _text(client.get("/accounts/login/", **headers))
    # then it is entirely English
    assert '<html lang="en">' in page
    assert "<h1>Sign in</h1>" in page
    assert '<label for="id_username">Username</label>' in page
    for swedish in ("Logga in", "Användarnamn", "Lösenord", "Språk", "Konto"):
        assert swedish not in page


@pytest.mark.django_db
def test_the_language_cookie_wins_over_the_browser(federation, deployed_default_language):
    # given a visitor whose browser prefers English but who chose Swedish in the switch
    client = Client(HTTP_HOST="localhost")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    # when they open the sign-in page
    page = _text(client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en"))
    # then it is Swedish
    assert "<h1>Logga in</h1>" in page


@pytest.mark.django_db
def test_the_language_switch_sets_the_cookie(federation, deployed_default_language):
    # given a visitor on the Swedish sign-in page
    client = Client(HTTP_HOST="localhost")
    # when they choose English in the switch
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    # then the cookie is set and the next page is English
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "<h1>Sign in</h1>" in _text(client.get("/accounts/login/"))


@pytest.mark.django_db
def test_the_central_home_page_is_swedish_throughout(federation, deployed_default_language):
    # given the platform admin signed in on the central host, with no language preference
    client = Client(HTTP_HOST="localhost")
    client.force_login(federation.user("root"))
    # when they open the home page
    page = _text(client.get("/"))
    # then headings, column names and agency states are Swedish
    for swedish in (
        "<h1>Central IT</h1>",
        "<h2>Anslutna myndigheter</h2>",
        '<th scope="col">Myndighet</th>',
        '<th scope="col">Status</th>',
        '<th scope="col">Säkerhetsnivå</th>',
        '<th scope="col">Tillgänglighetsnivå</th>',
        '<th scope="col">Antal anställda</th>',
        "<td>Aktiv</td>",
        '<button type="submit" class="secondary">Logga ut</button>',
    ):
        assert swedish in page
    for english in ("Member agencies", "Headcount", "Active", "Sign out", "Security level"):
        assert english not in page


@pytest.mark.django_db
def test_the_agency_home_page_names_roles_in_the_visitors_language(
    federation, deployed_default_language
):
    # given alpha's admin signed in on alpha's host
    client = Client(HTTP_HOST="alpha.localhost")
    client.force_login(federation.user("alpha-admin"))
    # when they open the home page with no preference, and then asking for English
    swedish = _text(client.get("/"))
    english = _text(client.get("/", HTTP_ACCEPT_LANGUAGE="en"))
    # then field names and the role are in that language, never as the role's code
    assert "<dt>Organisationsnummer</dt>" in swedish
    assert "<dt>Krav på säkerhetsnivå</dt>" in swedish
    assert "<dt>Krav på tillgänglighetsnivå</dt>" in swedish
    assert "<dt>Dina roller</dt><dd>Myndighetsadministratör</dd>" in swedish
    assert "<dt>Your roles</dt><dd>Agency admin</dd>" in english
    for page in (swedish, english):
        assert "agency_admin" not in page


@pytest.mark.django_db
def test_the_not_found_page_follows_the_visitors_language(federation, deployed_default_language):
    # given a visitor on the central host
    client = Client(HTTP_HOST="localhost")
    # when they open an address with no page, with no preference and then asking for English
    swedish = client.get("/no-such-page/")
    english = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    # then the 404 page is ours, in that language (not Django's bare English page)
    assert swedish.status_code == english.status_code == 404
    assert "<h1>Sidan hittades inte</h1>" in _text(swedish)
    assert "Not Found" not in _text(swedish)
    assert "<h1>Page not found</h1>" in _text(english)


def _onboard_with_session(federation, **headers) -> dict:
    """onboardAgency with a reserved slug, posted by the platform admin's session."""
    client = Client(HTTP_HOST="localhost")
    client.force_login(federation.user("root"))
    response = client.post(
        "/graphql/",
        json.dumps(
            {
                "query": ONBOARD,
                "variables": {
                    "input": {"name": "Admin", "slug": "admin", "orgNumber": "2021998030"}
                },
            }
        ),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200
    return response.json()["data"]["onboardAgency"]


@pytest.mark.django_db
def test_a_mutation_error_follows_the_accept_language_header(federation, deployed_default_language):
    # given the platform admin, signed in on the central host
    # when they onboard an agency with a reserved slug, with no preference and then in English
    swedish = _onboard_with_session(federation)
    english = _onboard_with_session(federation, HTTP_ACCEPT_LANGUAGE="en")
    # then the same error comes back in Swedish by default and in English on request
    assert swedish == {
        "agency": None,
        "errors": [{"field": "slug", "code": "RESERVED", "message": "”admin” är reserverat."}],
    }
    assert english == {
        "agency": None,
        "errors": [{"field": "slug", "code": "RESERVED", "message": "'admin' is reserved."}],
    }


@pytest.mark.django_db
def test_a_refusal_before_the_view_follows_the_accept_language_header(
    federation, deployed_default_language
):
    # given a caller with an unknown API token (refused by middleware, before GraphQL runs)
    client = Client(HTTP_HOST="localhost")
    headers = {"HTTP_AUTHORIZATION": "Bearer snv_unknown"}
    # when they call the API with no preference, and then asking for English
    swedish = client.post("/graphql/", "{}", content_type="application/json", **headers)
    english = client.post(
        "/graphql/", "{}", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **headers
    )
    # then the refusal is in that language
    assert swedish.status_code == english.status_code == 401
    assert swedish.json()["errors"][0]["message"] == "Ogiltig eller återkallad API-token."
    assert english.json()["errors"][0]["message"] == "The API token is invalid or revoked."
