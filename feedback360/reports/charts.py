"""Report charts: matplotlib's object API (never pyplot), returned as SVG data: URIs.

Colours are the Okabe-Ito set, readable with the common kinds of colour blindness, and never the
only cue: every line also has its own dash pattern, marker and label. Text keeps parse_math off,
so "$x$" in any label stays literal. SVG text stays text (svg.fonttype none): it remains
searchable in the PDF, and WeasyPrint draws it with the same DejaVu Sans the page uses.
"""

from __future__ import annotations

import base64
import functools
import io
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import matplotlib
import numpy as np
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from .report import ALL_COLLEAGUES, CapabilityResult, ItemResult, Report, ScaleLabel


@dataclass(frozen=True, slots=True)
class LineStyle:
    colour: str
    dashes: str | tuple
    marker: str


SELF_STYLE = LineStyle("#D55E00", "--", "s")
GROUP_STYLES = {
    ALL_COLLEAGUES: LineStyle("#0072B2", "-", "o"),
    "line_manager": LineStyle("#009E73", "-.", "^"),
    "peer": LineStyle("#E69F00", ":", "D"),
    "direct_report": LineStyle("#CC79A7", (0, (6, 2, 1, 2, 1, 2)), "v"),
    "other": LineStyle("#56B4E9", (0, (4, 2)), "P"),
    "combined": LineStyle("#000000", (0, (1, 1)), "X"),
}
RC = {
    "svg.fonttype": "none",
    # A fixed salt and no date: the same report always gives the same bytes.
    "svg.hashsalt": "feedback360",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "text.parse_math": False,
}
INK = "#1b1f24"
GRID = "#8c96a0"


@contextmanager
def _figure(width: float, height: float) -> Iterator[Figure]:
    with matplotlib.rc_context(RC):
        figure = Figure(figsize=(width, height))
        FigureCanvasSVG(figure)
        yield figure


def _data_uri(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"


def radar_svg(report: Report) -> str:
    """Self against every group the rules allow, across the capabilities."""
    names = [textwrap.fill(c.name, 16) for c in report.capabilities]
    angles = np.linspace(0, 2 * np.pi, len(names), endpoint=False)
    with _figure(6.2, 5.8) as figure:
        figure.subplots_adjust(left=0.14, right=0.86, top=0.9, bottom=0.24)
        axes = figure.add_subplot(projection="polar")
        axes.set_theta_offset(np.pi / 2)
        axes.set_theta_direction(-1)
        _plot_loop(axes, angles, [c.self_mean for c in report.capabilities], SELF_STYLE, "You")
        for group in report.groups:
            values = [_group_mean(c, group.key) for c in report.capabilities]
            if any(v is not None for v in values):
                _plot_loop(axes, angles, values, GROUP_STYLES[group.key], group.label)
        axes.set_xticks(angles, names, color=INK, parse_math=False)
        _align_outward(axes, angles)
        axes.set_ylim(0, 5)
        axes.set_yticks([1, 2, 3, 4, 5], ["1", "2", "3", "4", "5"], color=GRID, parse_math=False)
        axes.set_rlabel_position(180 / len(names))
        axes.grid(color=GRID, linewidth=0.6)
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, frameon=False)
        return _data_uri(figure)


def _align_outward(axes, angles: np.ndarray) -> None:
    """Names on the right start at the circle, names on the left end at it: no overlap."""
    axes.tick_params(axis="x", pad=6)
    for label, angle in zip(axes.get_xticklabels(), angles, strict=True):
        side = np.sin(angle)
        align = "left" if side > 0.1 else "right" if side < -0.1 else "center"
        label.set_horizontalalignment(align)


def _group_mean(capability: CapabilityResult, group: str) -> float | None:
    score = capability.score(group)
    return None if score is None else score.mean


def _plot_loop(axes, angles: np.ndarray, values: list, style: LineStyle, label: str) -> None:
    """A closed line; a missing figure leaves a gap rather than a made-up point."""
    data = np.array([np.nan if v is None else v for v in values], dtype=float)
    axes.plot(
        np.append(angles, angles[0]),
        np.append(data, data[0]),
        color=style.colour,
        linestyle=style.dashes,
        marker=style.marker,
        markersize=6,
        linewidth=2,
        label=label,
    )


def capability_chart_svg(capability: CapabilityResult, scale: tuple[ScaleLabel, ...]) -> str:
    """Per item: the colleagues' mean as a dot and the worker's own score as a square."""
    count = len(capability.items)
    height = 1.5 + 0.42 * count
    with _figure(6.2, height) as figure:
        figure.subplots_adjust(left=0.1, right=0.97, top=1 - 0.55 / height, bottom=0.75 / height)
        axes = figure.add_subplot()
        _plot_items(axes, capability.items)
        _dot_axes(axes, capability, scale)
        return _data_uri(figure)


def _plot_items(axes, items: tuple[ItemResult, ...]) -> None:
    """Two lines for all the items, not two per item: drawing is most of a chart's cost.

    No range of colleagues' scores: with the mean it can force who gave what (docs/reports.md).
    """
    shown = [(row, item) for row, item in enumerate(items) if item.colleague_mean is not None]
    own = [(row, item.self_score) for row, item in enumerate(items) if item.self_score is not None]
    if shown:
        axes.plot(
            [i.colleague_mean for _, i in shown],
            [row for row, _ in shown],
            linestyle="none",
            marker="o",
            markersize=8,
            color=GROUP_STYLES[ALL_COLLEAGUES].colour,
            label="Colleagues' mean",
        )
    if own:
        # The worker's square sits just above the line, so an equal score never hides the dot.
        axes.plot(
            [score for _, score in own],
            [row - 0.28 for row, _ in own],
            linestyle="none",
            marker="s",
            markersize=7,
            markerfacecolor="white",
            markeredgewidth=2,
            color=SELF_STYLE.colour,
            label="You",
        )


def _dot_axes(axes, capability: CapabilityResult, scale: tuple[ScaleLabel, ...]) -> None:
    count = len(capability.items)
    axes.set_yticks(range(count), [str(i.number) for i in capability.items], parse_math=False)
    axes.set_ylim(count - 0.5, -0.7)
    axes.set_ylabel("Statement", parse_math=False)
    axes.set_xlim(0.6, 5.4)
    labels = [f"{p.value}\n" + textwrap.fill(p.label, 12) for p in scale]
    axes.set_xticks([p.value for p in scale], labels, parse_math=False)
    axes.grid(axis="x", color=GRID, linewidth=0.5, linestyle=":")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    handles, names = axes.get_legend_handles_labels()
    unique = dict(zip(names, handles, strict=True))
    if unique:
        axes.legend(
            unique.values(),
            unique.keys(),
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncol=3,
            frameon=False,
        )


@functools.lru_cache(maxsize=16)
def report_charts(report: Report) -> dict[str, str]:
    """Every chart a report shows: "radar", then one per capability key.

    Reports never change once kept, so a recently drawn set is reused as it is.
    """
    charts = {"radar": radar_svg(report)}
    for capability in report.capabilities:
        charts[capability.key] = capability_chart_svg(capability, report.scale)
    return charts
