"""The report: database to PDF bytes, against WeasyPrint alone on the same HTML.

    .venv/bin/python bench/report_render.py            # warm medians of 20
    .venv/bin/python bench/report_render.py --quick    # 3 repeats, for the smoke test

A round with a self-assessment and 15 colleagues, closed (so its report is kept, and its PDFs
are made by one pass of the background worker), with a reflection. Everything runs in this one
process, warm; the cold start of a fresh process is timed in child processes.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _harness import (  # noqa: E402
    BENCH_POSTGRES_URL,
    ROOT,
    bench_config,
    figure,
    fresh_sqlite_url,
    median,
    migrated_app,
    note,
    scratch_folder,
    time_calls,
    verdict,
)

REPORT_MODULES = ("weasyprint", "matplotlib", "pandas", "numpy")
# What a web worker would pay up front if the report libraries were not loaded lazily.
EAGER_REPORT_IMPORTS = (
    "import weasyprint, pandas; "
    "import feedback360.reports.pdf, feedback360.reports.charts, feedback360.reports.aggregate"
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--starts", type=int, default=5, help="fresh processes to time")
    parser.add_argument("--postgres", nargs="?", const=BENCH_POSTGRES_URL, default=None)
    parser.add_argument("--quick", action="store_true", help="a tiny run for the smoke test")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeats, args.starts = 1, 1
    return args


def closed_round(app: Any) -> tuple[int, int]:
    """A round with 15 colleagues' answers, closed, with a reflection: (round id, user id)."""
    import itertools

    import _data

    from feedback360.extensions import db
    from feedback360.surveys.closing import close_round

    with app.app_context():
        user = _data.make_worker()
        round_ = _data.answered_round(user, _data.frontline(), itertools.count())
        close_round(round_)
        _data.add_reflection(round_)
        db.session.commit()
        return round_.id, user.id


# Warm timings, in this process ---------------------------------------------------------------


def full_path(round_id: int) -> bytes:
    """Database to PDF bytes: the answers selected and summarized, charts, HTML, PDF."""
    from feedback360.extensions import db
    from feedback360.reports.charts import report_charts
    from feedback360.reports.documents import render_report_pdf
    from feedback360.reports.freeze import build_report
    from feedback360.reports.reflection import shared_reflection
    from feedback360.surveys.models import Round

    report_charts.cache_clear()  # a report's first render draws its charts
    report = build_report(db.session.get(Round, round_id))
    pdf = render_report_pdf(report, shared_reflection(round_id))
    db.session.rollback()  # nothing is written; the next call reads afresh
    return pdf


def final_html(round_id: int) -> str:
    from feedback360.extensions import db
    from feedback360.reports.documents import report_html
    from feedback360.reports.freeze import build_report
    from feedback360.reports.reflection import shared_reflection
    from feedback360.surveys.models import Round

    html = report_html(build_report(db.session.get(Round, round_id)), shared_reflection(round_id))
    db.session.rollback()
    return html


def floor_render(html: str) -> Any:
    """WeasyPrint alone on the same final HTML, with the app's data-only fetcher and fonts.

    Those two are WeasyPrint settings, not app work: with them the ratio shows what the rest
    of the path adds. (WeasyPrint's default fetcher decodes data: URIs more slowly.)
    """
    from feedback360.reports.pdf import render_pdf

    return lambda: render_pdf(html)


def default_weasyprint(html: str) -> Any:
    """WeasyPrint with its own defaults, for comparison only."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return lambda: HTML(string=html).write_pdf(font_config=fonts)


def stage_times(round_id: int, repeats: int) -> dict[str, float]:
    """Median seconds of each stage of the full path, to show where the time goes."""
    from feedback360.extensions import db
    from feedback360.reports.charts import report_charts
    from feedback360.reports.documents import charts_for, kept_report
    from feedback360.reports.freeze import build_report
    from feedback360.reports.reflection import shared_reflection
    from feedback360.surveys.models import Round

    round_ = db.session.get(Round, round_id)
    report = build_report(round_)
    html = final_html(round_id)
    stages = {
        "select + summarize": lambda: build_report(db.session.get(Round, round_id)),
        "kept report read back": lambda: kept_report(round_id),
        "charts (SVG)": lambda: (report_charts.cache_clear(), charts_for(report)),
        "reflection read": lambda: shared_reflection(round_id),
    }
    times = {name: median(time_calls(call, repeats)) for name, call in stages.items()}
    times["final HTML size (KiB)"] = len(html) / 1024
    db.session.rollback()
    return times


def download_times(app: Any, round_id: int, user_id: int, repeats: int) -> dict[str, float]:
    """The worker's PDF download through the real view: the first of each version, then kept.

    First the background worker's pass, as `flask worker` makes it just after the close (the
    round's reflection is already included, so it makes both versions). A round's first
    download can only be timed once, so it is the first call of each version.
    """
    from feedback360.extensions import db
    from feedback360.reports.models import Reflection
    from feedback360.reports.rendering import render_due

    client = logged_in_client(app, user_id)

    def download() -> None:
        response = client.get(f"/reports/{round_id}.pdf")
        assert response.status_code == 200 and response.data.startswith(b"%PDF")

    with app.app_context():
        times = {"background worker pass after the close": time_calls(render_due, 1)[0]}
    client.get("/rounds")  # the client's first request pays for warming up, not the download
    for included in (False, True):
        with app.app_context():
            db.session.get(Reflection, round_id).include_in_pdf = included
            db.session.commit()
        label = "kept PDF with the reflection" if included else "kept PDF"
        times[f"first download, {label}"] = time_calls(download, 1)[0]
        times[f"repeat download, {label}"] = median(time_calls(download, repeats))
    return times


def logged_in_client(app: Any, user_id: int) -> Any:
    from feedback360.auth.models import User
    from feedback360.auth.sessions import start_session_marks
    from feedback360.extensions import db

    client = app.test_client()
    with app.app_context():
        user_session = db.session.get(User, user_id).get_id()
    with client.session_transaction() as session:
        session["_user_id"] = user_session
        session["_fresh"] = True
        start_session_marks(session)
    return client


# Cold start, in fresh processes --------------------------------------------------------------


def start_up(database_url: str, extra: str, starts: int) -> tuple[float, list[str]]:
    """Median seconds for a fresh interpreter to import the app (plus `extra`)."""
    code = (
        "import sys, time; started = time.perf_counter(); import wsgi; "
        f"{extra}; print(time.perf_counter() - started); "
        f"print(','.join(m for m in {REPORT_MODULES!r} if m in sys.modules))"
    )
    env = {k: str(v) for k, v in bench_config(database_url).items()}
    times, loaded = [], []
    for _ in range(starts):
        run = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **env},
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        seconds, modules = run.stdout.splitlines()[-2:]
        times.append(float(seconds))
        loaded = [m for m in modules.split(",") if m]
    return median(times), loaded


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with scratch_folder() as folder:
        url = args.postgres or fresh_sqlite_url(folder)
        app = migrated_app(url)
        round_id, user_id = closed_round(app)
        note(f"round {round_id}: self + 15 colleagues, closed, with a reflection")
        with app.test_request_context():
            full_path(round_id)  # warm: fonts, templates
            html = final_html(round_id)
            floor = floor_render(html)
            floor()
            full = median(time_calls(lambda: full_path(round_id), args.repeats))
            alone = median(time_calls(floor, args.repeats))
            stages = stage_times(round_id, args.repeats)
            stages["WeasyPrint, default fetcher"] = median(
                time_calls(default_weasyprint(html), args.repeats)
            )
        downloads = download_times(app, round_id, user_id, args.repeats)
        lazy, loaded = start_up(url, "pass", args.starts)
        eager, _ = start_up(url, EAGER_REPORT_IMPORTS, args.starts)
        print_figures(full, alone, stages, downloads, lazy, eager, loaded)
    return 0


def print_figures(
    full: float,
    floor: float,
    stages: dict[str, float],
    downloads: dict[str, float],
    lazy: float,
    eager: float,
    loaded: list[str],
) -> None:
    figure("full path median (database to PDF)", 1000 * full, "ms")
    figure("floor median (WeasyPrint alone)", 1000 * floor, "ms")
    figure("full path minus floor", 1000 * (full - floor), "ms")
    for name, seconds in stages.items():
        if name.endswith("(KiB)"):
            figure(name, seconds)
        else:
            figure(f"stage: {name}", 1000 * seconds, "ms")
    for name, seconds in downloads.items():
        figure(name, 1000 * seconds, "ms")
    figure("worker start-up, report libraries lazy", lazy, "s")
    figure("worker start-up, report libraries loaded", eager, "s")
    note(f"report libraries loaded by importing the app: {', '.join(loaded) or 'none'}")
    verdict("ratio full / floor", full / floor, "<= 1.2", full / floor <= 1.2)
    for name in ("kept PDF", "kept PDF with the reflection"):
        kept = 1000 * downloads[f"repeat download, {name}"]
        first = 1000 * downloads[f"first download, {name}"]
        # A single request of a few milliseconds: the ratio is noise; the target is the time.
        figure(f"ratio first / repeat download, {name}", first / kept)
        verdict(f"first download, {name} (ms)", first, "<= 20", first <= 20)
        verdict(f"repeat download, {name} (ms)", kept, "<= 20", kept <= 20)
    verdict("web worker start-up (s)", lazy, "<= 1", lazy <= 1 and not loaded)


if __name__ == "__main__":
    sys.exit(main())
