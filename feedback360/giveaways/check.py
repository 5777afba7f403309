"""Run the rules over a text and keep one finding for each phrase, in reading order.

Pure: no Flask, no database, no logging. The check reads the text and returns findings; it
keeps nothing and tells nobody (docs/privacy.md).
"""

from __future__ import annotations

import functools
import re
import string
from dataclasses import dataclass

from .names import Context, accept_known_lower_case, word_before
from .rules import AT, DIGIT, REFLECTION_WORDING, RULES, Kind, Rule

NOBODY = Context()
# A-Z only, so that the lower-cased text keeps every character where it was.
LOWER_ASCII = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
TOKENS = re.compile(r"[a-z0-9]+")
Candidate = tuple[int, int, int, Rule]  # start, minus the end, the rule's place in the table


@dataclass(frozen=True, slots=True)
class Finding:
    """One phrase that may give its writer away, and what to say about it."""

    start: int
    end: int
    kind: Kind
    rule: str
    reason: str
    suggestion: str

    def phrase(self, text: str) -> str:
        return text[self.start : self.end]


def find_giveaways(text: str, context: Context = NOBODY) -> tuple[Finding, ...]:
    """Every phrase in a colleague's comment that may show who wrote it."""
    return _resolve(_candidates(text, context, RULES))


def find_in_reflection(text: str, context: Context = NOBODY) -> tuple[Finding, ...]:
    """What in the worker's own reflection may name or point to someone else."""
    rules = tuple(rule for rule in RULES if rule.kind in REFLECTION_WORDING)
    return tuple(
        Finding(f.start, f.end, f.kind, f.rule, *REFLECTION_WORDING[f.kind])
        for f in _resolve(_candidates(text, context, rules))
    )


def _candidates(
    text: str, context: Context, rules: tuple[Rule, ...], use_cues: bool = True
) -> list[Candidate]:
    """Every match of every rule that wakes for this text; `use_cues=False` wakes them all
    (the tests show that cues only save work and never lose a finding)."""
    lowered = text.translate(LOWER_ASCII)
    cues = _cues(lowered)
    found = []
    for order, rule in enumerate(rules):
        if use_cues and rule.cues is not None and rule.cues.isdisjoint(cues):
            continue
        pattern = rule.pattern
        if rule.accept is accept_known_lower_case:
            pattern = _known_names(context.known & cues if use_cues else context.known)
            if pattern is None:
                continue
        for match in pattern.finditer(lowered if rule.lowered else text):
            span = _span(match, text, context, rule)
            if span is not None:
                found.append((span[0], -span[1], order, rule))
    return found


def _cues(lowered: str) -> frozenset[str]:
    """The text's words, with DIGIT if any holds a digit and AT if it holds an @."""
    words = set(TOKENS.findall(lowered))
    if not all(word.isalpha() for word in words):
        words.add(DIGIT)
    if "@" in lowered:
        words.add(AT)
    return frozenset(words)


@functools.lru_cache(maxsize=256)
def _known_names(words: frozenset[str]) -> re.Pattern[str] | None:
    """A pattern for the names given for the round that a text holds (built once per set)."""
    if not words:
        return None
    return re.compile("(?:" + "|".join(sorted(map(re.escape, words), key=len)[::-1]) + r")\b")


def _span(match: re.Match[str], text: str, context: Context, rule: Rule) -> tuple[int, int] | None:
    """The part of a match that counts, with the words before it that belong to it."""
    start = match.start()
    if start and _in_word(text[start - 1]) and _in_word(text[start]):
        return None  # patterns have no leading \b (rules.py): a match may not start mid-word
    span = match.span() if rule.accept is None else rule.accept(match, text, context)
    if span is None or span[0] >= span[1]:
        return None
    led = _with_lead(text, span[0], rule)
    return None if led is None else (led, span[1])


def _with_lead(text: str, start: int, rule: Rule) -> int | None:
    """Where the phrase starts once "last" (Tuesday) or "the" (night shift) is taken in."""
    taken = False
    for _ in range(2):
        before = word_before(text, start) if rule.lead else None
        if before is None or before[1].lower() not in rule.lead:
            break
        start, taken = before[0], True
    return None if rule.needs_lead and not taken else start


def _in_word(character: str) -> bool:
    return character.isalnum() or character == "_"


def _resolve(candidates: list[Candidate]) -> tuple[Finding, ...]:
    """The earliest phrase wins, then the longest, then the rule higher in the table."""
    findings: list[Finding] = []
    taken_until = 0
    for start, negative_end, _, rule in sorted(candidates, key=lambda c: c[:3]):
        if start >= taken_until:
            end = -negative_end
            findings.append(Finding(start, end, rule.kind, rule.name, rule.reason, rule.suggestion))
            taken_until = end
    return tuple(findings)
