"""A checked text as a page shows it: paragraphs of plain and marked pieces, and the findings.

Plain values only, for templates (templates/giveaways/_marks.html): each finding is numbered
from 1, and each of its pieces knows whether it opens or closes the finding, so the page can
put the id and the hidden "starts" on the first and the link to the reason after the last.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .check import Finding

LINE = re.compile(r"[^\r\n]*\S[^\r\n]*")


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    number: int | None = None  # the finding this piece belongs to, from 1; None for plain text
    opens: bool = False
    closes: bool = False


@dataclass(frozen=True, slots=True)
class Explained:
    """A finding as the list under the text shows it."""

    number: int
    phrase: str
    reason: str
    suggestion: str


@dataclass(frozen=True, slots=True)
class Marked:
    """One checked text; `key` makes its ids unique on the page."""

    key: str
    paragraphs: tuple[tuple[Piece, ...], ...]
    findings: tuple[Explained, ...]


def mark(key: str, text: str, findings: tuple[Finding, ...]) -> Marked:
    """The text cut into paragraphs (its non-blank lines) and pieces, around the findings."""
    paragraphs = tuple(_pieces(text, line.span(), findings) for line in LINE.finditer(text))
    explained = tuple(
        Explained(number, " ".join(f.phrase(text).split()), f.reason, f.suggestion)
        for number, f in enumerate(findings, start=1)
    )
    return Marked(key, paragraphs, explained)


def _pieces(text: str, line: tuple[int, int], findings: tuple[Finding, ...]) -> tuple[Piece, ...]:
    start, end = line
    pieces = []
    position = start
    for number, finding in enumerate(findings, start=1):
        if finding.end <= start or finding.start >= end:
            continue
        cut_from, cut_to = max(finding.start, start), min(finding.end, end)
        if cut_from > position:
            pieces.append(Piece(text[position:cut_from]))
        opens, closes = finding.start >= start, finding.end <= end
        pieces.append(Piece(text[cut_from:cut_to], number, opens, closes))
        position = cut_to
    if position < end:
        pieces.append(Piece(text[position:end]))
    return tuple(pieces)
