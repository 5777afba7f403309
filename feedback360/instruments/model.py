"""An instrument as frozen dataclasses of plain values: what the rest of the app reads."""

from __future__ import annotations

from dataclasses import dataclass


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
