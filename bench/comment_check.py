"""The giveaway check on a 5,000-character comment, against one plain regular-expression scan.

    .venv/bin/python bench/comment_check.py            # medians of 300 calls per text
    .venv/bin/python bench/comment_check.py --quick    # 5 calls, for the smoke test

The check runs in the request that draws the colleague's review page (issue 20 asks for under
5 ms a comment), so it is timed as that page calls it: with the round's six invitation names
and the worker's own. The floor is a single compiled pattern (the weekday names) run over the
same text in the same process: what any regular-expression scan of 5,000 characters costs.
Three texts: comments as colleagues write them (a few findings a paragraph), plain comments
with nothing to find, and a worst case dense with capitalised words, numbers and findings.

The target is checked against processor time per call. On these shared two-core machines (load
often 6 to 9) a call longer than the scheduler's time slice is usually put aside part-way, so
its wall-clock median can be several times its processor time, while the short floor is not;
both medians are printed, and both ratios.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _harness import figure, median, note, verdict  # noqa: E402

LENGTH = 5000
TARGET_MS = 5.0
INVITED = ("Fiona Reid", "Sam Patel", "Ailsa Ross", "Jamie Kerr", "Chris Bain", "Lorna Watt")
WORKER = "Morag Campbell"

PLAIN_SENTENCES = (
    "Morag always explains why a change matters to the people we support.",
    "She is very approachable and makes time to listen, even when she is busy.",
    "I would like to see her delegate more, as she takes everything on herself.",
    "Her care plans are thorough and written in a way families can understand.",
    "She challenges discriminatory language straight away, in a way that helps people learn.",
    "Sometimes she could step back and let others lead.",
    "She keeps calm under pressure, even when the phones are ringing and staffing is tight.",
)
GIVEAWAY_SENTENCES = (
    "As your manager I saw her calm the unit last Tuesday on the night shift.",
    "Thanks to Fiona and me, the audit at Rowan House went smoothly on 3 March.",
    "When my mum was ill she let me change my shifts without any fuss.",
)
DENSE = "Fiona Reid Ward 3 Monday 0141 555 0123 at Ninewells on 12/05 at 7.30pm Mr Brown. "
# The floor: one ordinary pattern, as simple as a rule gets.
FLOOR = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", re.IGNORECASE)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=300, help="timed calls per text")
    parser.add_argument("--seconds", type=float, default=20.0, help="time limit per text")
    parser.add_argument("--quick", action="store_true", help="a tiny run for the smoke test")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeats, args.seconds = 5, 2.0
    return args


def text_of(sentences: tuple[str, ...], length: int = LENGTH) -> str:
    """Sentences repeated into paragraphs of four, cut at `length` characters."""
    words = []
    number = 0
    while sum(len(w) + 1 for w in words) < length:
        words.append(sentences[number % len(sentences)])
        number += 1
        if number % 4 == 0:
            words.append("\n\n")
    return " ".join(words)[:length]


def texts() -> dict[str, str]:
    # Seven plain sentences, each followed by one that gives its writer away.
    pairs = zip(PLAIN_SENTENCES, GIVEAWAY_SENTENCES * 3, strict=False)
    mixed = tuple(sentence for pair in pairs for sentence in pair)
    return {
        "as written": text_of(mixed),
        "plain": text_of(PLAIN_SENTENCES),
        "worst case": text_of((DENSE,)),
    }


def timed(
    function: Callable[[], object], repeats: int, seconds: float
) -> tuple[list[float], float]:
    """Seconds per call (wall clock), at most `repeats` calls and about `seconds` in all; and the
    mean processor time per call, which other work on a shared machine does not inflate."""
    times = []
    deadline = time.perf_counter() + seconds
    cpu_started = time.process_time()
    while len(times) < repeats and time.perf_counter() < deadline:
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times, (time.process_time() - cpu_started) / max(len(times), 1)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from feedback360.giveaways.check import find_giveaways
    from feedback360.giveaways.names import Context, name_words

    context = Context(known=name_words(INVITED), worker=name_words([WORKER]))
    note(f"median of up to {args.repeats} calls per text, {len(context.known)} names known")
    note(f"load average: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    limits = (args.repeats, args.seconds)
    for label, text in texts().items():
        find_giveaways(text, context)  # the first call builds the pattern of names given
        check, check_cpu = timed(lambda t=text: find_giveaways(t, context), *limits)
        floor, floor_cpu = timed(lambda t=text: list(FLOOR.finditer(t)), *limits)
        figure(f"{label}: characters", len(text))
        figure(f"{label}: findings", len(find_giveaways(text, context)))
        figure(f"{label}: floor median (one pattern)", median(floor) * 1e6, "us")
        figure(f"{label}: check median", median(check) * 1e6, "us")
        figure(f"{label}: check processor time", check_cpu * 1e6, "us")
        figure(f"{label}: ratio check / floor", median(check) / median(floor))
        figure(f"{label}: ratio check / floor, processor time", check_cpu / floor_cpu)
        ms = check_cpu * 1000
        verdict(f"{label}: check, processor time (ms)", ms, f"<= {TARGET_MS:g}", ms <= TARGET_MS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
