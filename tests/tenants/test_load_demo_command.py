"""`load_demo --agencies`: the quicker demo federation of the accessibility walk
(tests/browser/server.py) takes county boards by slug and names one it does not know."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command


def test_an_unknown_county_board_is_named_and_nothing_is_loaded():
    with pytest.raises(CommandError, match="nowhere"):
        call_command("load_demo", "--agencies", "uppsala,nowhere", verbosity=0)
