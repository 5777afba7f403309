"""Which capitalised words in a comment are people's names, and the words just before a phrase.

A capital at the start of a sentence says nothing, so there a word counts only if it is a known
first name or one of the names given for the round. In the middle of a sentence a capitalised
word counts unless it is a word that names no one (words.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .words import AMBIGUOUS_NAMES, EVERYDAY_WORDS, FIRST_NAMES, NOT_NAMES, NOUN_ENDINGS

UPPER = "A-ZÀ-ÖØ-Þ"
LOWER = "a-zß-öø-ÿ"
# "Fiona", "McAllister", "MacLeod", "O'Neill", "Anne-Marie"; a possessive "'s" is left off.
# It starts with a class of capitals, so the regular-expression engine can skip to each one.
CAPITALISED = (
    rf"[{UPPER}](?:['’][{UPPER}])?[{LOWER}]+(?:[{UPPER}][{LOWER}]+)?"
    rf"(?:['’-][{UPPER}][{LOWER}]+)*"
)
# One to four capitalised words in a row ("Mrs Patterson", "Fiona Reid").
NAME_RUN = re.compile(rf"{CAPITALISED}(?:[ \t]+{CAPITALISED}){{0,3}}")
WORD = re.compile(CAPITALISED)
ANY_WORD = re.compile(rf"[{UPPER}{LOWER}]+(?:['’-][{UPPER}{LOWER}]+)*")
TITLES = frozenset({"Mr", "Mrs", "Ms", "Miss", "Mx", "Dr"})
TITLE_BEFORE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.[ \t]*\Z")
SPACES = " \t\r\n"
# What may stand between a sentence's end and its first word: spaces, quotes, brackets, bullets.
OPENERS = " \t\"'“‘([*•-–—"
SENTENCE_ENDS = ".!?:;\n\r"
QUOTES = "\"'“‘("


@dataclass(frozen=True, slots=True)
class Context:
    """What one check knows beyond the text: the round's names, and the worker's own."""

    known: frozenset[str] = frozenset()  # lower-case words of the names given for the round
    worker: frozenset[str] = frozenset()  # lower-case words of the worker's own name


def name_words(names: list[str] | tuple[str, ...]) -> frozenset[str]:
    """The lower-case words of some names; initials and one-letter words are left out."""
    return frozenset(
        word.lower() for name in names for word in ANY_WORD.findall(name) if len(word) > 1
    )


def word_before(text: str, start: int) -> tuple[int, str] | None:
    """The word just before `start` across spaces, and where it starts ("last" Tuesday).

    Plain string work, not a search: the rules ask this for every number in a comment.
    """
    end = start
    while end and text[end - 1] in SPACES:
        end -= 1
    begin = end
    while begin and (text[begin - 1].isalnum() or _joins(text, begin - 1)):
        begin -= 1
    if begin == end or end == start:
        return None
    return begin, text[begin:end]


def _joins(text: str, position: int) -> bool:
    """An apostrophe or hyphen inside a word ("Andrew's", "Anne-Marie")."""
    return text[position] in "'’-" and position > 0 and text[position - 1].isalnum()


def starts_sentence(text: str, start: int) -> bool:
    """Whether the word at `start` is the first of its sentence, line, quotation or bracket."""
    position = start - 1
    while position >= 0 and text[position] in OPENERS:
        if text[position] in QUOTES:
            return True
        position -= 1
    return position < 0 or text[position] in SENTENCE_ENDS


def accept_name(match: re.Match[str], text: str, context: Context) -> tuple[int, int] | None:
    """The part of a run of capitalised words that names someone, or None."""
    found = match.group()
    # Most runs are one word; only longer ones need cutting into words.
    words = (
        [match]
        if " " not in found and "\t" not in found
        else list(WORD.finditer(text, *match.span()))
    )
    title = None
    if "." in text[max(0, match.start() - 3) : match.start()]:
        title = TITLE_BEFORE.search(text, max(0, match.start() - 8), match.start())
    if words[0].group() in TITLES and len(words) > 1:
        title, words = words[0], words[1:]
    first_in_sentence = title is None and starts_sentence(text, words[0].start())
    named: list[tuple[int, int]] = []
    previous_named = title is not None
    for number, word in enumerate(words):
        first = number == 0 and first_in_sentence
        previous_named = _is_name(word.group(), context, first, previous_named)
        if previous_named:
            named.append(word.span())
    if not named:
        return None
    return (title.start() if title else named[0][0]), named[-1][1]


def _is_name(word: str, context: Context, first_in_sentence: bool, after_name: bool) -> bool:
    lower = word.lower()
    if lower in context.worker:
        return False  # the person the feedback is about: naming them gives no one away
    if lower in context.known:
        # "Will you…": a name that is also an everyday word says nothing at a sentence's start.
        everyday = word in AMBIGUOUS_NAMES or lower in EVERYDAY_WORDS
        return not (first_in_sentence and everyday)
    if word in FIRST_NAMES and (word not in AMBIGUOUS_NAMES or not first_in_sentence):
        return True
    if first_in_sentence or word in NOT_NAMES:
        return False
    # A surname after a first name or a title counts, whatever its ending ("Fiona Cumming").
    return after_name or not lower.endswith(NOUN_ENDINGS)


def accept_known_lower_case(
    match: re.Match[str], text: str, context: Context
) -> tuple[int, int] | None:
    """A name given for the round, typed without its capital ("thanks to fiona").

    Names that are also everyday words ("will", "hall") count only with their capital.
    """
    word = text[match.start() : match.end()]
    lower = word.lower()
    if word[0].isupper() or lower not in context.known or lower in context.worker:
        return None  # capitalised words are the name rule's
    return None if lower in EVERYDAY_WORDS else match.span()
