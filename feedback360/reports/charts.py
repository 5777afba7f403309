"""Report charts, written as SVG by hand and returned as data: URIs.

Hand-written rather than drawn with matplotlib: a report's seven charts take about a
millisecond instead of most of a second, so nothing heavy happens per page or per PDF, and
every position is ours to check (tests/reports/test_report_charts.py). Text stays text, in the
DejaVu Sans the page uses, so it is searchable in the PDF; every text is escaped, so "$x$" or
"<b>" in a label stays literal.

Two lines at most, told apart without colour: "You" is near-black, solid, with filled squares;
colleagues are a mid blue, dashed, with open circles. Their lightness differs in greyscale print
and under deuteranopia (the test simulates both). Font sizes are in viewBox units and the
viewBox is at most 358 wide, so on a 390 px phone no text is smaller than 11 px (svg.py).
"""

from __future__ import annotations

import functools
import math
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from .report import ALL_COLLEAGUES, CapabilityResult, ItemResult, Report, ScaleLabel
from .svg import (
    COLLEAGUES_STYLE,
    FAINT,
    FONT,
    GRID,
    ITEMS_LABEL,
    LINE_HEIGHT,
    SELF_STYLE,
    SMALL_FONT,
    VIEW_WIDTH,
    Label,
    LineStyle,
    data_uri,
    legend,
    line_path,
    marker,
    svg_document,
    text_lines,
)

# The radar ------------------------------------------------------------------------------------

RADIUS = 78
LABEL_GAP = 8
NAME_WIDTH = 15  # characters per line of a capability's name


@dataclass(frozen=True, slots=True)
class RadarLayout:
    """Where everything goes, centred on (0, 0): checked by the tests, drawn by radar_svg."""

    angles: tuple[float, ...]  # clockwise from the top, in radians
    names: tuple[Label, ...]

    def point(self, index: int, value: float) -> tuple[float, float]:
        """The scale starts at 1, so 1 is the centre and 5 the outer ring."""
        radius = RADIUS * (value - 1) / 4
        angle = self.angles[index]
        return radius * math.sin(angle), -radius * math.cos(angle)


def radar_layout(names: Iterable[str]) -> RadarLayout:
    """Names outside the web, anchored away from it, so none crosses the chart or another."""
    names = list(names)
    angles = tuple(2 * math.pi * n / len(names) for n in range(len(names)))
    labels = []
    for name, angle in zip(names, angles, strict=True):
        wrapped = textwrap.wrap(name, NAME_WIDTH, break_long_words=False, break_on_hyphens=False)
        lines = tuple(wrapped) or ("",)
        side, up = math.sin(angle), -math.cos(angle)
        x = (RADIUS + LABEL_GAP) * side
        y = (RADIUS + LABEL_GAP) * up
        anchor = "start" if side > 0.1 else "end" if side < -0.1 else "middle"
        height = len(lines) * FONT * LINE_HEIGHT
        # The label's box starts at the point and grows away from the centre.
        top = y - height if up < -0.1 else y if up > 0.1 else y - height / 2
        labels.append(Label(lines, x, top + FONT, anchor))
    return RadarLayout(angles, tuple(labels))


def radar_svg(report: Report) -> str:
    """You against one colleague line (All colleagues where shown), across the capabilities.

    Group figures stay in the table under it: five lines on one web could not be told apart.
    """
    layout = radar_layout(c.name for c in report.capabilities)
    lines = [(SELF_STYLE, "You", [c.self_mean for c in report.capabilities])]
    colleagues = _colleague_line(report)
    if colleagues is not None:
        lines.append((COLLEAGUES_STYLE, *colleagues))
    body = _radar_web(layout)
    for style, _, values in lines:
        body += _radar_line(layout, style, values)
    body += _scale_labels(layout, report.scale)
    body += [text_lines(label) for label in layout.names]
    boxes = [label.box for label in layout.names]
    left = min(-RADIUS, *(b.left for b in boxes)) - 4
    right = max(RADIUS, *(b.right for b in boxes)) + 4
    top = min(-RADIUS, *(b.top for b in boxes)) - 4
    legend_y = max(RADIUS, *(b.bottom for b in boxes)) + 3 * FONT
    body += legend([(style, name) for style, name, _ in lines], (left + right) / 2, legend_y)
    title = "Radar chart of your own and your colleagues' average score for each capability."
    return data_uri(svg_document((left, top, right, legend_y + FONT), body, title))


def _colleague_line(report: Report) -> tuple[str, list[float | None]] | None:
    """All colleagues; without that figure, the one group shown (e.g. the line manager)."""
    for group in sorted(report.groups, key=lambda g: g.key != ALL_COLLEAGUES):
        values = [_group_mean(c, group.key) for c in report.capabilities]
        if any(v is not None for v in values):
            return group.label, values
    return None


def _group_mean(capability: CapabilityResult, group: str) -> float | None:
    score = capability.score(group)
    return None if score is None else score.mean


def _radar_web(layout: RadarLayout) -> list[str]:
    parts = []
    count = len(layout.angles)
    for value in (2, 3, 4, 5):
        ring = " ".join("{:.1f},{:.1f}".format(*layout.point(i, value)) for i in range(count))
        colour = GRID if value == 5 else FAINT
        parts.append(f'<polygon points="{ring}" fill="none" stroke="{colour}" stroke-width="1"/>')
    for index in range(count):
        x, y = layout.point(index, 5)
        parts.append(f'<line x1="0" y1="0" x2="{x:.1f}" y2="{y:.1f}" stroke="{FAINT}"/>')
    return parts


def _radar_line(layout: RadarLayout, style: LineStyle, values: list[float | None]) -> list[str]:
    """A closed line; a missing figure leaves a gap rather than a made-up point."""
    points = [None if v is None else layout.point(i, v) for i, v in enumerate(values)]
    if all(p is not None for p in points):
        parts = [line_path(style, points, closed=True)]
    else:
        parts = [
            line_path(style, [points[i], points[(i + 1) % len(points)]])
            for i in range(len(points))
            if points[i] is not None and points[(i + 1) % len(points)] is not None
        ]
    return parts + [marker(style, *p) for p in points if p is not None]


def _scale_labels(layout: RadarLayout, scale: tuple[ScaleLabel, ...]) -> list[str]:
    """1 to 5 on a ray halfway between the first two spokes, each on a white patch drawn over
    the lines: no line runs through a number, and no number sits on a data point."""
    between = (layout.angles[0] + layout.angles[1]) / 2 if len(layout.angles) > 1 else 0.5
    parts = []
    for point in scale:
        radius = RADIUS * (point.value - 1) / 4
        x, y = radius * math.sin(between), -radius * math.cos(between)
        parts.append(
            f'<rect x="{x - 7:.1f}" y="{y - 8:.1f}" width="14" height="15" rx="3" fill="#ffffff"/>'
        )
        parts.append(text_lines(Label((str(point.value),), x, y + 4, "middle"), GRID))
    return parts


# One capability: each statement's text, with your score and your colleagues' average ---------

ITEM_WIDTH = 48  # characters per line of a statement
PLOT_LEFT, PLOT_RIGHT = 26, VIEW_WIDTH - 26
ROW = 15  # the height of a statement's row of marks


def ordered_by_indicator(items: Iterable[ItemResult]) -> list[tuple[str, list[ItemResult]]]:
    """The items in runs of one indicator each, indicators in the order they first appear."""
    items = list(items)
    order = list(dict.fromkeys(item.indicator for item in items))
    ranked = sorted(items, key=lambda item: order.index(item.indicator))
    return [(name, list(run)) for name, run in groupby(ranked, key=lambda i: i.indicator)]


def _x(value: float) -> float:
    return PLOT_LEFT + (value - 1) / 4 * (PLOT_RIGHT - PLOT_LEFT)


def capability_chart_svg(capability: CapabilityResult, scale: tuple[ScaleLabel, ...]) -> str:
    """Per statement, its wrapped text and a row with the colleagues' average as an open circle
    and the worker's own score as a square, grouped under the indicators' names."""
    body = legend([(COLLEAGUES_STYLE, ITEMS_LABEL), (SELF_STYLE, "You")], VIEW_WIDTH / 2, FONT + 2)
    y = FONT * 3
    for indicator, items in ordered_by_indicator(capability.items):
        if indicator:
            label = Label(tuple(textwrap.wrap(indicator, ITEM_WIDTH)), 4, y + FONT, "start")
            body.append(text_lines(label, weight="bold"))
            y = label.box.bottom + 1
        for item in items:
            body += _item_row(item, y)
            lines = len(textwrap.wrap(f"{item.number}. {item.text}", ITEM_WIDTH)) or 1
            y += lines * FONT * LINE_HEIGHT + ROW + 3
    ticks = [text_lines(_tick(p, y + 14)) for p in scale]
    height = y + 14 + 3 * SMALL_FONT * LINE_HEIGHT + 4
    title = f"{capability.name}: your score and your colleagues' average for each statement."
    return data_uri(svg_document((0, 0, VIEW_WIDTH, height), [*body, *ticks], title))


def _tick(point: ScaleLabel, baseline: float) -> Label:
    lines = (str(point.value), *textwrap.wrap(point.label, 10))
    return Label(lines, _x(point.value), baseline, "middle", SMALL_FONT)


def _item_row(item: ItemResult, top: float) -> list[str]:
    lines = tuple(textwrap.wrap(f"{item.number}. {item.text}", ITEM_WIDTH)) or ("",)
    label = Label(lines, 4, top + FONT, "start")
    middle = label.box.bottom + ROW / 2 + 1
    parts = [
        text_lines(label),
        f'<line x1="{_x(1):.1f}" y1="{middle:.1f}" x2="{_x(5):.1f}" y2="{middle:.1f}" '
        f'stroke="{GRID}" stroke-width="1"/>',
        # A short tick at each point of the scale, within the row: no line runs through text.
        *(
            f'<line x1="{_x(v):.1f}" y1="{middle - 6:.1f}" x2="{_x(v):.1f}" y2="{middle + 6:.1f}" '
            f'stroke="{FAINT}" stroke-width="1"/>'
            for v in range(1, 6)
        ),
    ]
    if item.colleague_mean is not None:
        parts.append(marker(COLLEAGUES_STYLE, _x(item.colleague_mean), middle + 3))
    if item.self_score is not None:
        # Just above the colleagues' circle, so an equal score never hides it.
        parts.append(marker(SELF_STYLE, _x(item.self_score), middle - 4))
    return parts


@functools.lru_cache(maxsize=16)
def report_charts(report: Report) -> dict[str, str]:
    """Every chart a report shows: "radar", then one per capability key.

    Reports never change once kept, so a recently drawn set is reused as it is.
    """
    charts = {"radar": radar_svg(report)}
    for capability in report.capabilities:
        charts[capability.key] = capability_chart_svg(capability, report.scale)
    return charts
