"""Instrument files read, checked and built into an Instrument; every problem reported."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .checks import check_rules, check_structure
from .findings import Findings, InstrumentError, Problem
from .model import Capability, Indicator, Instrument, Item, OpenQuestion, Scale, ScalePoint
from .parsing import parse_yaml

# The shipped YAML files, in the instruments/ folder at the top of the repository.
DEFAULT_DIRECTORY = Path(__file__).resolve().parents[2] / "instruments"


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
