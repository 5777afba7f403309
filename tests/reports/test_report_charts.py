"""Charts: SVG data URIs, literal text, distinct line styles, and no pyplot anywhere."""

from __future__ import annotations

import base64
import re
import subprocess
import sys
from dataclasses import replace

from builders_report import all_items, raters, report_of, small_instrument

from feedback360.reports.charts import (
    GROUP_STYLES,
    SELF_STYLE,
    capability_chart_svg,
    radar_svg,
)

INSTRUMENT = small_instrument((2, 2, 2))


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
    # Drawn as one plain text element (mathtext would split it into glyphs).
    assert re.search(r"<text [^>]*>Costs \$x\$ &amp; &lt;b&gt;</text>", svg)
    for label in ("You", "All colleagues", "Line manager", "Peers", "Other colleagues combined"):
        assert label in svg
    assert "<script" not in svg


def test_every_line_has_its_own_colour_dashes_and_marker():
    styles = [SELF_STYLE, *GROUP_STYLES.values()]
    for attribute in ("colour", "dashes", "marker"):
        values = [repr(getattr(style, attribute)) for style in styles]
        assert len(set(values)) == len(values), attribute


def test_a_capability_chart_marks_self_and_colleagues_differently():
    report = sample_report()
    svg = svg_of(capability_chart_svg(report.capabilities[0], report.scale))
    for label in ("You", "Colleagues' mean", "Almost never"):
        assert label in svg
    # No range: with the mean it can force who gave what (docs/reports.md).
    assert "Range" not in svg
    assert GROUP_STYLES["all"].colour.lower() in svg.lower()
    assert SELF_STYLE.colour.lower() in svg.lower()


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
        "assert 'matplotlib' not in sys.modules, 'matplotlib'\n"
        "from feedback360.reports.charts import radar_svg\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
