"""Each round's Report, put together from the cohort's figures, highlights and comments.

Nothing is worked out here: every figure was decided and made before (figures.py), and a
Report only picks, per round, what its capability publications allow.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..instruments.model import Instrument
from .audit import Publication
from .figures import Figures
from .highlights import Highlighted, item_highlights
from .reasons import GROUP_HELD_BACK
from .relationships import GROUP_AT, GROUP_KEYS
from .report import (
    SCHEMA_VERSION,
    CapabilityResult,
    HeldBack,
    ItemHighlight,
    Report,
    ScaleLabel,
)
from .rules import AnonymityRules
from .sections import RoundComments, comment_sections


@dataclass(frozen=True, slots=True)
class RoundFacts:
    """What a report says about the round itself; `seed` fixes the order of comments."""

    worker_name: str
    opened_on: dt.date
    closed_on: dt.date
    seed: str


class Assembly:
    """Makes round n's Report from the cohort's figures and highlights."""

    def __init__(
        self,
        figures: Figures,
        marked: list[Highlighted],
        instrument: Instrument,
        rules: AnonymityRules,
    ) -> None:
        self.figures, self.marked = figures, marked
        self.instrument, self.rules = instrument, rules
        self.item_numbers = figures.item_at.tolist()
        self.made_highlights = item_highlights(figures.made_items, instrument)
        self.item_keys = [tuple(i.key for i in c.items) for c in instrument.capabilities]
        # What each distinct choice of groups and publication holds back, made when first met.
        self.made_held_back: dict[tuple[int, int], tuple[HeldBack, ...]] = {}
        self.scale = tuple(ScaleLabel(p.value, p.label) for p in instrument.scale.points)

    def report(self, n: int, facts: RoundFacts, notes: RoundComments) -> Report:
        """Round n's report."""
        instrument, rules, figures = self.instrument, self.rules, self.figures
        colleague_total = sum(figures.answered[n][1:])
        comments_shown = colleague_total >= rules.comments_min
        by_capability, questions = comment_sections(notes, instrument, facts.seed, comments_shown)
        capabilities = tuple(
            self.capability(n, c, by_capability[capability.key])
            for c, capability in enumerate(instrument.capabilities)
        )
        marked = self.marked[n]
        return Report(
            schema=SCHEMA_VERSION,
            worker_name=facts.worker_name,
            instrument_key=instrument.key,
            instrument_title=instrument.title,
            instrument_version=instrument.version,
            opened_on=facts.opened_on.isoformat(),
            closed_on=facts.closed_on.isoformat(),
            scale=self.scale,
            not_observed_label=instrument.scale.not_observed_label,
            counts=figures.counts[n],
            colleagues_answered=colleague_total,
            groups=figures.groups.choices[figures.groups.at[n]],
            capabilities=capabilities,
            highest=self.highlights(n, marked.highest),
            lowest=self.highlights(n, marked.lowest),
            blind_spots=self.highlights(n, marked.blind_spots),
            hidden_strengths=self.highlights(n, marked.hidden_strengths),
            highest_tied_out=marked.highest_tied_out,
            lowest_tied_out=marked.lowest_tied_out,
            questions=questions,
            comments_shown=comments_shown,
            rules=rules,
        )

    def capability(self, n: int, c: int, comments: tuple) -> CapabilityResult:
        """Capability c of round n, showing what its audit allows."""
        figures = self.figures
        capability, publication = self.instrument.capabilities[c], figures.publications[c][n]
        scores, first = figures.scores[n], c * len(GROUP_KEYS)
        return CapabilityResult(
            key=capability.key,
            name=capability.name,
            description=capability.description,
            self_mean=figures.self_means[n][c],
            scores=tuple([scores[first + GROUP_AT[g.key]] for g in publication.groups]),
            figure_items=self.item_keys[c] if publication.groups else (),
            items=tuple(figures.items[n][figures.parts[c]]),
            comments=comments[0],
            self_comment=comments[1],
            groups_withheld=publication.groups_withheld,
            held_back=self.held_back(n, publication),
        )

    def highlights(self, n: int, positions: list[int]) -> tuple[ItemHighlight, ...]:
        """Round n's items at these positions, as highlights."""
        numbers, made = self.item_numbers[n], self.made_highlights
        return tuple([made[numbers[at]] for at in positions])

    def held_back(self, n: int, publication: Publication) -> tuple[HeldBack, ...]:
        """Round n's groups that have no figure under this publication, each with the reason."""
        choice = int(self.figures.groups.at[n])
        key = (choice, id(publication))
        if key not in self.made_held_back:
            shown = {g.key for g in publication.groups}
            groups = self.figures.groups.choices[choice]
            self.made_held_back[key] = tuple(
                [HeldBack(g.key, GROUP_HELD_BACK) for g in groups if g.key not in shown]
            )
        return self.made_held_back[key]
