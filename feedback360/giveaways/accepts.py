"""For patterns that find more than they mean: which part of a match counts, if any.

Each takes the match (on the text as checked, perhaps lower-cased), the text as written and the
context, and returns the span that counts, or None. The name rules' own are in names.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .names import WORD, Context, word_before
from .words import (
    FIRST_NAMES,
    FUNCTION_WORDS,
    GENERIC_CAPITALS,
    NOT_NAMES,
    PLACE_NOUNS,
    word_set,
)

Span = tuple[int, int] | None
PLACE_NOUN_WORDS = frozenset(PLACE_NOUNS)
# Months that are also words or names: counted only after a word that makes them a month.
AMBIGUOUS_MONTHS = frozenset({"March", "April", "May", "June", "August"})
HOUR = re.compile(r"[0-9]+")
ORDINAL_LEADS = word_set("on by from since until till before after")
SEASONS = word_set("spring summer autumn winter")
# Which words before a time noun make it a moment: "last week", "this morning", "next summer".
RECENT = {
    **dict.fromkeys(["week", "weekend"], word_set("last past this")),
    "month": word_set("last past"),
    "night": word_set("last"),
    **dict.fromkeys(["morning", "afternoon", "evening"], word_set("this")),
    **dict.fromkeys(SEASONS, word_set("last this next")),
}
MONTH_LEADS = word_set(
    "in on since until till during by from last next this early mid late before after of"
)


def accept_place(match: re.Match[str], text: str, context: Context) -> Span:
    """A place noun after a name ("Rowan House", "the Paisley team"), unless the name is only
    generic words ("Care Home") or the worker's."""
    words = _capitals_before(text, match.start(), 3)
    particular = [w for _, w in words if w not in PLACE_NOUN_WORDS | GENERIC_CAPITALS]
    if any(w.lower() not in context.worker for w in particular):
        return words[0][0], match.end()
    return None


def accept_event(match: re.Match[str], text: str, context: Context) -> Span:
    """An event noun after a name ("the Care Awards", "the SSSC conference")."""
    words = _capitals_before(text, match.start(), 4)
    return (words[0][0], match.end()) if words else None


def _capitals_before(text: str, start: int, most: int) -> list[tuple[int, str]]:
    """Up to `most` capitalised words just before `start`, without a first "At" or "The"."""
    words: list[tuple[int, str]] = []
    while len(words) < most and (before := word_before(text, start)) and before[1][0].isupper():
        words.insert(0, before)
        start = before[0]
    while words and words[0][1] in FUNCTION_WORDS:
        words.pop(0)
    return words


def accept_town(match: re.Match[str], text: str, context: Context) -> Span:
    """A place after "at" or "in" ("at Ninewells", "In Kilmarnock"), unless it names someone."""
    for word in WORD.findall(text, match.start(1), match.end()):
        if (
            word in FIRST_NAMES
            or word in NOT_NAMES
            or word.lower() in context.known | context.worker
        ):
            return None  # a person (the name rule's), the worker, or a word that names nothing
    return match.span()


def accept_month(match: re.Match[str], text: str, context: Context) -> Span:
    """January always; May, March and the like only after "in", "since", "last" and so on."""
    if match.group() not in AMBIGUOUS_MONTHS:
        return match.span()
    before = word_before(text, match.start())
    return match.span() if before and before[1].lower() in MONTH_LEADS else None


def accept_recent(match: re.Match[str], text: str, context: Context) -> Span:
    """A moment just gone or coming ("yesterday", "last week", "this morning", "the other
    day"), not a stretch of time ("over the past year") or a kind of day ("a long day")."""
    noun = match.group()
    if noun in ("yesterday", "tonight"):
        return match.span()
    before = word_before(text, match.start())
    if before is None:
        return None
    word = before[1].lower()
    if word == "other" and noun == "day":
        the = word_before(text, before[0])
        return (the[0], match.end()) if the and the[1].lower() == "the" else None
    if word in RECENT.get(noun, ()) and not _after_the(text, before[0], word):
        return before[0], match.end()
    return None


def _after_the(text: str, start: int, word: str) -> bool:
    """Whether "last" or "past" follows "the": "over the past week" is a stretch of time."""
    if word not in ("last", "past"):
        return False
    the = word_before(text, start)
    return the is not None and the[1].lower() == "the"


def accept_clock(match: re.Match[str], text: str, context: Context) -> Span:
    """A time of day ("7.30", "10pm"), not a sum of money ("£1.50") or a score ("4.50")."""
    start = match.start()
    if start and text[start - 1] in "£$€.,/":
        return None
    hour = int(HOUR.match(match.group()).group())  # type: ignore[union-attr]
    twelve_hour = match.group()[-1] in "mk."  # am, pm, a.m., p.m., o'clock
    return match.span() if hour <= (12 if twelve_hour else 23) else None


def accept_date(match: re.Match[str], text: str, context: Context) -> Span:
    """A day and a month ("3/5", "12.05.24"), never round-the-clock care ("24/7")."""
    found = match.group()
    if match.start() and text[match.start() - 1] in "/.-":
        return None
    numbers = re.findall(r"[0-9]+", found)
    if found[len(numbers[0])] not in "/.-":
        return match.span()  # "3 March": the month was matched by name
    day, month = int(numbers[0]), int(numbers[1])
    if found.startswith("24/7") or not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return match.span()


def accept_ordinal(match: re.Match[str], text: str, context: Context) -> Span:
    """A day of the month after "on the", "by the" and so on; "for the 2nd time" is not."""
    the = word_before(text, match.start())
    if the is None or the[1].lower() != "the":
        return None
    before = word_before(text, the[0])
    if before is None or before[1].lower() not in ORDINAL_LEADS:
        return None
    return before[0], match.end()


def after_one_of(words: frozenset[str]) -> Callable[[re.Match[str], str, Context], Span]:
    """An accept that counts a match only just after one of `words`, and takes the word in:
    "night" shift, "Ward" 3, "first" floor."""

    def accept(match: re.Match[str], text: str, context: Context) -> Span:
        before = word_before(text, match.start())
        if before is not None and before[1].lower() in words:
            return before[0], match.end()
        return None

    return accept


def accept_new_year(match: re.Match[str], text: str, context: Context) -> Span:
    """New Year with its capitals; "a new year" in lower case is only a year."""
    if match.group().startswith("new") and not text.startswith("New", match.start()):
        return None
    return match.span()
