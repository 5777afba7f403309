"""Each bench script runs in its tiny mode and prints its figure lines.

Benchmarks are never pass/fail on time (DESIGN.md, bench/README.md): these tests only check
that the scripts still run end to end against the real app and report every figure, and that
the submit load's database check finds nothing lost or duplicated.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NUMBER = r"\s+-?\d+\.\d{3}"

pytestmark = pytest.mark.slow


def run_bench(script: str) -> str:
    """The script's output in --quick mode; a failing script fails the test with its output."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def figure(output: str, name: str) -> float:
    """The value printed on the line that starts with `name`."""
    found = re.search(rf"^{re.escape(name)}({NUMBER})", output, re.MULTILINE)
    assert found, f"no figure line {name!r} in:\n{output}"
    return float(found.group(1))


def test_submit_load_reports_rates_latencies_and_a_clean_database_check() -> None:
    output = run_bench("submit_load.py")
    for run in ("floor", "app"):
        assert figure(output, f"{run} submits per second") > 0
        figure(output, f"{run} submit latency p50")
        figure(output, f"{run} submit latency p99")
        sent = figure(output, f"{run} submits sent")
        assert sent > 0
        # Every submit that got a success is stored exactly once, and nothing else is.
        assert figure(output, f"{run} stored answer sets") == figure(
            output, f"{run} submits succeeded"
        )
        assert figure(output, f"{run} lost (success, not stored)") == 0
        assert figure(output, f"{run} duplicated (stored twice)") == 0
        assert figure(output, f"{run} stored without a success") == 0
        assert figure(output, f"{run} incomplete answer sets") == 0
    assert figure(output, "app invitations marked submitted") == figure(
        output, "app submits succeeded"
    )
    figure(output, "warm-up page save p99")
    figure(output, "ratio submits/s (app / floor)")


def test_report_render_reports_the_full_path_against_weasyprint_alone() -> None:
    output = run_bench("report_render.py")
    assert figure(output, "full path median (database to PDF)") > 0
    assert figure(output, "floor median (WeasyPrint alone)") > 0
    figure(output, "ratio full / floor")
    figure(output, "background worker pass after the close")
    for version in ("kept PDF", "kept PDF with the reflection"):
        figure(output, f"first download, {version}")
        figure(output, f"repeat download, {version}")
        figure(output, f"ratio first / repeat download, {version}")
    figure(output, "worker start-up, report libraries lazy")
    figure(output, "worker start-up, report libraries loaded")
    # Lazy loading is behaviour, not timing: importing the app must not load them.
    assert "report libraries loaded by importing the app: none" in output


def test_cohort_reports_aggregation_and_bulk_pdfs() -> None:
    output = run_bench("cohort.py")
    assert figure(output, "rounds aggregated") == 12
    figure(output, "aggregation time")
    figure(output, "peak resident memory while aggregating")
    for jobs in (1, 2):
        # the real `flask report pdfs`: every PDF written, none failed
        assert figure(output, f"PDFs written with {jobs} process(es)") == 2
        assert figure(output, f"PDFs failed with {jobs} process(es)") == 0
        figure(output, f"PDFs per second, {jobs} process(es)")
    figure(output, "speed-up, two cores / one")


def test_close_cost_reports_the_floor_the_close_and_the_scrub() -> None:
    output = run_bench("close_cost.py")
    assert figure(output, "closed rounds written") == 30
    # a self-assessment and at least six colleagues in every closed round
    assert figure(output, "rows in answer_set") >= 30 * 7
    figure(output, "size of invitation")
    figure(output, "size of the database file")
    for label in ("(a) floor close", "(b) close", "(c) scrub after close"):
        assert figure(output, f"{label} median") > 0
    # A scrub left for the next run would mean the figure timed a scrub that did nothing.
    assert figure(output, "scrubs left for the next run") == 0
    figure(output, "ratio (b + c) / a (close and scrub)")
    figure(output, "ratio c / a (scrub)")


def test_comment_check_reports_each_text_against_one_pattern() -> None:
    output = run_bench("comment_check.py")
    for label in ("as written", "plain", "worst case"):
        assert figure(output, f"{label}: characters") == 5000
        assert figure(output, f"{label}: check median") > 0
        figure(output, f"{label}: check processor time")
        figure(output, f"{label}: check, processor time (ms)")
        figure(output, f"{label}: ratio check / floor")
    assert figure(output, "plain: findings") == 0
    assert figure(output, "as written: findings") > 0

def test_cohort_report_reports_its_time_against_the_aggregation() -> None:
    output = run_bench("cohort_report.py")
    assert figure(output, "cohort rows shown") > 0
    assert figure(output, "ratio: (aggregation + cohort) / aggregation") >= 1
    figure(output, "cohort peak resident memory")


def test_two_rounds_reports_the_hold_back_against_making_the_report() -> None:
    output = run_bench("two_rounds.py")
    assert figure(output, "floor: make the second report") > 0
    assert figure(output, "hold it back against the first") > 0
    figure(output, "ratio hold / floor")
    assert 0 <= figure(output, "item means kept (median)") <= 35
    figure(output, "group means kept (median)")


def test_exact_at_close_reports_the_exact_check_against_the_rule() -> None:
    output = run_bench("exact_at_close.py")
    assert figure(output, "floor: the rule at close") > 0
    assert figure(output, "overlaps the close cannot rule out") == 192
    assert figure(output, "exact check, one overlap (median)") > 0
    assert figure(output, "exact check, every overlap (projected)") > 0
    figure(output, "ratio exact / rule")
