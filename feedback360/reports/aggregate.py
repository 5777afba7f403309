"""From stored answers to Reports, in the order the data flows.

    answers  -> tally()                 tally.py       every count, one numpy pass
             -> choose_cohort_groups()  groups.py      the rules: which groups show
             -> cohort_in_scope()       groups.py      the rules: which items have enough scores
             -> audit_cohort()          audit.py       the rules: what each capability may publish
             -> Figures()               figures.py     the means and counts allowed
             -> highlighted()           highlights.py  highest, lowest, gaps
             -> Assembly.report()       assemble.py    one Report per round

summarize_many() runs it for a whole cohort at once; summarize() is the same path for a cohort
of one round, so each rule has one implementation. The frames come from frames.py.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Hashable, Iterator, Mapping

import pandas as pd

from ..instruments.model import Instrument
from .assemble import Assembly, RoundFacts
from .audit import audit_cohort
from .figures import Figures
from .groups import choose_cohort_groups, cohort_in_scope
from .highlights import highlighted, means_and_own
from .report import Report
from .rules import AnonymityRules
from .sections import split_comments
from .tally import tally

# The round id summarize() gives its one round on the way through summarize_many().
ONE_ROUND = 0


def summarize(
    frame: pd.DataFrame,
    comments: pd.DataFrame,
    instrument: Instrument,
    rules: AnonymityRules,
    facts: RoundFacts,
) -> Report:
    """Apply every rule of DESIGN.md section 4 and return the plain figures a report shows."""
    answers, texts = frame.assign(round=ONE_ROUND), comments.assign(round=ONE_ROUND)
    return summarize_many(answers, texts, instrument, rules, {ONE_ROUND: facts})[ONE_ROUND]


def summarize_many(
    answers: pd.DataFrame,
    comments: pd.DataFrame,
    instrument: Instrument,
    rules: AnonymityRules,
    facts_by_round: Mapping[Hashable, RoundFacts],
) -> dict[Hashable, Report]:
    """summarize() for every round in `facts_by_round`, from frames with a `round` column."""
    rounds = list(facts_by_round)
    with _cycle_collector_paused():
        counts = tally(answers, instrument, rounds)
        groups = choose_cohort_groups(counts.answered[:, 1:], rules)
        in_scope = cohort_in_scope(counts.ratings, groups.manager_known(), rules)
        publications = audit_cohort(counts, in_scope, groups, instrument, rules)
        figures = Figures(counts, groups, in_scope, publications, instrument, rules)
        marked = highlighted(*means_and_own(figures.made_items, figures.item_at), rules)
        notes = split_comments(comments, rounds)
        assembly = Assembly(figures, marked, instrument, rules)
        return {
            round_id: assembly.report(n, facts_by_round[round_id], notes[n])
            for n, round_id in enumerate(rounds)
        }


@contextlib.contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Reports hold no reference cycles, so reference counting frees them; meanwhile the cycle
    collector would walk the whole heap again each time the pile grew by a quarter (0.8 s of
    3.2 s for 10,000 rounds). Anything cyclic is collected as usual once it is back on."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


__all__ = ["RoundFacts", "summarize", "summarize_many"]
