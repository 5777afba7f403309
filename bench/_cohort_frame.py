"""A cohort's answers as the one select would load them: one compact frame for many rounds.

Built with numpy rather than read from a database: loading costs far more than aggregating
(DESIGN.md section 8), and this bench measures the aggregation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from _data import FIFTEEN

from feedback360.instruments.model import Instrument
from feedback360.surveys.models import Relationship

RELATIONSHIPS = [Relationship.SELF.value] + [r.value for r in FIFTEEN]
NOT_OBSERVED_SHARE = 0.08
COMMENTS_PER_ROUND = 10


def answers(rounds: int, instrument: Instrument, seed: int = 7) -> pd.DataFrame:
    """Columns round, answer_set, relationship, item, score: self plus 15 colleagues a round."""
    rng = np.random.default_rng(seed)
    items = [item.key for item in instrument.items]
    sets_per_round, per_set = len(RELATIONSHIPS), len(items)
    answer_sets = rounds * sets_per_round
    set_codes = np.repeat(np.arange(answer_sets, dtype=np.int32), per_set)
    scores = rng.integers(1, 6, size=answer_sets * per_set).astype(np.float32)
    scores[rng.random(scores.size) < NOT_OBSERVED_SHARE] = np.nan
    return pd.DataFrame(
        {
            "round": pd.Series(set_codes // sets_per_round + 1, dtype=np.int32),
            "answer_set": pd.Categorical.from_codes(set_codes, _set_ids(answer_sets)),
            "relationship": pd.Categorical(np.tile(np.repeat(RELATIONSHIPS, per_set), rounds)),
            "item": pd.Categorical.from_codes(
                np.tile(np.arange(per_set, dtype=np.int16), answer_sets), items
            ),
            "score": scores,
        }
    )


def comments(rounds: int, instrument: Instrument) -> pd.DataFrame:
    """Ten colleagues a round say what the worker does well; the rest say nothing."""
    sets_per_round = len(RELATIONSHIPS)
    codes = np.array(
        [r * sets_per_round + 1 + c for r in range(rounds) for c in range(COMMENTS_PER_ROUND)],
        dtype=np.int32,
    )
    return pd.DataFrame(
        {
            "round": pd.Series(codes // sets_per_round + 1, dtype=np.int32),
            "answer_set": pd.Categorical.from_codes(codes, _set_ids(rounds * sets_per_round)),
            "relationship": pd.Categorical([RELATIONSHIPS[c % sets_per_round] for c in codes]),
            "question": pd.Categorical([instrument.questions[0].key] * len(codes)),
            "text": [f"Comment {c}: calm and kind with the whole team." for c in codes],
        }
    )


def _set_ids(count: int) -> list[str]:
    # Random hex in the app; sequential here, the same length and just as unique.
    return [f"{number:032x}" for number in range(count)]
