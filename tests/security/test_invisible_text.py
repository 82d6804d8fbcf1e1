"""Names, subjects and file names drop bidi controls and other invisible characters (issue 18):
"doc\u202etxt.pdf" would read "docfdp.txt" in a list of files."""

from __future__ import annotations

import pytest

from services.support.attachments import check
from services.support.errors import SupportErrorCode
from services.validation import Errors, text, visible

INVISIBLE = "\u202e\u202a\u2066\u2069\u200b\u200d\u200e\ufeff\x00\x07\x1b\x85"


def test_visible_keeps_what_shows_and_line_breaks():
    assert visible(f"Å{INVISIBLE}sa\tb\nc") == "Åsa\tb\nc"


def test_every_text_field_of_the_toolkit_drops_them():
    errors = Errors()
    name = text(
        errors, "name", f"  Läns{INVISIBLE}styrelsen ", codes=SupportErrorCode, max_length=50
    )
    assert (name, errors.items) == ("Länsstyrelsen", {})
    # a value of invisible characters only is empty, so refused where required
    text(errors, "subject", INVISIBLE, codes=SupportErrorCode, max_length=50)
    assert "subject" in errors


@pytest.mark.parametrize("filename", ["doc\u202etxt.pdf", "doc\u200b\u202etxt.pdf"])
def test_a_file_name_loses_its_bidi_override(filename):
    checked = check(filename, b"%PDF-1.4\n", "attachments")
    assert checked.filename == "doctxt.pdf"


# --- saying so -------------------------------------------------------------------------------

PROJECT = """mutation($name: String!) {
  createJointProject(input: {name: $name, budgetOre: 100}) { project { name } }
}"""


@pytest.mark.django_db
def test_the_api_says_which_field_lost_invisible_characters(federation):
    from tests.graphql import gql

    response = gql(PROJECT, {"name": "Kassa\u202eprojekt"}, user=federation.user("root"))
    assert response.data["createJointProject"]["project"]["name"] == "Kassaprojekt"
    [notice] = response.body["extensions"]["notices"]
    assert (notice["field"], notice["code"]) == ("name", "INVISIBLE_REMOVED")
    assert "removed" in notice["message"]
    # a clean name has nothing to say
    clean = gql(PROJECT, {"name": "Rent projekt"}, user=federation.user("root"))
    assert "extensions" not in clean.body
