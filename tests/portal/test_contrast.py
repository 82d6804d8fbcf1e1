"""The portal's colours meet WCAG 2.1 AA contrast: text 4.5:1 against its background, the focus
ring and control borders 3:1 (success criteria 1.4.3 and 1.4.11), computed with the WCAG
relative-luminance formula from the stylesheet's own custom properties."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

CSS = settings.BASE_DIR / "platform" / "static" / "samnav" / "portal.css"


def _colours() -> dict[str, str]:
    root = re.search(r":root\s*{([^}]*)}", CSS.read_text()).group(1)
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", root))


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_the_formula_gives_the_known_extremes():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


TEXT_PAIRS = [  # (foreground, background) as used in portal.css
    ("ink", "paper"),
    ("ink", "wash"),
    ("muted", "paper"),
    ("muted", "wash"),
    ("link", "paper"),
    ("brand", "paper"),  # secondary buttons, menu
    ("paper", "brand"),  # header and primary buttons
    ("bad-ink", "bad-wash"),
    ("bad-ink", "paper"),
    ("warn-ink", "warn-wash"),
    ("ok-ink", "ok-wash"),
    ("ink", "focus"),  # the skip link
]
NON_TEXT_PAIRS = [
    ("focus", "brand"),  # the focus ring on the header
    ("ink", "focus"),  # the ring's dark outer edge against its yellow
    ("line", "paper"),  # card and menu borders
]


@pytest.mark.parametrize(("fg", "bg"), TEXT_PAIRS)
def test_text_colours_reach_four_and_a_half_to_one(fg, bg):
    colours = _colours()
    assert contrast(colours[fg], colours[bg]) >= 4.5


@pytest.mark.parametrize(("fg", "bg"), NON_TEXT_PAIRS)
def test_focus_ring_and_borders_reach_three_to_one(fg, bg):
    colours = _colours()
    assert contrast(colours[fg], colours[bg]) >= 3.0
