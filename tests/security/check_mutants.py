"""Switch each SECURITY.md defence off in a throwaway copy and check that its tests then fail.

    .venv/bin/python tests/security/check_mutants.py [--line N] [--keep]

The repository is copied to a temporary folder (the virtualenv is linked, and PYTHONPATH puts
the copy first, so the copy's code is what runs, in this process's tests and in the servers
they start). The named tests must all pass on the unchanged copy; then, for each mutant in
mutants.py, its edits are applied, its tests run, and every test must fail; the file is then
restored. The working tree is never touched. Takes several minutes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from mutants import MUTANTS, Mutant

ROOT = Path(__file__).resolve().parents[2]
SKIP = shutil.ignore_patterns(".venv", ".git", "instance", "__pycache__", ".pytest_cache", "*.db")


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
    env = {k: v for k, v in os.environ.items() if k not in {"CI", "TEST_DATABASE_URL"}}
    env["PYTHONPATH"] = str(copy)
    return env


def run_tests(copy: Path, tests: tuple[str, ...]) -> dict[str, str]:
    """Each named test (all its parameters together) -> "failed", "errored" or "passed"."""
    report = copy / "report.xml"
    env = environment(copy)
    command = [str(copy / ".venv" / "bin" / "pytest"), "-q", "-p", "no:cacheprovider"]
    command += ["--tb=no", f"--junitxml={report}", *tests]
    subprocess.run(command, cwd=copy, env=env, capture_output=True, timeout=900)  # noqa: S603
    outcomes = dict.fromkeys(tests, "passed")
    seen = set()
    for case in ET.parse(report).getroot().iter("testcase"):
        path = case.get("classname", "").replace(".", "/") + ".py"
        node = f"{path}::{case.get('name', '').split('[')[0]}"
        seen.add(node)
        if node not in outcomes or outcomes[node] == "failed":
            continue
        if case.find("failure") is not None:
            outcomes[node] = "failed"  # an assertion (or the code under test) failed
        elif case.find("error") is not None:
            outcomes[node] = "errored"  # the set-up broke: says nothing about the defence
    missing = [test for test in tests if test not in seen]
    if missing:
        raise SystemExit(f"Tests not found (renamed?): {missing}")
    return outcomes


def apply(copy: Path, mutant: Mutant) -> dict[Path, str]:
    """Make the edits (all checked first); returns each changed file's original text."""
    originals: dict[Path, str] = {}
    texts: dict[Path, str] = {}
    for path, old, new in mutant.edits:
        target = copy / path
        originals.setdefault(target, target.read_text())
        current = texts.get(target, originals[target])
        if current.count(old) != 1:
            raise SystemExit(f"{mutant.what}: {path} holds {current.count(old)} copies of {old!r}")
        texts[target] = current.replace(old, new)
    for target, text in texts.items():
        target.write_text(text)
    return originals


def check(copy: Path, mutant: Mutant) -> list[str]:
    """The tests that did not fail with the defence switched off (should be none)."""
    originals = apply(copy, mutant)
    try:
        outcomes = run_tests(copy, mutant.tests)
    finally:
        for target, text in originals.items():
            target.write_text(text)
    return [f"{test} ({outcome})" for test, outcome in outcomes.items() if outcome != "failed"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--line", type=int, help="only the mutants of this SECURITY.md line")
    parser.add_argument("--keep", action="store_true", help="keep the copy afterwards")
    options = parser.parse_args()
    mutants = [m for m in MUTANTS if options.line is None or m.line == options.line]
    copy = make_copy()
    try:
        every_test = tuple(dict.fromkeys(t for m in mutants for t in m.tests))
        failing = [t for t, outcome in run_tests(copy, every_test).items() if outcome != "passed"]
        if failing:
            print("Baseline: these tests fail before any mutation:", *failing, sep="\n  ")
            return 1
        print(f"Baseline: {len(every_test)} tests pass on the unchanged copy.")
        survivors = 0
        for mutant in mutants:
            passed = check(copy, mutant)
            survivors += bool(passed)
            verdict = "caught" if not passed else "NOT CAUGHT by " + ", ".join(passed)
            print(f"line {mutant.line:>2}: {mutant.what}: {len(mutant.tests)} tests, {verdict}")
            sys.stdout.flush()
        return 1 if survivors else 0
    finally:
        if options.keep:
            print(f"The copy is kept at {copy}")
        else:
            shutil.rmtree(copy.parent)


if __name__ == "__main__":
    sys.exit(main())
