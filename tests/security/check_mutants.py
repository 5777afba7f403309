"""Switch each SECURITY.md defence off in a throwaway copy and check that its tests then fail.

    .venv/bin/python tests/security/check_mutants.py [--line N] [--jobs N] [--keep]

The repository is copied to a temporary folder, once per job (the virtualenv is linked, and
PYTHONPATH puts the copy first, so the copy's code is what runs, in this process's tests and in the
servers they start). The named tests must all pass on the unchanged copies (one that fails is run
once more, alone, and what it said is printed); then, for each mutant in mutants.py, its edits are
applied in one copy, its tests run there, and every test must fail; the file is then restored. Jobs
run side by side, each in its own copy, except that a run with a test marked slow or timing runs
alone. The working tree is never touched. Exits with 1 if any mutant survives or cannot be applied.
Takes several minutes.
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from mutants import MUTANTS, Mutant

ROOT = Path(__file__).resolve().parents[2]
SKIP = shutil.ignore_patterns(".venv", ".git", "instance", "__pycache__", ".pytest_cache", "*.db")
# One pytest run may take this long; the slowest named test takes about a minute.
RUN_TIMEOUT = 900


@dataclass(frozen=True)
class Result:
    """One pytest run: each named test's outcome, and how long the run took."""

    outcomes: dict[str, str]
    seconds: float
    note: str = ""  # pytest's own errors, when a named test did not run
    # What each test that did not pass said, so that a baseline failure in CI can be read.
    messages: dict[str, str] = field(default_factory=dict)


def make_copy() -> Path:
    copy = Path(tempfile.mkdtemp(prefix="feedback360-mutant-")) / "repo"
    shutil.copytree(ROOT, copy, ignore=SKIP)
    (copy / ".venv").symlink_to(ROOT / ".venv")
    (copy / "instance").mkdir(exist_ok=True)
    imported = subprocess.run(  # noqa: S603
        [
            str(copy / ".venv" / "bin" / "python"),
            "-c",
            "import feedback360; print(feedback360.__file__)",
        ],
        cwd=copy,
        env=environment(copy),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert imported.startswith(str(copy)), f"the copy is not what runs: {imported}"
    return copy


def environment(copy: Path) -> dict[str, str]:
    # Without CI, a test whose tool is missing skips (and so counts as not caught) instead of
    # failing, which would pass for catching the mutant.
    env = {k: v for k, v in os.environ.items() if k not in {"CI", "TEST_DATABASE_URL"}}
    # tests/security too, so that the plugin below loads by its own name: `tests` alone may be
    # taken by a stray package of that name in the virtualenv (textstat's wheel installs one).
    env["PYTHONPATH"] = os.pathsep.join([str(copy), str(copy / "tests" / "security")])
    return env


# Of a test's parameters, a failed one decides; otherwise the least reassuring outcome stands.
ORDER = ("not run", "passed", "skipped", "errored", "failed")


def outcome_of(case: ET.Element) -> str:
    if case.find("failure") is not None:
        return "failed"  # an assertion (or the code under test) failed
    if case.find("error") is not None:
        return "errored"  # the set-up broke: says nothing about the defence
    if case.find("skipped") is not None:
        return "skipped"
    return "passed"


def run_tests(copy: Path, tests: tuple[str, ...]) -> Result:
    """Each named test's outcome (one of ORDER, or "timed out"), all its parameters together."""
    report = copy / "report.xml"
    report.unlink(missing_ok=True)  # a report left by the last run must not be read as this one's
    command = [str(copy / ".venv" / "bin" / "pytest"), "-q", "-p", "no:cacheprovider"]
    command += ["-p", "first_failure"]  # one failed parameter decides a test
    # Each copy's own temporary folder: pytest prunes old ones in a shared folder.
    command += ["--tb=no", f"--junitxml={report}", f"--basetemp={copy.parent / 'pytest'}", *tests]
    started = time.monotonic()
    try:
        run = subprocess.run(  # noqa: S603
            command,
            cwd=copy,
            env=environment(copy),
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return Result(dict.fromkeys(tests, "timed out"), time.monotonic() - started)
    outcomes = dict.fromkeys(tests, "not run")
    messages: dict[str, str] = {}
    if report.exists():
        for case in ET.parse(report).getroot().iter("testcase"):
            path = case.get("classname", "").replace(".", "/") + ".py"
            node = f"{path}::{case.get('name', '').split('[')[0]}"
            if node in outcomes:
                outcomes[node] = max(outcomes[node], outcome_of(case), key=ORDER.index)
                if (said := message_of(case)) is not None:
                    messages[node] = said
    errors = [line for line in (run.stdout + run.stderr).splitlines() if line.startswith("ERROR")]
    note = " ".join(errors)[:500] if "not run" in outcomes.values() else ""
    return Result(outcomes, time.monotonic() - started, note, messages)


def message_of(case: ET.Element) -> str | None:
    """What a test that failed or errored said, or None if it passed.

    The message leads and pytest's comparison ends it; a long middle (a server log) is cut.
    """
    # An element without children is false, so `find(...) or find(...)` would not do.
    found = [e for e in (case.find("failure"), case.find("error")) if e is not None]
    if not found:
        return None
    text = found[0].get("message") or found[0].text or ""
    lines = text.splitlines()
    if len(lines) > 30:
        lines = [*lines[:15], "...", *lines[-15:]]
    return "\n      ".join(line[:300] for line in lines)


def apply(copy: Path, mutant: Mutant) -> dict[Path, str]:
    """Make the edits; returns each changed file's original text. Call `missing_text` first."""
    originals: dict[Path, str] = {}
    texts: dict[Path, str] = {}
    for path, old, new in mutant.edits:
        target = copy / path
        originals.setdefault(target, target.read_text())
        texts[target] = texts.get(target, originals[target]).replace(old, new)
    for target, text in texts.items():
        target.write_text(text)
    return originals


def missing_text(copy: Path, mutant: Mutant) -> str | None:
    """Why the mutant's edits cannot be made (an `old` not found exactly once), or None."""
    texts: dict[Path, str] = {}
    for path, old, new in mutant.edits:
        target = copy / path
        if target not in texts:
            if not target.is_file():
                return f"{path} does not exist"
            texts[target] = target.read_text()
        found = texts[target].count(old)
        if found != 1:
            return f"{path} holds {found} copies of {old!r}"
        texts[target] = texts[target].replace(old, new)
    return None


def check(copy: Path, mutant: Mutant) -> Result:
    """Run the mutant's tests with its edits made; the copy is restored afterwards."""
    originals = apply(copy, mutant)
    try:
        return run_tests(copy, mutant.tests)
    finally:
        for target, text in originals.items():
            target.write_text(text)


class Copies:
    """One copy of the repository per job; a run borrows a free one, or all of them to run alone.

    A run alone waits for the others to finish and keeps new ones waiting meanwhile: the slow
    tests start servers and dozens of threads, and the timing tests assert how long a page or a
    send takes, which another job beside them can stretch past the limit.
    """

    def __init__(self, count: int) -> None:
        self.all = [make_copy() for _ in range(count)]
        self.free: queue.Queue[Path] = queue.Queue()
        for copy in self.all:
            self.free.put(copy)
        self.gate = threading.Lock()  # whoever waits for copies holds it, so nobody overtakes

    @contextmanager
    def borrowed(self, alone: bool) -> Iterator[Path]:
        with self.gate:
            taken = [self.free.get() for _ in range(len(self.all) if alone else 1)]
        try:
            yield taken[0]
        finally:
            for copy in taken:
                self.free.put(copy)

    def run(self, work: Callable[[Path], Result], alone: bool) -> Result:
        with self.borrowed(alone) as copy:
            return work(copy)

    def remove(self) -> None:
        for copy in self.all:
            shutil.rmtree(copy.parent, ignore_errors=True)


def tests_run_alone(copy: Path, tests: list[str]) -> set[str]:
    """The named tests marked slow or timing, as pytest collects them."""
    command = [str(copy / ".venv" / "bin" / "pytest"), "--collect-only", "-q"]
    command += ["-m", "slow or timing"]
    command += ["-p", "no:cacheprovider", *tests]
    listed = subprocess.run(  # noqa: S603
        command, cwd=copy, env=environment(copy), capture_output=True, text=True, check=False
    )
    if listed.returncode not in {0, 5}:  # 5: none of them is marked
        raise RuntimeError(f"pytest could not collect the named tests:\n{listed.stdout}")
    return {line.split("[")[0] for line in listed.stdout.splitlines() if "::" in line}


def baseline_jobs(every_test: list[str], alone: set[str], jobs: int) -> list[tuple[str, ...]]:
    """Every named test once: those run alone in a share of their own, the rest dealt out."""
    rest = [test for test in every_test if test not in alone]
    shares = [tuple(rest[n::jobs]) for n in range(jobs)] + [tuple(sorted(alone))]
    return [share for share in shares if share]


def what_it_said(result: Result, test: str) -> str:
    return f":\n      {result.messages[test]}" if test in result.messages else ""


def verdict(mutant: Mutant, result: Result) -> tuple[bool, str]:
    """Whether the mutant was caught, and its line of the report."""
    outcomes = result.outcomes.items()
    alive = [f"{test} ({outcome})" for test, outcome in outcomes if outcome != "failed"]
    said = "caught" if not alive else "NOT CAUGHT by " + ", ".join(alive)
    head = f"line {mutant.line:>2}: {mutant.what}: {len(mutant.tests)} tests"
    note = f" [{result.note}]" if result.note else ""
    return not alive, f"{head}, {said} ({result.seconds:.0f} s){note}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--line", type=int, help="only the mutants of this SECURITY.md line")
    parser.add_argument(
        "--jobs", type=int, default=min(2, os.cpu_count() or 1), help="runs side by side"
    )
    parser.add_argument("--keep", action="store_true", help="keep the copies afterwards")
    options = parser.parse_args()
    mutants = [m for m in MUTANTS if options.line is None or m.line == options.line]
    if not mutants:
        print(f"No mutants for line {options.line}.")
        return 1
    started = time.monotonic()
    copies = Copies(max(1, options.jobs))
    try:
        return run_all(copies, mutants, started)
    finally:
        if options.keep:
            print("The copies are kept at", *(str(c) for c in copies.all))
        else:
            copies.remove()


def still_failing(copies: Copies, baseline: list[Result]) -> list[str]:
    """The baseline's tests that did not pass, each with what it said, after a second chance.

    A test that failed once is run again, alone. If it passes then, the run goes on and says
    so with the first failure's message: one rare failure of a test that kills servers should
    not hide every mutant's verdict, and the message is there to be read. Twice is a failure.
    """
    first = {
        test: f"{test} ({outcome})" + what_it_said(result, test)
        for result in baseline
        for test, outcome in result.outcomes.items()
        if outcome != "passed"
    }
    notes = [result.note for result in baseline if result.note]
    if not first or notes:
        return [*first.values(), *notes]
    again = copies.run(partial(run_tests, tests=tuple(first)), alone=True)
    failing = [
        f"{first[test]}\n  and again: ({outcome})" + what_it_said(again, test)
        for test, outcome in again.outcomes.items()
        if outcome != "passed"
    ]
    if not failing:
        print("Baseline: these failed once and passed when run again:", *first.values(), sep="\n  ")
    return failing


def run_all(copies: Copies, mutants: list[Mutant], started: float) -> int:
    broken = {m: why for m in mutants if (why := missing_text(copies.all[0], m)) is not None}
    runnable = [m for m in mutants if m not in broken]
    every_test = list(dict.fromkeys(t for m in runnable for t in m.tests))
    alone = tests_run_alone(copies.all[0], every_test)
    with ThreadPoolExecutor(len(copies.all)) as pool:
        shares = baseline_jobs(every_test, alone, len(copies.all))
        baseline = [
            pool.submit(copies.run, partial(run_tests, tests=share), not alone.isdisjoint(share))
            for share in shares
        ]
        checks: dict[Mutant, Future[Result]] = {
            m: pool.submit(copies.run, partial(check, mutant=m), not alone.isdisjoint(m.tests))
            for m in runnable
        }
        not_passing = still_failing(copies, [share.result() for share in baseline])
        if not_passing:
            pool.shutdown(cancel_futures=True)
            print(
                "Baseline: these tests do not pass before any mutation:", *not_passing, sep="\n  "
            )
            return 1
        print(f"Baseline: {len(every_test)} tests pass on the unchanged copies.", flush=True)
        caught = 0
        for mutant in mutants:
            if mutant in broken:
                print(f"line {mutant.line:>2}: {mutant.what}: CANNOT BE APPLIED: {broken[mutant]}")
                continue
            ok, line = verdict(mutant, checks[mutant].result())
            caught += ok
            print(line, flush=True)
    survived = len(runnable) - caught
    minutes = (time.monotonic() - started) / 60
    summary = f"{len(mutants)} mutants: {caught} caught, {survived} survived"
    if broken:
        summary += f", {len(broken)} cannot be applied"
    print(f"{summary} ({len(copies.all)} jobs, {minutes:.1f} minutes)")
    return 1 if survived or broken else 0


if __name__ == "__main__":
    sys.exit(main())
