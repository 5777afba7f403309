"""What a valid instrument looks like, checked on plain data with every problem's line."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from typing import Any

from .findings import Findings, Location

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,48}$")
KEY_RULE = "use 2 to 49 lowercase letters, digits and _, starting with a letter"
SCALE_VALUES = (1, 2, 3, 4, 5)
CAPABILITY_COUNT = 6
QUESTION_COUNT = 2
MIN_ITEMS, MAX_ITEMS = 24, 36  # raters tire past about 35 statements
MIN_ITEMS_PER_CAPABILITY = 3

# Every field of every kind of mapping is required, with the type given.
FIELDS: dict[str, dict[str, type]] = {
    "instrument": {
        "key": str, "version": int, "title": str, "audience": str, "intro": str,
        "scale": dict, "capabilities": list, "questions": list,
    },
    "scale": {"points": list, "not_observed": str},
    "point": {"value": int, "label": str},
    "capability": {
        "key": str, "name": str, "description": str, "comment_prompt": str,
        "indicators": list, "items": list,
    },
    "indicator": {"key": str, "name": str},
    "item": {"key": str, "indicator": str, "self": str, "colleague": str},
    "question": {"key": str, "self": str, "colleague": str},
}  # fmt: skip
# The kind of mapping that a nested field holds (for a list: each of its elements).
CHILD_KIND = {
    "scale": "scale", "points": "point", "capabilities": "capability",
    "indicators": "indicator", "items": "item", "questions": "question",
}  # fmt: skip
TYPE_NAMES = {str: "text", int: "a whole number", list: "a list", dict: "a mapping"}


def type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, float):
        return "a decimal number"
    return TYPE_NAMES.get(type(value), f"a {type(value).__name__}")


# --- structure: what instrument_from_dict needs to build the dataclasses ---------------------


def check_structure(data: Any, findings: Findings) -> None:
    """Types, required and unknown fields, blank text, unique keys, indicator references."""
    check_mapping(data, (), "instrument", findings)
    if isinstance(data, dict):
        check_unique_keys(data, findings)
        check_item_indicators(data, findings)


def check_mapping(value: Any, loc: Location, kind: str, findings: Findings) -> None:
    fields = FIELDS[kind]
    if not isinstance(value, dict):
        findings.add(loc, f"expected a mapping with {', '.join(fields)}; got {type_name(value)}")
        return
    for name in value:
        if name not in fields:
            findings.add((*loc, name), unknown_field_message(name, fields))
    for name, expected in fields.items():
        if name in value:
            check_field(value[name], (*loc, name), expected, findings)
        else:
            findings.add(loc, f"missing required field '{name}'")


def unknown_field_message(name: str, fields: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(fields), n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"expected one of: {', '.join(fields)}"
    return f"unknown field; {hint}"


def check_field(value: Any, loc: Location, expected: type, findings: Findings) -> None:
    # bool is an int in Python, but `version: true` is a mistake, not version 1.
    if not isinstance(value, expected) or isinstance(value, bool):
        shown = f" ({value!r})" if isinstance(value, str | int | float) else ""
        findings.add(loc, f"expected {TYPE_NAMES[expected]}, got {type_name(value)}{shown}")
    elif expected is str and not value.strip():
        findings.add(loc, "must not be blank")
    elif expected is dict:
        check_mapping(value, loc, CHILD_KIND[str(loc[-1])], findings)
    elif expected is list:
        for index, element in enumerate(value):
            check_mapping(element, (*loc, index), CHILD_KIND[str(loc[-1])], findings)


def entries(value: Any, loc: Location) -> Iterator[tuple[Location, dict[str, Any]]]:
    """The mappings in a list, with their locations; anything malformed is skipped (reported)."""
    if isinstance(value, list):
        for index, element in enumerate(value):
            if isinstance(element, dict):
                yield (*loc, index), element


def capabilities(data: dict[str, Any]) -> Iterator[tuple[Location, dict[str, Any]]]:
    return entries(data.get("capabilities"), ("capabilities",))


def nested(data: dict[str, Any], name: str) -> Iterator[tuple[Location, dict[str, Any]]]:
    """Every indicator (or item) of every capability."""
    for loc, capability in capabilities(data):
        yield from entries(capability.get(name), (*loc, name))


def check_unique_keys(data: dict[str, Any], findings: Findings) -> None:
    # Items and indicators must be unique across the whole instrument: answers and reports
    # are stored by item key alone.
    check_unique(capabilities(data), "capability", findings)
    check_unique(nested(data, "indicators"), "indicator", findings)
    check_unique(nested(data, "items"), "item", findings)
    check_unique(entries(data.get("questions"), ("questions",)), "question", findings)


def check_unique(found: Iterable[tuple[Location, dict[str, Any]]], what: str, f: Findings) -> None:
    seen: dict[str, Location] = {}
    for loc, mapping in found:
        key = mapping.get("key")
        if not isinstance(key, str):
            continue
        if key in seen:
            f.add((*loc, "key"), f"duplicate {what} key '{key}' (first at {f.where(seen[key])})")
        else:
            seen[key] = (*loc, "key")


def keys_of(value: Any) -> list[str]:
    return [m["key"] for _, m in entries(value, ()) if isinstance(m.get("key"), str)]


def check_item_indicators(data: dict[str, Any], findings: Findings) -> None:
    # An item belongs to an indicator of its own capability, or the report groups it wrongly.
    for cap_loc, capability in capabilities(data):
        known = keys_of(capability.get("indicators"))
        for loc, item in entries(capability.get("items"), (*cap_loc, "items")):
            indicator = item.get("indicator")
            if isinstance(indicator, str) and indicator not in known:
                listed = ", ".join(known) or "none"
                message = f"unknown indicator '{indicator}' (this capability has: {listed})"
                findings.add((*loc, "indicator"), message)


# --- rules for a file an operator ships (snapshots of past rounds are not re-judged) ---------


def check_rules(data: Any, findings: Findings) -> None:
    if not isinstance(data, dict):
        return
    check_version(data, findings)
    check_keys(data, findings)
    check_scale(data.get("scale"), findings)
    check_counts(data, findings)
    check_question_count(data, findings)
    check_indicators_used(data, findings)


def check_version(data: dict[str, Any], findings: Findings) -> None:
    version = data.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version < 1:
        findings.add(("version",), f"must be 1 or more, got {version}")


def check_keys(data: dict[str, Any], findings: Findings) -> None:
    groups = (
        capabilities(data),
        nested(data, "indicators"),
        nested(data, "items"),
        entries(data.get("questions"), ("questions",)),
    )
    found = [(("key",), data.get("key"))]
    for group in groups:
        found += [((*loc, "key"), mapping.get("key")) for loc, mapping in group]
    for loc, key in found:
        if isinstance(key, str) and key.strip() and not KEY_PATTERN.match(key):
            findings.add(loc, f"'{key}' is not a valid key; {KEY_RULE}")


def check_scale(scale: Any, findings: Findings) -> None:
    if not isinstance(scale, dict) or not isinstance(scale.get("points"), list):
        return
    points = scale["points"]
    if len(points) != len(SCALE_VALUES):
        findings.add(("scale", "points"), f"expected {len(SCALE_VALUES)} points, got {len(points)}")
    seen: set[int] = set()
    for loc, point in entries(points, ("scale", "points")):
        value = point.get("value")
        if not isinstance(value, int) or isinstance(value, bool):
            continue
        if value not in SCALE_VALUES:
            findings.add((*loc, "value"), f"{value} is out of range; the values are 1 to 5")
        elif value in seen:
            findings.add((*loc, "value"), f"{value} is used twice; each of 1 to 5 once")
        seen.add(value)


def check_counts(data: dict[str, Any], findings: Findings) -> None:
    caps = list(capabilities(data))
    if isinstance(data.get("capabilities"), list) and len(caps) != CAPABILITY_COUNT:
        got = f"got {len(caps)}"
        findings.add(("capabilities",), f"expected {CAPABILITY_COUNT} capabilities, {got}")
    counts = [count_items(capability) for _, capability in caps]
    for (loc, _), count in zip(caps, counts, strict=True):
        if count is not None and count < MIN_ITEMS_PER_CAPABILITY:
            need = f"a capability needs at least {MIN_ITEMS_PER_CAPABILITY}"
            findings.add((*loc, "items"), f"{count} items; {need}")
    total = sum(count or 0 for count in counts)
    if caps and not MIN_ITEMS <= total <= MAX_ITEMS:
        need = f"an instrument needs {MIN_ITEMS} to {MAX_ITEMS}"
        findings.add(("capabilities",), f"{total} rating items in all; {need}")


def check_question_count(data: dict[str, Any], findings: Findings) -> None:
    questions = data.get("questions")
    if isinstance(questions, list) and len(questions) != QUESTION_COUNT:
        got = f"got {len(questions)}"
        findings.add(("questions",), f"expected exactly {QUESTION_COUNT} overall questions, {got}")


def count_items(capability: dict[str, Any]) -> int | None:
    items = capability.get("items")
    return len(items) if isinstance(items, list) else None


def check_indicators_used(data: dict[str, Any], findings: Findings) -> None:
    for cap_loc, capability in capabilities(data):
        used = {item.get("indicator") for _, item in entries(capability.get("items"), ())}
        for loc, indicator in entries(capability.get("indicators"), (*cap_loc, "indicators")):
            key = indicator.get("key")
            if isinstance(key, str) and key not in used:
                findings.add(loc, f"indicator '{key}' is not used by any item")
