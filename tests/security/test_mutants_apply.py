"""Every mutant of tests/security/mutants.py still fits the code it mutates.

`make mutants` runs long and only in CI; a refactor that moves a guarded line would otherwise
be found there, after the whole suite. Here each edit is checked against the tree as it is:
its text found exactly once (the check `make mutants` makes before applying it), and each
named test present in its file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from check_mutants import missing_text
from mutants import MUTANTS

pytestmark = pytest.mark.no_database

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: f"line{m.line}-{m.what[:40]}")
def test_each_mutant_edit_finds_its_text_exactly_once(mutant):
    assert missing_text(ROOT, mutant) is None


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: f"line{m.line}-{m.what[:40]}")
def test_each_mutant_names_tests_that_exist(mutant):
    for node in mutant.tests:
        path, _, name = node.partition("::")
        function = re.sub(r"\[.*\]$", "", name.split("::")[-1])
        source = (ROOT / path).read_text()
        assert re.search(rf"def {re.escape(function)}\(", source), node
