"""Run the rules over a text and keep one finding for each phrase, in reading order.

Pure: no Flask, no database, no logging. The check reads the text and returns findings; it
keeps nothing and tells nobody (docs/privacy.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from .names import Context, accept_known_lower_case
from .rules import REFLECTION_WORDING, RULES, Kind, Rule

NOBODY = Context()


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
    text: str, context: Context, rules: tuple[Rule, ...]
) -> list[tuple[int, int, int, Rule]]:
    """(start, -end, rule order, rule) for every match: sorting them gives the winners first."""
    found = []
    for order, rule in enumerate(rules):
        if rule.accept is accept_known_lower_case and not context.known:
            continue  # no names were given, so no lower-case word can be one
        for match in rule.pattern.finditer(text):
            span = match.span() if rule.accept is None else rule.accept(match, context)
            if span is not None and span[0] < span[1]:
                found.append((span[0], -span[1], order, rule))
    return found


def _resolve(candidates: list[tuple[int, int, int, Rule]]) -> tuple[Finding, ...]:
    """The earliest phrase wins, then the longest, then the rule higher in the table."""
    findings: list[Finding] = []
    taken_until = 0
    for start, negative_end, _, rule in sorted(candidates, key=lambda c: c[:3]):
        if start >= taken_until:
            findings.append(Finding(start, -negative_end, rule.kind, rule.name, rule.reason,
                                    rule.suggestion))  # fmt: skip
            taken_until = -negative_end
    return tuple(findings)
