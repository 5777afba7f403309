"""Charts: SVG data URIs, literal text, two lines told apart without colour, text a phone can
read, names clear of the chart and of each other, and no heavy library anywhere."""

from __future__ import annotations

import base64
import math
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from builders_report import all_items, raters, report_of, small_instrument

from feedback360.instruments.loading import load_instrument
from feedback360.reports.charts import (
    RADIUS,
    capability_chart_svg,
    ordered_by_indicator,
    radar_layout,
    radar_svg,
    report_charts,
)
from feedback360.reports.svg import COLLEAGUES_STYLE, SELF_STYLE, Box

INSTRUMENT = small_instrument((2, 2, 2))
INSTRUMENTS = sorted((Path(__file__).resolve().parents[2] / "instruments").glob("*.yaml"))
PHONE_WIDTH = 390 - 2 * 16  # px: a 390 px screen less the page's 1rem padding each side
SMALLEST_TEXT = 11  # px


def svg_of(uri: str) -> str:
    prefix = "data:image/svg+xml;base64,"
    assert uri.startswith(prefix)
    return base64.b64decode(uri.removeprefix(prefix)).decode()


def sample_report():
    people = raters("line_manager", 1, all_items(INSTRUMENT, 3))
    people += raters("peer", 3, all_items(INSTRUMENT, 4))
    people += raters("direct_report", 2, all_items(INSTRUMENT, 5))
    people += raters("other", 2, all_items(INSTRUMENT, 2))
    people.append(("self-1", "self", all_items(INSTRUMENT, 4)))
    return report_of(people, INSTRUMENT)


def test_the_radar_keeps_text_as_text_and_dollars_literal():
    report = sample_report()
    first = replace(report.capabilities[0], name="Costs $x$ & <b>")
    svg = svg_of(radar_svg(replace(report, capabilities=(first, *report.capabilities[1:]))))
    # One plain text element: escaped, never markup.
    assert re.search(r"<text [^>]*>Costs \$x\$ &amp; &lt;b&gt;</text>", svg)
    assert "<b>" not in svg and "<script" not in svg


def test_the_radar_draws_you_and_all_colleagues_only():
    """Groups stay in the table: five lines on one web could not be told apart."""
    svg = svg_of(radar_svg(sample_report()))
    assert "You" in svg and "All colleagues" in svg
    for label in ("Line manager", "Peers", "Other colleagues combined"):
        assert label not in svg
    assert svg.count("<polygon") == 4 + 2  # the web's four rings, then two closed lines


def test_the_radar_centre_is_1_not_0():
    layout = radar_layout(["A", "B", "C", "D", "E", "F"])
    assert layout.point(0, 1) == pytest.approx((0, 0))
    assert math.hypot(*layout.point(2, 5)) == pytest.approx(RADIUS)


def test_the_two_lines_differ_in_greyscale_and_under_deuteranopia():
    you, colleagues = SELF_STYLE, COLLEAGUES_STYLE
    assert you.dashes != colleagues.dashes and you.marker != colleagues.marker
    # Greyscale print keeps only lightness (CIE L*, 0 to 100).
    assert abs(lightness(you.colour) - lightness(colleagues.colour)) >= 25
    # Deuteranopia, simulated (Machado et al. 2009, severity 1), then compared in L*.
    seen = [simulated_deuteranopia(c) for c in (you.colour, colleagues.colour)]
    assert abs(lightness_of_linear(seen[0]) - lightness_of_linear(seen[1])) >= 25
    # Each line stands out from the white page (WCAG 1.4.11 asks 3:1 of graphics).
    for colour in (you.colour, colleagues.colour):
        assert (1.05) / (relative_luminance(colour) + 0.05) >= 3


@pytest.mark.parametrize("path", INSTRUMENTS, ids=lambda p: p.stem)
def test_text_is_at_least_11_px_on_a_390_px_phone(path):
    """The chart is as wide as the page's text on the phone; its text is scaled with it."""
    report = report_for(path)
    for name, uri in report_charts(report).items():
        svg = svg_of(uri)
        view_width = float(re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+)', svg).group(1))
        sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', svg)]
        assert sizes, name
        assert min(sizes) * PHONE_WIDTH / view_width >= SMALLEST_TEXT, name


@pytest.mark.parametrize("path", INSTRUMENTS, ids=lambda p: p.stem)
def test_capability_names_cross_neither_each_other_nor_the_web(path):
    report = report_for(path)
    layout = radar_layout(c.name for c in report.capabilities)
    boxes = [label.box for label in layout.names]
    for n, box in enumerate(boxes):
        assert not any(box.overlaps(other) for other in boxes[n + 1 :]), box
        assert not disc_touches(box, RADIUS), box


def test_scale_labels_sit_between_spokes_on_white():
    svg = svg_of(radar_svg(sample_report()))
    # Each number 1 to 5 has a white patch drawn after both lines, so no line crosses it.
    last_line = svg.rfind("<polygon")
    patches = [m.start() for m in re.finditer(r'<rect [^>]*fill="#ffffff"/>', svg)]
    assert len(patches) == 5 and min(patches) > last_line


def test_a_capability_chart_names_each_statement_and_says_average():
    report = sample_report()
    capability = report.capabilities[0]
    svg = svg_of(capability_chart_svg(capability, report.scale))
    for item in capability.items:
        assert f"{item.number}. {item.text}" in svg
    for label in ("You", "Colleagues' average", "Almost", "never", "Sometimes"):
        assert f">{label}</text>" in svg
    assert "mean" not in svg.lower()
    # No range: with the average it can force who gave what (docs/reports.md).
    assert "Range" not in svg
    assert COLLEAGUES_STYLE.colour in svg and SELF_STYLE.colour in svg


def test_statements_are_grouped_by_indicator_in_first_seen_order():
    report = sample_report()
    items = report.capabilities[0].items
    mixed = (replace(items[0], indicator="B"), replace(items[1], indicator="A"),
             replace(items[0], number=9, indicator="B"))
    grouped = ordered_by_indicator(mixed)
    assert [name for name, _ in grouped] == ["B", "A"]
    assert [i.number for i in grouped[0][1]] == [items[0].number, 9]


def test_the_same_report_draws_the_same_bytes():
    report = sample_report()
    assert radar_svg(report) == radar_svg(report)


def test_neither_pyplot_nor_weasyprint_is_imported_by_the_web_app():
    code = (
        "import sys\n"
        "from feedback360 import create_app\n"
        "app = create_app({'FEEDBACK360_ENV': 'testing', 'SECRET_KEY': 'x',"
        " 'DATABASE_URL': 'sqlite://'})\n"
        "assert 'weasyprint' not in sys.modules, 'weasyprint'\n"
        "from feedback360.reports.charts import radar_svg\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


# Helpers -------------------------------------------------------------------------------------


def report_for(path: Path):
    """A report of a real instrument, every figure shown, so every chart has all its parts."""
    instrument = load_instrument(path)
    people = raters("peer", 4, all_items(instrument, 4))
    people += raters("direct_report", 3, all_items(instrument, 2))
    people.append(("self-1", "self", all_items(instrument, 5)))
    return report_of(people, instrument)


def disc_touches(box: Box, radius: float) -> bool:
    """Whether the web (within `radius` of the centre) reaches into the box."""
    nearest_x = min(max(0, box.left), box.right)
    nearest_y = min(max(0, box.top), box.bottom)
    return math.hypot(nearest_x, nearest_y) < radius


def linear(colour: str) -> tuple[float, float, float]:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return tuple(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)


def relative_luminance(colour: str) -> float:
    return luminance_of_linear(linear(colour))


def luminance_of_linear(rgb: tuple[float, float, float]) -> float:
    r, g, b = rgb
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def lightness_of_linear(rgb: tuple[float, float, float]) -> float:
    y = luminance_of_linear(rgb)
    return 116 * y ** (1 / 3) - 16 if y > 216 / 24389 else 24389 / 27 * y


def lightness(colour: str) -> float:
    return lightness_of_linear(linear(colour))


DEUTERANOPIA = (
    (0.367322, 0.860646, -0.227968),
    (0.280085, 0.672501, 0.047413),
    (-0.011820, 0.042940, 0.968881),
)


def simulated_deuteranopia(colour: str) -> tuple[float, float, float]:
    rgb = linear(colour)
    return tuple(
        min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True))))
        for row in DEUTERANOPIA
    )


def test_without_all_colleagues_the_radar_draws_the_first_group_shown():
    """Where the rules hold "All colleagues" back, the radar still compares you with someone."""
    report = sample_report()
    report = replace(report, groups=tuple(g for g in report.groups if g.key != "all"))
    svg = svg_of(radar_svg(report))
    assert ">Line manager</text>" in svg and "All colleagues" not in svg
    assert svg.count("<polygon") == 4 + 2
