"""The Open Badges `Evidence` shapes, written as JSON Schema from the two specs.

3.0: `type` is an array that must include "Evidence"; `id` a URI; `narrative` Markdown; `name`,
`description`, `genre`, `audience` strings. 2.0: the same properties, with `type` a JSON-LD type
(the string "Evidence", or an array that includes it) and `id` an IRI. Both shapes here refuse
any other property, so evidence.json holds nothing that one of the two versions lacks.
"""

from __future__ import annotations

import re
from typing import Any

TEXT = {"type": "string", "minLength": 1}
URI = {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$"}
TEXT_PROPERTIES = {name: TEXT for name in ("narrative", "name", "description", "genre", "audience")}
EVIDENCE_TYPE = {"type": "array", "items": {"type": "string"}, "contains": {"const": "Evidence"}}

OB3_EVIDENCE = {
    "type": "object",
    "required": ["type"],
    "properties": {"type": EVIDENCE_TYPE, "id": URI, **TEXT_PROPERTIES},
    "additionalProperties": False,
}
OB2_EVIDENCE = {
    "type": "object",
    "properties": {
        "type": {"anyOf": [{"const": "Evidence"}, EVIDENCE_TYPE]},
        "id": URI,
        **TEXT_PROPERTIES,
    },
    "additionalProperties": False,
}
# What the issue asks of our evidence on top of either spec: these five, and a urn:uuid id.
OURS = {
    "type": "object",
    "required": ["type", "id", "name", "narrative", "genre"],
    "properties": {
        "id": {"type": "string", "pattern": r"^urn:uuid:[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$"}
    },
}


def problems(instance: Any, schema: dict, where: str = "$") -> list[str]:
    """Where `instance` breaks `schema`: jsonschema if installed, else the same keywords by hand."""
    try:
        import jsonschema
    except ImportError:
        return _by_hand(instance, schema, where)
    validator = jsonschema.Draft202012Validator(schema)
    return [f"{where}{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]


def _by_hand(value: Any, schema: dict, where: str) -> list[str]:
    """Only the keywords the shapes above use."""
    found = []
    kind = schema.get("type")
    kinds = {"object": dict, "array": list, "string": str}
    if kind and not isinstance(value, kinds[kind]):
        return [f"{where}: not an {kind}"]
    if "const" in schema and value != schema["const"]:
        found.append(f"{where}: is not {schema['const']!r}")
    if "anyOf" in schema and all(_by_hand(value, option, where) for option in schema["anyOf"]):
        found.append(f"{where}: matches none of anyOf")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            found.append(f"{where}: too short")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            found.append(f"{where}: does not match {schema['pattern']}")
    if isinstance(value, list):
        for index, item in enumerate(value):
            found += _by_hand(item, schema.get("items", {}), f"{where}[{index}]")
        if "contains" in schema and all(_by_hand(i, schema["contains"], where) for i in value):
            found.append(f"{where}: contains nothing that matches {schema['contains']}")
    if isinstance(value, dict):
        found += [
            f"{where}: {name} is missing"
            for name in schema.get("required", ())
            if name not in value
        ]
        properties = schema.get("properties", {})
        for name, item in value.items():
            if name in properties:
                found += _by_hand(item, properties[name], f"{where}.{name}")
            elif schema.get("additionalProperties") is False:
                found.append(f"{where}: {name} is not an Evidence property")
    return found
