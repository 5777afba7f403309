"""What was wrong with an instrument, and where: the problems and the line of every value."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

# A place in the data: ("capabilities", 2, "items", 0, "self").
Location = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an instrument; line 0 means no line applies (a directory, a dict)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(slots=True)
class Findings:
    """The problems found in one source, and the 1-based line of every location read from it."""

    path: str
    lines: dict[Location, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    nodes_read: int = 0

    def line_of(self, loc: Location) -> int:
        # A missing field has no line of its own: use the mapping that should hold it.
        while loc and loc not in self.lines:
            loc = loc[:-1]
        return self.lines.get(loc, 0)

    def where(self, loc: Location) -> str:
        line = self.line_of(loc)
        return f"line {line}" if line else describe(loc)

    def add(self, loc: Location, message: str) -> None:
        text = f"{describe(loc)}: {message}" if loc else message
        self.add_at_line(self.line_of(loc), text)

    def add_at_line(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))


def describe(loc: Location) -> str:
    parts = [f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc]
    return "".join(parts).lstrip(".")


class InstrumentError(Exception):
    """An instrument that cannot be used, with every problem found in it."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)
