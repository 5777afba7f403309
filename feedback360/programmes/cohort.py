"""The cohort report: figures across at least five workers' reports, never one worker's.

Pure: kept Reports in, a CohortReport of plain values out. Each worker enters through the report
made when their round closed, under that round's own rules, so a figure their report held back
(a capability without enough colleagues, an item with too few ratings) never enters the cohort.

Two rules, applied to every figure (DESIGN.md section 9):
- a figure is shown only when at least MIN_WORKERS workers contribute to it;
- the sets a lead can see (the whole cohort, and each filter by questionnaire or role) are
  decided once, from the data, largest first: a filter is offered only when no combination of
  it and the sets already offered (adding and subtracting any number of views) isolates fewer
  than MIN_WORKERS workers (differencing.py). And per figure the same again, since a worker
  whose report lacks a figure leaves that figure's set: a figure is left out of a view when its
  contributors, together with the same figure's contributors in the views before it, would let
  such a combination isolate fewer than MIN_WORKERS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..reports.report import ALL_COLLEAGUES, Report
from .differencing import safe_together

MIN_WORKERS = 5
EVERYONE = ("all", "")
BANDS = ((1.0, 2.0), (2.0, 3.0), (3.0, 4.0), (4.0, 5.0), (5.0, 5.01))
BAND_LABELS = ("1 to under 2", "2 to under 3", "3 to under 4", "4 to under 5", "5")
ITEMS_LISTED = 5

Filter = tuple[str, str]  # ("all", ""), ("instrument", key) or ("role", role)


@dataclass(frozen=True, slots=True)
class Contribution:
    """One worker's closed round: an opaque key (never shown), how to filter it, its report."""

    worker: int
    instrument_key: str
    role: str
    report: Report


@dataclass(frozen=True, slots=True)
class Distribution:
    workers: int
    mean: float
    bands: tuple[int, ...]  # workers per band of BAND_LABELS


@dataclass(frozen=True, slots=True)
class CapabilityCohort:
    key: str
    name: str
    colleagues: Distribution | None
    self: Distribution | None
    gap: Distribution | None  # colleagues' mean minus self, per worker


@dataclass(frozen=True, slots=True)
class ItemGap:
    key: str
    text: str
    capability: str
    workers: int
    gap: float


@dataclass(frozen=True, slots=True)
class CohortReport:
    workers: int
    chosen: Filter
    filters: tuple[Filter, ...]
    capabilities: tuple[CapabilityCohort, ...]
    largest_gaps: tuple[ItemGap, ...]
    smallest_gaps: tuple[ItemGap, ...]

    @property
    def shown(self) -> bool:
        return self.workers >= MIN_WORKERS


def _filter_sets(contributions: list[Contribution]) -> dict[Filter, frozenset[int]]:
    sets: dict[Filter, set[int]] = {}
    for c in contributions:
        sets.setdefault(("instrument", c.instrument_key), set()).add(c.worker)
        sets.setdefault(("role", c.role), set()).add(c.worker)
    return {key: frozenset(members) for key, members in sets.items()}


def may_join(published: list[frozenset[int]], candidate: frozenset[int]) -> bool:
    """Whether the candidate set may be published beside those already published."""
    if len(candidate) < MIN_WORKERS:
        return False
    return candidate in published or safe_together([*published, candidate], MIN_WORKERS)


def offered_sets(contributions: list[Contribution]) -> dict[Filter, frozenset[int]]:
    """The views a lead may see, largest first; empty below MIN_WORKERS workers."""
    everyone = frozenset(c.worker for c in contributions)
    if len(everyone) < MIN_WORKERS:
        return {}
    offered = {EVERYONE: everyone}
    candidates = sorted(_filter_sets(contributions).items(), key=lambda kv: (-len(kv[1]), kv[0]))
    for key, members in candidates:
        if may_join(list(offered.values()), members):
            offered[key] = members
    return offered


# --- per-worker values, read from each report (never shown one by one) ----------------------

Values = dict[int, float]  # worker -> value


def _capability_values(report: Report) -> dict[str, float]:
    found: dict[str, float] = {}
    for capability in report.capabilities:
        score = capability.score(ALL_COLLEAGUES)
        if score is not None:
            found[f"colleagues:{capability.key}"] = score.mean
        if capability.self_mean is not None:
            found[f"self:{capability.key}"] = capability.self_mean
        if score is not None and capability.self_mean is not None:
            found[f"gap:{capability.key}"] = score.mean - capability.self_mean
        for item in capability.items:
            if item.colleague_mean is not None and item.self_score is not None:
                found[f"item:{item.key}"] = item.colleague_mean - item.self_score
    return found


def figure_values(contributions: Iterable[Contribution]) -> dict[str, Values]:
    """Every figure's value per contributing worker."""
    values: dict[str, Values] = {}
    for c in contributions:
        for figure, value in _capability_values(c.report).items():
            values.setdefault(figure, {})[c.worker] = value
    return values


def shown_contributors(
    values: dict[str, Values], offered: dict[Filter, frozenset[int]], chosen: Filter
) -> dict[str, frozenset[int]]:
    """Per figure, the workers it is computed over in the chosen view; figures refused left out."""
    shown: dict[str, frozenset[int]] = {}
    for figure, per_worker in values.items():
        have = frozenset(per_worker)
        published: list[frozenset[int]] = []
        for key, members in offered.items():  # the same canonical order every time
            contributors = members & have
            if not may_join(published, contributors):
                continue
            if contributors not in published:
                published.append(contributors)
            if key == chosen:
                shown[figure] = contributors
    return shown


def _distribution(per_worker: Values, workers: frozenset[int]) -> Distribution:
    chosen = [per_worker[w] for w in sorted(workers)]
    bands = tuple(sum(low <= v < high for v in chosen) for low, high in BANDS)
    return Distribution(len(chosen), round(sum(chosen) / len(chosen), 2), bands)


def _gap(per_worker: Values, workers: frozenset[int]) -> Distribution:
    chosen = [per_worker[w] for w in sorted(workers)]
    return Distribution(len(chosen), round(sum(chosen) / len(chosen), 2), ())


def cohort_report(contributions: list[Contribution], chosen: Filter = EVERYONE) -> CohortReport:
    """The figures of one offered view; an unknown or refused view raises KeyError."""
    offered = offered_sets(contributions)
    if not offered:
        return CohortReport(len(contributions), EVERYONE, (), (), (), ())
    members = offered[chosen]
    values = figure_values(c for c in contributions if c.worker in members)
    shown = shown_contributors(values, offered, chosen)
    capabilities = _capabilities(contributions, values, shown)
    gaps = _item_gaps(contributions, values, shown)
    by_size = sorted(gaps, key=lambda g: (-abs(g.gap), g.key))
    return CohortReport(
        workers=len(members),
        chosen=chosen,
        filters=tuple(offered),
        capabilities=capabilities,
        largest_gaps=tuple(by_size[:ITEMS_LISTED]),
        smallest_gaps=tuple(reversed(by_size[-ITEMS_LISTED:]))
        if len(by_size) > ITEMS_LISTED
        else (),
    )


def _capabilities(
    contributions: list[Contribution],
    values: dict[str, Values],
    shown: dict[str, frozenset[int]],
) -> tuple[CapabilityCohort, ...]:
    names: dict[str, str] = {}
    for c in contributions:
        for capability in c.report.capabilities:
            names.setdefault(capability.key, capability.name)

    def figure(kind: str, key: str, make: Callable) -> Distribution | None:
        name = f"{kind}:{key}"
        return make(values[name], shown[name]) if name in shown else None

    return tuple(
        CapabilityCohort(
            key,
            name,
            figure("colleagues", key, _distribution),
            figure("self", key, _distribution),
            figure("gap", key, _gap),
        )
        for key, name in names.items()
    )


def _item_gaps(
    contributions: list[Contribution],
    values: dict[str, Values],
    shown: dict[str, frozenset[int]],
) -> list[ItemGap]:
    texts: dict[str, tuple[str, str]] = {}
    for c in contributions:
        for capability in c.report.capabilities:
            for item in capability.items:
                texts.setdefault(item.key, (item.text, capability.name))
    found = []
    for name, workers in shown.items():
        if name.startswith("item:"):
            key = name.removeprefix("item:")
            gap = _gap(values[name], workers)
            found.append(ItemGap(key, *texts[key], workers=gap.workers, gap=gap.mean))
    return found
