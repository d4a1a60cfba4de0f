"""A small server-rendered SVG bar chart (no JavaScript, no inline style: CSP-safe); the table beside it holds
the same numbers for screen readers."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import formats

WIDTH = 320
HEIGHT = 140
BASELINE = 120


@dataclass
class Bar:
    x: int
    y: int
    width: int
    height: int
    label: str
    value_label: str
    text_y: int


def month_bars(months) -> list[Bar]:
    if not months:
        return []
    slot = WIDTH // len(months)
    bars = []
    for index, month in enumerate(months):
        rate = month.rate or 0.0
        height = int(round((BASELINE - 20) * rate / 100))
        bars.append(
            Bar(
                x=index * slot + 6,
                y=BASELINE - height,
                width=slot - 12,
                height=height,
                label=formats.date_format(month.month, "M"),
                value_label="–" if month.rate is None else f"{month.rate:.0f}%",
                text_y=BASELINE - height - 4,
            )
        )
    return bars
