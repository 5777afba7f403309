"""Every point of the SSSC sources is asked about, or says why not (issue 17).

Each shipped instrument keeps, under `sources`, the points it was written from: for managers the
22 indicators at the end of "23 Things", for frontline workers what Things 5 to 10 say each
capability may involve and the self-leadership themes of Thing 13. docs/instruments.md shows the
same table; a test here keeps the two equal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from feedback360.instruments.loading import DEFAULT_DIRECTORY

SHIPPED = ("frontline", "manager")
DOCS = Path(__file__).resolve().parents[1] / "docs" / "instruments.md"
POINT_FIELDS = {"thing", "indicator", "point", "items", "parts", "left_out", "note"}
# Points of the frontline sources deliberately not asked about; each says why in the file.
# Leaving another out is a decision for review, so it has to be made here too.
FRONTLINE_LEFT_OUT = {
    "The importance of my own values and attitudes",
    "Understanding the organisation's values and culture",
    "Awareness of the wider context and of the organisation's overall vision",
    "Using evidence and information to influence colleagues in other organisations",
}
# The frontline points that version 1 did not ask about (issue 17): each must have a statement.
ISSUE_17_POINTS = (
    "Harnessing the energy and expertise of the people I work with",
    "Encouraging better performance",
    "Recognising my own leadership skills and abilities",
    "Being aware of my impact on others",
    "Expecting the best of others",
    "Taking responsibility for an area of work",
    "Bringing others with me",
    "Helping others to reflect on their strengths",
    "Everyone's contribution valued",
    "Empowering others to try new things and take sensible risks",
    "Acting on the views of families, carers, staff and the community",
    "Working creatively across service or organisation boundaries for the person",
    "Encouraging the people supported to think differently or try new things",
    "Working towards shared goals when views differ or conflict",
    "Building networks",
    "Using evidence and information to influence people with authority",
    "Advocacy, speaking up for someone to get the best outcome for them",
)


def read(key: str) -> dict[str, Any]:
    return yaml.safe_load((DEFAULT_DIRECTORY / f"{key}.yaml").read_text(encoding="utf-8"))


def points(key: str) -> list[dict[str, Any]]:
    return read(key)["sources"]["points"]


def items_by_key(key: str) -> dict[str, dict[str, Any]]:
    return {
        item["key"]: item
        for capability in read(key)["capabilities"]
        for item in capability["items"]
    }


def asked_by(point: dict[str, Any]) -> list[str]:
    """The item keys that ask about a point, its parts' included."""
    return [*point.get("items", []), *(k for part in point.get("parts", []) for k in part["items"])]


@pytest.mark.parametrize("key", SHIPPED)
def test_the_sources_name_the_document_they_come_from(key):
    sources = read(key)["sources"]

    assert "Scottish Social Services Council" in sources["document"]
    assert "CC BY 4.0" in sources["document"]
    assert sources["about"].strip()


@pytest.mark.parametrize("key", SHIPPED)
def test_every_source_point_is_asked_about_or_says_why_not(key):
    known = items_by_key(key)
    for point in points(key):
        assert set(point) <= POINT_FIELDS, point
        how = {"items", "parts", "left_out"} & set(point)
        assert len(how) == 1, f"{point['point']}: give items, parts or left_out"
        if "left_out" in point:
            assert len(point["left_out"].split()) >= 10, f"{point['point']}: say why"
        for part in point.get("parts", []):
            assert part["items"], f"{point['point']}: {part['part']} has no statement"
        assert all(item in known for item in asked_by(point)), point
        assert "left_out" in point or asked_by(point), f"{point['point']} has no statement"


@pytest.mark.parametrize("key", SHIPPED)
def test_every_statement_answers_a_source_point(key):
    asked = {item for point in points(key) for item in asked_by(point)}

    assert set(items_by_key(key)) - asked == set()


def test_manager_sources_are_the_22_indicators_in_the_instrument_order():
    manager = read("manager")
    indicators = [i for capability in manager["capabilities"] for i in capability["indicators"]]

    assert len(points("manager")) == 22
    assert [(p["indicator"], p["point"]) for p in points("manager")] == [
        (i["key"], i["name"]) for i in indicators
    ]
    assert not any("left_out" in point for point in points("manager"))


def test_a_manager_indicator_is_asked_about_by_its_own_statements():
    known = items_by_key("manager")
    for point in points("manager"):
        assert {known[item]["indicator"] for item in asked_by(point)} == {point["indicator"]}


def test_a_two_part_manager_indicator_has_a_statement_for_each_part():
    for point in points("manager"):
        if " and " not in point["point"]:
            continue
        parts = point.get("parts", [])
        assert len(parts) == 2, f"{point['point']} names two things: give each its part"
        first, second = (set(part["items"]) for part in parts)
        assert first and second and not first & second, point["point"]


def test_challenging_discrimination_and_oppression_keeps_both():
    point = next(p for p in points("manager") if p["indicator"] == "self_challenging")

    assert [part["part"] for part in point["parts"]] == [
        "Challenging discrimination",
        "Challenging oppression",
    ]


def test_frontline_sources_cover_things_5_to_10_and_the_themes_of_thing_13():
    assert {point["thing"] for point in points("frontline")} == {5, 6, 7, 8, 9, 10, 13}


def test_frontline_points_left_out_are_the_agreed_few():
    left_out = {point["point"] for point in points("frontline") if "left_out" in point}

    assert left_out == FRONTLINE_LEFT_OUT


@pytest.mark.parametrize("text", ISSUE_17_POINTS)
def test_a_frontline_point_version_1_missed_is_asked_about(text):
    point = next(p for p in points("frontline") if p["point"] == text)

    assert asked_by(point)


# --- docs/instruments.md shows the same table ----------------------------------------------


def cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def keys_cell(keys: list[str]) -> str:
    return ", ".join(f"`{key}`" for key in keys) or "none"


def table_rows(key: str) -> list[str]:
    """The coverage table of one instrument, as docs/instruments.md shows it."""
    if key == "frontline":
        return [
            f"| {p['thing']} | {cell(p['point'])} | {keys_cell(p.get('items', []))} | "
            f"{cell(p.get('left_out') or p.get('note', ''))} |"
            for p in points(key)
        ]
    names = {i["key"]: c["name"] for c in read(key)["capabilities"] for i in c["indicators"]}
    rows = []
    for p in points(key):
        parts = p.get("parts") or [{"part": "", "items": p["items"]}]
        for part in parts:
            rows.append(
                f"| {names[p['indicator']]} | {cell(p['point'])} | {cell(part['part'])} | "
                f"{keys_cell(part['items'])} |"
            )
    return rows


def documented_rows(key: str) -> list[str]:
    text = DOCS.read_text(encoding="utf-8")
    start = text.index(f"<!-- {key} table: start")
    end = text.index(f"<!-- {key} table: end")
    lines = text[start:end].splitlines()[1:]
    return [line for line in lines if line.startswith("| ") and not line.startswith("| ---")][1:]


@pytest.mark.parametrize("key", SHIPPED)
def test_the_docs_table_is_the_one_in_the_instrument_file(key):
    assert documented_rows(key) == table_rows(key)
