"""After a load run: is every accepted submit stored exactly once, and nothing else?

Answer sets cannot be traced to invitations (by design), so each bench rater's tag rides in
their "does well" comment, and the check counts answer sets per tag.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from _harness import figure, note
from sqlalchemy import create_engine, text

TAG = re.compile(r"bench rater (\d+):")


@dataclass(frozen=True, slots=True)
class Stored:
    per_tag: Counter[int]
    incomplete_sets: int  # answer sets without every item's answer
    submitted_invitations: int | None  # None for the floor, which has no invitations
    drafts_left: int | None

    def lost(self, ok: set[int]) -> set[int]:
        return {tag for tag in ok if self.per_tag[tag] == 0}

    def duplicated(self) -> set[int]:
        return {tag for tag, count in self.per_tag.items() if count > 1}

    def print(self, name: str, ok: set[int], failed: set[int]) -> None:
        unexpected = {tag for tag in self.per_tag if tag not in ok}
        figure(f"{name} stored answer sets", sum(self.per_tag.values()))
        figure(f"{name} lost (success, not stored)", len(self.lost(ok)))
        figure(f"{name} duplicated (stored twice)", len(self.duplicated()))
        figure(f"{name} stored without a success", len(unexpected))
        figure(f"{name} incomplete answer sets", self.incomplete_sets)
        if self.submitted_invitations is not None:
            figure(f"{name} invitations marked submitted", self.submitted_invitations)
            figure(f"{name} drafts kept for unsent raters", self.drafts_left or 0)
        silent = unexpected & failed
        if silent:
            note(f"{name}: {len(silent)} answered with a failure yet were stored")


def check_stored(database_url: str, has_invitations: bool) -> Stored:
    """Counts over the whole database: each run has a fresh one, holding only its own rows."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            per_tag = _tags(connection)
            incomplete = _incomplete(connection)
            submitted = drafts = None
            if has_invitations:
                submitted = connection.scalar(
                    text("SELECT count(*) FROM invitation WHERE status = 'submitted'")
                )
                drafts = connection.scalar(text("SELECT count(*) FROM rater_draft"))
    finally:
        engine.dispose()
    return Stored(per_tag, incomplete, submitted, drafts)


def _tags(connection) -> Counter[int]:
    rows = connection.execute(text("SELECT text FROM comment WHERE question_key = 'does_well'"))
    return Counter(int(m.group(1)) for (body,) in rows if (m := TAG.match(body)))


def _incomplete(connection) -> int:
    counts = connection.execute(
        text(
            "SELECT count(a.item_key) FROM answer_set s"
            " LEFT JOIN answer a ON a.answer_set_id = s.id GROUP BY s.id"
        )
    ).scalars()
    values = list(counts)
    expected = max(values, default=0)
    return sum(1 for v in values if v != expected)
