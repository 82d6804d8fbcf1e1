"""Bar charts drawn on the server as SVG (no script): the numbers for the templates. Every
chart is shown with a table of the same figures, its text alternative."""

from __future__ import annotations

from dataclasses import dataclass

BAR_WIDTH = 330  # of the 640-wide drawing: labels take the left 200, values the right
ROW_HEIGHT = 28
COLUMN_AREA = 160  # height of the columns of a trend chart
MAX_COLUMN = 48


@dataclass(frozen=True)
class Bar:
    label: str
    ore: int
    y: int  # top of the row
    width: int  # length of the bar

    @property
    def text_y(self) -> int:
        return self.y + 18

    @property
    def value_x(self) -> int:
        return 206 + self.width


@dataclass(frozen=True)
class Column:
    label: str
    ore: int
    x: int
    height: int
    top: int
    mark_ore: int | None = None  # e.g. the month's budget, drawn as a line across the column
    mark_y: int | None = None


def _short(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bars(items: list[tuple[str, int]]) -> dict:
    """Horizontal bars, longest first as given; negative amounts draw as empty bars."""
    largest = max((max(ore, 0) for _label, ore in items), default=0)
    out = [
        Bar(
            label=_short(label),
            ore=ore,
            y=i * ROW_HEIGHT,
            width=round(BAR_WIDTH * max(ore, 0) / largest) if largest else 0,
        )
        for i, (label, ore) in enumerate(items)
    ]
    return {"bars": out, "height": max(ROW_HEIGHT, len(out) * ROW_HEIGHT)}


def columns(items: list[tuple[str, int]], marks: list[int | None] | None = None) -> dict:
    """Vertical columns (a trend over months, oldest first), with an optional mark per column
    (the budget); columns and marks share one scale."""
    marks = marks or [None] * len(items)
    largest = max(
        [max(ore, 0) for _label, ore in items] + [m for m in marks if m and m > 0], default=0
    )
    step = 600 // max(len(items), 1)
    width = max(min(step - 8, MAX_COLUMN), 4)

    def scaled(ore: int) -> int:
        return round(COLUMN_AREA * max(ore, 0) / largest) if largest else 0

    out = []
    for i, ((label, ore), mark) in enumerate(zip(items, marks, strict=True)):
        height = scaled(ore)
        out.append(
            Column(
                label=label,
                ore=ore,
                x=20 + i * step,
                height=height,
                top=COLUMN_AREA - height,
                mark_ore=mark,
                mark_y=None if mark is None else COLUMN_AREA - scaled(mark),
            )
        )
    return {
        "columns": out,
        "step": width,
        "label_y": COLUMN_AREA + 18,
        "marked": any(m is not None for m in marks),
    }
