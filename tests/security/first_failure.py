"""A pytest plugin for the mutation check: once one parameter of a test has failed, skip the rest.

check_mutants.py asks of each named test only whether it failed, and one failed parameter
decides that (a skipped one cannot undo it), so the other parameters would only spend time: the
progress tests of SECURITY.md line 26 run six parameters of several seconds each. A run where
nothing fails, as the baseline must be, runs every parameter.
"""

from __future__ import annotations

import pytest

FAILED = pytest.StashKey[set[str]]()


def _test_of(item: pytest.Item) -> str:
    return item.nodeid.split("[")[0]


def pytest_configure(config: pytest.Config) -> None:
    config.stash[FAILED] = set()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if _test_of(item) in item.config.stash[FAILED]:
        pytest.skip("another parameter of this test has already failed")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    # Only an assertion (or the code under test) failing counts, as in check_mutants.outcome_of;
    # a set-up error says nothing about the defence.
    if report.when == "call" and report.failed:
        item.config.stash[FAILED].add(_test_of(item))
    return report
