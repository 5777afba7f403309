"""SVG pieces for the report's charts: styles, text, markers, lines, the legend, the document.

Every text is escaped and drawn one <text> per line; sizes are viewBox units (charts.py).
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape


@dataclass(frozen=True, slots=True)
class LineStyle:
    colour: str
    dashes: str  # an SVG stroke-dasharray; "none" for a solid line
    marker: str  # "square" or "circle"
    fill: str  # the marker's inside


SELF_STYLE = LineStyle("#1b1f24", "none", "square", "#1b1f24")
COLLEAGUES_STYLE = LineStyle("#0072b2", "7 4", "circle", "#ffffff")
INK = "#1b1f24"
GRID = "#8c96a0"
FAINT = "#d5dbe1"
# viewBox units. On a 390 px phone the page's padding leaves an image 358 px wide, so text
# of 11 units in a viewBox at most 358 wide is at least 11 px there.
FONT = 11
SMALL_FONT = 11  # the scale's labels: kept apart from FONT should a chart ever need less
VIEW_WIDTH = 340
CHAR_WIDTH = 0.6  # of the font size: a little wider than DejaVu Sans' average letter
LINE_HEIGHT = 1.3
ITEMS_LABEL = "Colleagues' average"


@dataclass(frozen=True, slots=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        return not (
            self.right <= other.left
            or other.right <= self.left
            or self.bottom <= other.top
            or other.bottom <= self.top
        )


@dataclass(frozen=True, slots=True)
class Label:
    lines: tuple[str, ...]
    x: float
    y: float  # the first line's baseline
    anchor: str  # "start", "middle" or "end"
    size: float = FONT

    @property
    def box(self) -> Box:
        width = max(len(line) for line in self.lines) * CHAR_WIDTH * self.size
        left = {"start": self.x, "middle": self.x - width / 2, "end": self.x - width}[self.anchor]
        top = self.y - self.size
        return Box(left, top, left + width, top + len(self.lines) * self.size * LINE_HEIGHT)


def text_lines(label: Label, colour: str = INK, weight: str = "normal") -> str:
    """One <text> per line, so no renderer has to understand tspans."""
    return "".join(
        f'<text x="{label.x:.1f}" y="{label.y + n * label.size * LINE_HEIGHT:.1f}" '
        f'font-size="{label.size}" text-anchor="{label.anchor}" fill="{colour}" '
        f'font-weight="{weight}">{escape(line, quote=False)}</text>'
        for n, line in enumerate(label.lines)
    )


def svg_document(bounds: tuple[float, float, float, float], body: Iterable[str], title: str) -> str:
    """A standalone SVG of what lies within (left, top, right, bottom); the <title> repeats
    the page's alternative text for SVG readers."""
    left, top, right, bottom = bounds
    width, height = right - left, bottom - top
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="{left:.1f} {top:.1f} {width:.1f} {height:.1f}" '
        f'width="{width:.1f}" height="{height:.1f}" font-family="DejaVu Sans, sans-serif">'
        f"<title>{escape(title, quote=False)}</title>" + "".join(body) + "</svg>"
    )


def data_uri(svg: str) -> str:
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"


def marker(style: LineStyle, x: float, y: float) -> str:
    stroke = f'stroke="{style.colour}" stroke-width="2" fill="{style.fill}"'
    if style.marker == "square":
        return f'<rect x="{x - 4.5:.1f}" y="{y - 4.5:.1f}" width="9" height="9" {stroke}/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" {stroke}/>'


def legend(entries: list[tuple[LineStyle, str]], centre: float, y: float) -> list[str]:
    """Each entry: a short line in its style, its marker, its name; centred as a row."""
    widths = [34 + len(name) * CHAR_WIDTH * FONT for _, name in entries]
    gap = 16
    x = centre - (sum(widths) + gap * (len(entries) - 1)) / 2
    parts = []
    for (style, name), width in zip(entries, widths, strict=True):
        parts.append(line_path(style, [(x, y - 4), (x + 26, y - 4)]))
        parts.append(marker(style, x + 13, y - 4))
        parts.append(text_lines(Label((name,), x + 32, y, "start")))
        x += width + gap
    return parts


def line_path(style: LineStyle, points: list[tuple[float, float]], closed: bool = False) -> str:
    coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    kind = "polygon" if closed else "polyline"
    return (
        f'<{kind} points="{coords}" fill="none" stroke="{style.colour}" stroke-width="2.5" '
        f'stroke-dasharray="{style.dashes}" stroke-linejoin="round"/>'
    )
