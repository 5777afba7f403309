"""Which way a person's words run, for the PDF.

On screen the report marks people's words dir="auto" and the browser decides. WeasyPrint does
not implement dir="auto", so the PDF is given the direction the same rule would find: that of
the first strongly directional character (HTML's "auto" algorithm, for plain text).
"""

from __future__ import annotations

import unicodedata

RIGHT_TO_LEFT = frozenset({"R", "AL"})  # Hebrew and the like; Arabic letters


def text_direction(text: str) -> str:
    """ "rtl" when the first letter with a direction runs right to left, else "ltr"."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in RIGHT_TO_LEFT:
            return "rtl"
    return "ltr"
