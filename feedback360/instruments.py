"""Instruments: YAML files turned into frozen dataclasses, validated. No Flask import here."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .instrument_schema import (
    Findings,
    Problem,
    check_rules,
    check_structure,
    parse_yaml,
)

__all__ = [
    "DEFAULT_DIRECTORY",
    "Capability",
    "Indicator",
    "Instrument",
    "InstrumentError",
    "Item",
    "OpenQuestion",
    "Problem",
    "Scale",
    "ScalePoint",
    "check_files",
    "instrument_from_dict",
    "instrument_to_dict",
    "load_instrument",
    "load_instruments",
]


@dataclass(frozen=True, slots=True)
class ScalePoint:
    value: int
    label: str


@dataclass(frozen=True, slots=True)
class Scale:
    points: tuple[ScalePoint, ...]
    not_observed_label: str


@dataclass(frozen=True, slots=True)
class Indicator:
    key: str
    name: str


@dataclass(frozen=True, slots=True)
class Item:
    key: str
    indicator: str
    self_text: str
    colleague_text: str


@dataclass(frozen=True, slots=True)
class Capability:
    key: str
    name: str
    description: str
    comment_prompt: str
    indicators: tuple[Indicator, ...]
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class OpenQuestion:
    key: str
    self_text: str
    colleague_text: str


@dataclass(frozen=True, slots=True)
class Instrument:
    key: str
    version: int
    title: str
    audience: str
    intro: str
    scale: Scale
    capabilities: tuple[Capability, ...]
    questions: tuple[OpenQuestion, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for cap in self.capabilities for item in cap.items)


DEFAULT_DIRECTORY = Path(__file__).resolve().parent.parent / "instruments"
SNAPSHOT = "<snapshot>"
# Every rater page and every send rebuilds its round's instrument from the snapshot, and a
# snapshot never changes once taken, so the last few rebuilt are kept (issue 7 measured the
# rebuild at about a tenth of a send). A kept one is used only when the whole snapshot is equal
# to a private copy of the one it was built from, so an edited snapshot is never mistaken for it.
REBUILT_KEPT = 32
_rebuilt: dict[str, tuple[Any, Instrument]] = {}


class InstrumentError(Exception):
    """An instrument that cannot be used, with every problem found in it."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


def load_instrument(path: str | Path) -> Instrument:
    instrument, findings = read_instrument(path)
    if instrument is None:
        raise InstrumentError(findings.problems)
    return instrument


def load_instruments(directory: str | Path) -> dict[str, Instrument]:
    """Every *.yaml file in `directory`, by instrument key, in file-name order."""
    files = sorted(Path(directory).glob("*.yaml"))
    if not files:
        raise InstrumentError([Problem(str(directory), 0, "no instrument files (*.yaml) here")])
    instruments, problems = read_instruments(files)
    if problems:
        raise InstrumentError(problems)
    return instruments


def check_files(paths: Iterable[str | Path]) -> tuple[list[str], bool]:
    """Printable lines for `flask instruments check`: a summary per instrument, or its problems."""
    files = [Path(path) for path in paths]
    if not files:
        return ["no instrument files to check"], False
    instruments, problems = read_instruments(files)
    lines = [summary_line(instrument) for instrument in instruments.values()]
    return lines + [str(problem) for problem in problems], not problems


def summary_line(instrument: Instrument) -> str:
    indicators = sum(len(capability.indicators) for capability in instrument.capabilities)
    return (
        f"{instrument.key} v{instrument.version}: {len(instrument.capabilities)} capabilities, "
        f"{indicators} indicators, {len(instrument.items)} items"
    )


def read_instruments(files: Iterable[Path]) -> tuple[dict[str, Instrument], list[Problem]]:
    instruments: dict[str, Instrument] = {}
    first_file: dict[str, Path] = {}
    problems: list[Problem] = []
    for path in files:
        instrument, findings = read_instrument(path)
        problems += findings.problems
        if instrument is None:
            continue
        if instrument.key in first_file:
            # Rounds refer to an instrument by key: two files with one key would be ambiguous.
            line = findings.line_of(("key",))
            message = f"key: '{instrument.key}' is already the key of {first_file[instrument.key]}"
            problems.append(Problem(str(path), line, message))
            continue
        first_file[instrument.key] = path
        instruments[instrument.key] = instrument
    return instruments, problems


def read_instrument(path: str | Path) -> tuple[Instrument | None, Findings]:
    """The instrument in one file (None if it has any problem) and what was found."""
    findings = Findings(str(path))
    text = read_text(Path(path), findings)
    data = None if text is None else parse_yaml(text, findings)
    if data is not None:
        check_structure(data, findings)
        check_rules(data, findings)
    findings.problems.sort(key=lambda problem: problem.line)
    if findings.problems or data is None:
        return None, findings
    return build_instrument(data), findings


def read_text(path: Path, findings: Findings) -> str | None:
    try:
        raw = path.read_bytes()
    except OSError as error:
        findings.add_at_line(0, f"cannot read the file: {error.strerror or error}")
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        findings.add_at_line(line, "the file is not UTF-8 text")
        return None


def instrument_from_dict(data: Any) -> Instrument:
    """Rebuild an instrument from its snapshot (see `instrument_to_dict`).

    Only the structure is checked, not the rules for shipped files (item counts, key format):
    a past round must stay readable even if those rules are tightened later.
    """
    name = _snapshot_name(data)
    kept = _rebuilt.get(name)
    if kept is not None and kept[0] == data:
        return kept[1]
    findings = Findings(SNAPSHOT)
    check_structure(data, findings)
    if findings.problems:
        raise InstrumentError(findings.problems)
    instrument = build_instrument(data)
    _keep_rebuilt(name, data, instrument)
    return instrument


def _snapshot_name(data: Any) -> str:
    return repr((data.get("key"), data.get("version"))) if isinstance(data, dict) else ""


def _keep_rebuilt(name: str, data: Any, instrument: Instrument) -> None:
    if len(_rebuilt) >= REBUILT_KEPT:
        _rebuilt.pop(next(iter(_rebuilt), ""), None)  # the oldest; threads may race to it
    _rebuilt[name] = (copy.deepcopy(data), instrument)


def build_instrument(data: dict[str, Any]) -> Instrument:
    scale = data["scale"]
    return Instrument(
        key=data["key"],
        version=data["version"],
        title=text(data["title"]),
        audience=text(data["audience"]),
        intro=text(data["intro"]),
        scale=Scale(
            points=tuple(ScalePoint(p["value"], text(p["label"])) for p in scale["points"]),
            not_observed_label=text(scale["not_observed"]),
        ),
        capabilities=tuple(build_capability(capability) for capability in data["capabilities"]),
        questions=tuple(
            OpenQuestion(q["key"], text(q["self"]), text(q["colleague"])) for q in data["questions"]
        ),
    )


def build_capability(data: dict[str, Any]) -> Capability:
    return Capability(
        key=data["key"],
        name=text(data["name"]),
        description=text(data["description"]),
        comment_prompt=text(data["comment_prompt"]),
        indicators=tuple(Indicator(i["key"], text(i["name"])) for i in data["indicators"]),
        items=tuple(
            Item(i["key"], i["indicator"], text(i["self"]), text(i["colleague"]))
            for i in data["items"]
        ),
    )


def text(value: str) -> str:
    # Folded YAML (`>`) leaves a trailing newline that would show up in forms and the PDF.
    return value.strip()


def instrument_to_dict(instrument: Instrument) -> dict[str, Any]:
    """The instrument as JSON-safe data in the YAML file's shape: the snapshot kept on a round."""
    return {
        "key": instrument.key,
        "version": instrument.version,
        "title": instrument.title,
        "audience": instrument.audience,
        "intro": instrument.intro,
        "scale": {
            "points": [{"value": p.value, "label": p.label} for p in instrument.scale.points],
            "not_observed": instrument.scale.not_observed_label,
        },
        "capabilities": [capability_to_dict(capability) for capability in instrument.capabilities],
        "questions": [
            {"key": q.key, "self": q.self_text, "colleague": q.colleague_text}
            for q in instrument.questions
        ],
    }


def capability_to_dict(capability: Capability) -> dict[str, Any]:
    return {
        "key": capability.key,
        "name": capability.name,
        "description": capability.description,
        "comment_prompt": capability.comment_prompt,
        "indicators": [{"key": i.key, "name": i.name} for i in capability.indicators],
        "items": [
            {
                "key": i.key,
                "indicator": i.indicator,
                "self": i.self_text,
                "colleague": i.colleague_text,
            }
            for i in capability.items
        ],
    }
