"""Where the worker's evidence repeats words from a colleague's comment in their report.

The SSSC asks for the learner's own words, and colleagues wrote in confidence: a comment pasted
into badge evidence carries a colleague's words out of the report. Only the comments the report
publishes are compared, since the worker has seen no others. Pure, and nothing is kept.
"""

from __future__ import annotations

import re

from ..reports.report import Report

WORD = re.compile(r"\w+(?:['’]\w+)*")
# Words in a row shared with a comment. Fewer are everyday phrases ("makes time to listen");
# a comment shorter than this counts when all of it is repeated, if it has FEWEST words or more.
RUN = 6
FEWEST = 4


def published_comments(report: Report) -> tuple[str, ...]:
    """Every colleague comment the report shows, per capability and overall."""
    per_capability = (text for capability in report.capabilities for text in capability.comments)
    overall = (text for question in report.questions for text in question.comments)
    return (*per_capability, *overall)


def quoted_passages(text: str, comments: tuple[str, ...]) -> tuple[str, ...]:
    """The passages of `text` that repeat a run of words from one of the comments."""
    runs = _runs(comments)
    words = list(WORD.finditer(text))
    lowered = [match.group().lower() for match in words]
    covered = [False] * len(words)
    for size in {len(run) for run in runs}:
        for start in range(len(words) - size + 1):
            if tuple(lowered[start : start + size]) in runs:
                covered[start : start + size] = [True] * size
    return tuple(text[words[a].start() : words[b].end()] for a, b in _spans(covered))


def _runs(comments: tuple[str, ...]) -> set[tuple[str, ...]]:
    runs = set()
    for comment in comments:
        words = [word.lower() for word in WORD.findall(comment)]
        size = min(RUN, len(words))
        if size >= FEWEST:
            runs.update(tuple(words[i : i + size]) for i in range(len(words) - size + 1))
    return runs


def _spans(covered: list[bool]) -> list[tuple[int, int]]:
    """First and last index of each stretch of covered words."""
    spans, start = [], None
    for index, flag in enumerate([*covered, False]):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            spans.append((start, index - 1))
            start = None
    return spans


def quoted_in(parts: tuple[str, ...], report: Report) -> tuple[str, ...]:
    """Each passage of the evidence's parts that repeats a comment the report shows."""
    comments = published_comments(report)
    return tuple(passage for text in parts for passage in quoted_passages(text, comments))
