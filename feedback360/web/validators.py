"""Form checks every feature shares."""

from __future__ import annotations

from wtforms.validators import Length


class MaxLength(Length):
    """An upper bound on length that the browser is not told about.

    WTForms' Length adds `maxlength` to the input, and a browser then cuts a longer paste at
    the limit without a word: a pasted 300-character name would quietly become 100. Here the
    whole paste stays in the field and the message says how long it is, so nothing typed is lost.
    """

    def __init__(self, max: int, message: str) -> None:
        # Length fills in %(length)d, the number of characters sent.
        super().__init__(max=max, message=f"{message} This one has %(length)d.")
        self.field_flags = {}
