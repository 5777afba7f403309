"""`make mutants` gives a baseline test that failed once one more run, and says what it said."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from check_mutants import Result, still_failing

pytestmark = pytest.mark.no_database

TEST = "tests/security/test_fault_injection.py::test_killing"


class SecondRun:
    """Stands in for the copies: records what is run again, and answers with `result`."""

    def __init__(self, result: Result) -> None:
        self.result = result
        self.asked: list[tuple[str, ...]] = []
        self.alone: list[bool] = []

    def run(self, work: Callable[[Path], Result], alone: bool) -> Result:
        self.asked.append(work.keywords["tests"])
        self.alone.append(alone)
        return self.result


def failed(said: str) -> Result:
    return Result({TEST: "failed"}, 1.0, messages={TEST: said})


def test_a_test_that_fails_twice_fails_the_baseline_with_both_messages():
    again = SecondRun(failed("second: sends {'HTTP 500': 1}"))
    lines = still_failing(again, [Result({"other": "passed"}, 1.0), failed("first: kills 14")])
    assert again.asked == [(TEST,)] and again.alone == [True]
    assert len(lines) == 1
    assert "first: kills 14" in lines[0] and "second: sends {'HTTP 500': 1}" in lines[0]


def test_a_test_that_passes_when_run_again_lets_the_run_go_on_and_is_named(capsys):
    again = SecondRun(Result({TEST: "passed"}, 1.0))
    assert still_failing(again, [failed("first: kills 14")]) == []
    printed = capsys.readouterr().out
    assert "failed once and passed when run again" in printed and "first: kills 14" in printed


def test_a_baseline_that_passed_runs_nothing_again():
    again = SecondRun(failed("never asked"))
    assert still_failing(again, [Result({TEST: "passed"}, 1.0)]) == []
    assert again.asked == []


def test_a_test_that_did_not_run_is_not_given_a_second_chance():
    again = SecondRun(Result({TEST: "passed"}, 1.0))
    broken = Result({TEST: "not run"}, 1.0, note="ERROR tests/x.py - ImportError")
    assert still_failing(again, [broken]) == [f"{TEST} (not run)", broken.note]
    assert again.asked == []
