"""The report's first page: what a manager can read in five minutes.

Only figures the report already publishes appear here (the Report holds nothing the anonymity
rules held back), so the summary needs no rule of its own. It picks and orders; it never adds.
"""

from __future__ import annotations

from dataclasses import dataclass

from .report import ItemHighlight, Report

GAPS_SHOWN = 3  # per list: the biggest gaps first; the rest counted, never dropped silently


@dataclass(frozen=True, slots=True)
class Gap:
    item: ItemHighlight
    size: float  # colleagues' average minus your own score


@dataclass(frozen=True, slots=True)
class GapList:
    shown: tuple[Gap, ...]
    more: int  # how many further statements the highlights section lists
    tied_at_cut: bool  # the first one not shown has the same gap as the last one shown


@dataclass(frozen=True, slots=True)
class Summary:
    strengths: tuple[ItemHighlight, ...]
    development_areas: tuple[ItemHighlight, ...]
    hidden_strengths: GapList
    blind_spots: GapList


def summary_of(report: Report) -> Summary:
    return Summary(
        strengths=report.highest,
        development_areas=report.lowest,
        hidden_strengths=_biggest(report.hidden_strengths),
        blind_spots=_biggest(report.blind_spots),
    )


def _biggest(items: tuple[ItemHighlight, ...]) -> GapList:
    """Largest gap first, GAPS_SHOWN of them so the summary stays one page; the rest are counted,
    and a tie cut at the last place shown is said (tied_at_cut), never hidden."""
    gaps = sorted(
        (Gap(i, i.colleague_mean - i.self_score) for i in items if i.self_score is not None),
        key=lambda gap: -abs(gap.size),  # stable: equal gaps keep the report's order
    )
    shown, rest = gaps[:GAPS_SHOWN], gaps[GAPS_SHOWN:]
    tied = bool(shown and rest) and abs(rest[0].size) == abs(shown[-1].size)
    return GapList(tuple(shown), len(rest), tied)
