"""Badge evidence as files: plain text and Markdown to paste, and an Open Badges Evidence object.

The JSON is one object valid as an Open Badges 3.0 `Evidence` and as a 2.0 `Evidence` (both
specs share these properties; 2.0 allows `type` as an array that includes "Evidence"). It
has no `@context`: it is meant to be placed inside a credential, which carries the context.
"""

from __future__ import annotations

from typing import Any

from .content import DESCRIPTION, GENRE, Evidence, Part

FILE_NAMES = {"text": "evidence.txt", "markdown": "evidence.md", "json": "evidence.json"}


def as_text(evidence: Evidence) -> str:
    """Headings on their own lines and the worker's words under them, to paste into a form."""
    blocks = [evidence.name]
    for part in evidence.parts:
        if part.level == 4:
            blocks.append(f"{part.heading}: {part.text}")
        else:
            blocks.append("\n".join(filter(None, (part.heading, part.text))))
    return "\n\n".join(blocks) + "\n"


def as_markdown(evidence: Evidence) -> str:
    return f"# {evidence.name}\n\n{narrative(evidence)}"


def narrative(evidence: Evidence) -> str:
    """The Markdown body: the Open Badges `narrative` is Markdown, and its title is `name`."""
    return "\n\n".join(_markdown_part(part) for part in evidence.parts) + "\n"


def _markdown_part(part: Part) -> str:
    if part.level == 4:
        return f"**{part.heading}:** {part.text}"
    heading = f"{'#' * part.level} {part.heading}"
    return f"{heading}\n\n{part.text}" if part.text else heading


def as_open_badges(evidence: Evidence) -> dict[str, Any]:
    return {
        "type": ["Evidence"],
        "id": evidence.id,
        "name": evidence.name,
        "description": DESCRIPTION,
        "narrative": narrative(evidence),
        "genre": GENRE,
    }


def for_export(evidence: Evidence | None) -> dict[str, Any] | None:
    """What the worker's data export holds of it: the text and the JSON, as downloaded."""
    if evidence is None:
        return None
    return {"text": as_text(evidence), "evidence_json": as_open_badges(evidence)}
