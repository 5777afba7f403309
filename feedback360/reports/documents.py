"""One Report, one template: the HTML page and the PDF, for the web and the CLI alike."""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path

from flask import current_app, render_template
from markupsafe import Markup
from sqlalchemy import select, update

from ..database import start_writing
from ..extensions import db
from ..surveys.models import Round
from .model import Report, from_dict
from .models import RoundReport
from .reflection import ReflectionView

PDF_STYLESHEETS = ("css/report.css", "css/report-pdf.css")


class NoReport(LookupError):
    """The round has no kept report (it is still open)."""


def kept_report(round_id: int) -> Report:
    stored = db.session.get(RoundReport, round_id)
    if stored is None:
        raise NoReport(round_id)
    return from_dict(stored.data)


def charts_for(report: Report) -> dict[str, str]:
    from .charts import report_charts  # matplotlib only where reports are made

    return report_charts(report)


@functools.cache
def _read_stylesheet(folder: str, name: str) -> str:
    return (Path(folder) / name).read_text(encoding="utf-8")


def print_css() -> Markup:
    """The PDF's styles, inlined as Markup: autoescape would turn quotes into &#34; in <style>."""
    folder = current_app.static_folder or ""
    css = "\n".join(_read_stylesheet(folder, name) for name in PDF_STYLESHEETS)
    # Our own static files, never user input.
    return Markup(css)  # noqa: S704  # nosec B704


def pdf_title(report: Report) -> str:
    return f"{report.instrument_title} report"


def report_html(report: Report, reflection: ReflectionView | None) -> str:
    """The standalone HTML the PDF is made from."""
    return render_template(
        "reports/pdf.html",
        report=report,
        charts=charts_for(report),
        reflection=reflection,
        css=print_css(),
        title=pdf_title(report),
    )


def render_report_pdf(report: Report, reflection: ReflectionView | None) -> bytes:
    from .pdf import render_pdf

    return render_pdf(report_html(report, reflection))


def pdf_for(round_id: int, reflection: ReflectionView | None) -> bytes:
    """The PDF as kept: rendered on the first download of each version, then read back.

    A repeat download reads the kept bytes and nothing else: the kept report is parsed only
    when there is something to render (issue 7 measured the parse at 8 ms). Flushes.
    """
    if reflection is None:
        return _plain_pdf(round_id)
    return _reflection_pdf(round_id, reflection)


def _plain_pdf(round_id: int) -> bytes:
    kept = db.session.execute(
        select(RoundReport.pdf).where(RoundReport.round_id == round_id)
    ).one_or_none()
    if kept is None:
        raise NoReport(round_id)
    if kept.pdf is not None:
        return kept.pdf
    pdf = render_report_pdf(kept_report(round_id), None)
    start_writing()  # rendered without the write lock; only keeping it needs the lock
    # Two first downloads at once both render; the first write wins and both serve it.
    db.session.execute(
        update(RoundReport)
        .where(RoundReport.round_id == round_id, RoundReport.pdf.is_(None))
        .values(pdf=pdf),
        execution_options={"synchronize_session": False},
    )
    return db.session.scalar(select(RoundReport.pdf).where(RoundReport.round_id == round_id))


def _reflection_pdf(round_id: int, reflection: ReflectionView) -> bytes:
    """Kept for the reflection it shows: any change to the reflection makes a new one."""
    made_from = reflection_fingerprint(reflection)
    kept = db.session.scalar(
        select(RoundReport.reflection_pdf).where(
            RoundReport.round_id == round_id, RoundReport.reflection_pdf_of == made_from
        )
    )
    if kept is not None:
        return kept
    pdf = render_report_pdf(kept_report(round_id), reflection)
    start_writing()
    db.session.execute(
        update(RoundReport)
        .where(RoundReport.round_id == round_id)
        .values(reflection_pdf=pdf, reflection_pdf_of=made_from),
        execution_options={"synchronize_session": False},
    )
    return pdf


def reflection_fingerprint(reflection: ReflectionView) -> str:
    """Every value the PDF shows of the reflection; frozen dataclasses repr the same each time."""
    return hashlib.sha256(repr(reflection).encode()).hexdigest()


def pdf_file_name(round_: Round) -> str:
    """Chosen by the server from safe parts only: the instrument and the day the round closed."""
    key = re.sub(r"[^a-z0-9]+", "-", round_.instrument_key.lower()).strip("-") or "report"
    closed_on = round_.closed_at.date().isoformat() if round_.closed_at else "open"
    return f"feedback360-report-{key}-{closed_on}.pdf"
