"""What a person typed and the portal changed is said on the page after the write (issue 18):
invisible characters, such as text-direction marks, removed (services/validation.py)."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_portal_says_so_on_the_page_after_the_write(federation, people):
    client = Client(HTTP_HOST="alpha.localhost")
    client.force_login(federation.user("alpha-staff"))
    form = {
        "subject": "Skrivaren\u202e fungerar inte",
        "description": "Den\u200b blinkar.",
        "kind": "incident",
        "impact": "2",
        "urgency": "2",
    }
    response = client.post("/support/new/", form, follow=True)
    page = response.content.decode()
    assert response.redirect_chain and "Skrivaren fungerar inte" in page
    assert "Invisible control characters" in page
    # and a write with nothing removed says nothing of it
    form["subject"], form["description"] = "Skärmen flimrar", "Hela tiden."
    page = client.post("/support/new/", form, follow=True).content.decode()
    assert "Invisible control characters" not in page
