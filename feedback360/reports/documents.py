"""One Report, one template: the HTML page and the PDF, for the web and the CLI alike."""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path

from flask import current_app, render_template
from markupsafe import Markup
from sqlalchemy import ColumnElement, case, select, true, update

from ..database import start_writing
from ..extensions import db
from ..surveys.models import Round
from .comparison import Comparison
from .models import RoundReport
from .reflection import ReflectionView, shared_reflection
from .report import Report, from_dict

PDF_STYLESHEETS = ("css/report.css", "css/report-pdf.css")


class NoReport(LookupError):
    """The round has no kept report (it is still open)."""


def kept_report(round_id: int) -> Report:
    stored = db.session.get(RoundReport, round_id)
    if stored is None:
        raise NoReport(round_id)
    return from_dict(stored.data)


def charts_for(report: Report) -> dict[str, str]:
    from .charts import report_charts

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


def render_comparison_pdf(comparison: Comparison) -> bytes:
    """Two rounds compared, as a PDF from the same body as the page."""
    from .pdf import render_pdf

    html = render_template(
        "reports/compare_pdf.html",
        comparison=comparison,
        css=print_css(),
        title="Two rounds compared",
    )
    return render_pdf(html)


def kept_pdf(round_id: int, reflection: ReflectionView | None) -> bytes | None:
    """The PDF kept for this reflection (or for none), or None: nothing is rendered here."""
    if reflection is None:
        column = RoundReport.pdf
    else:
        shows_it = RoundReport.reflection_pdf_of == reflection_fingerprint(reflection)
        column = case((shows_it, RoundReport.reflection_pdf), else_=None)
    row = db.session.execute(
        select(column.label("pdf")).where(RoundReport.round_id == round_id)
    ).one_or_none()
    if row is None:
        raise NoReport(round_id)
    return row.pdf


def pdf_for(round_id: int, reflection: ReflectionView | None) -> bytes:
    """The PDF as kept, or made now and kept (`flask report pdf`, a download that will not
    wait). A repeat download reads the kept bytes and nothing else. Commits."""
    kept = kept_pdf(round_id, reflection)
    if kept is not None:
        return kept
    make_pdfs(round_id)
    # None only if the reflection changed while rendering: this caller gets the one it asked for.
    return kept_pdf(round_id, reflection) or render_report_pdf(kept_report(round_id), reflection)


def make_pdfs(round_id: int) -> int:
    """Render whichever of the round's PDFs is missing or out of date, and keep it. Commits.

    Without the reflection: made once. With it: made for the reflection as it is now, and kept
    beside the SHA-256 of what it shows. Nothing is held open while WeasyPrint works. Returns
    how many PDFs were rendered.
    """
    row = db.session.execute(
        select(
            RoundReport.data,
            RoundReport.pdf.is_(None).label("plain_missing"),
            RoundReport.reflection_pdf_of,
        ).where(RoundReport.round_id == round_id)
    ).one_or_none()
    if row is None:
        raise NoReport(round_id)
    reflection = shared_reflection(round_id)
    made_from = None if reflection is None else reflection_fingerprint(reflection)
    db.session.commit()  # end the read: no lock or snapshot is held while rendering
    report = from_dict(row.data)
    plain = render_report_pdf(report, None) if row.plain_missing else None
    stale = made_from is not None and made_from != row.reflection_pdf_of
    with_reflection = render_report_pdf(report, reflection) if stale else None
    _keep(round_id, plain, with_reflection, made_from)
    return (plain is not None) + (with_reflection is not None)


def _keep(
    round_id: int, plain: bytes | None, with_reflection: bytes | None, made_from: str | None
) -> None:
    start_writing()
    if plain is not None:
        # Two renders at once (a download and the CLI): the first write wins, both serve it.
        _update(round_id, RoundReport.pdf.is_(None), pdf=plain)
    if with_reflection is not None:
        # Kept only if the reflection still reads the same; a save meanwhile asked again.
        current = shared_reflection(round_id)
        if current is not None and reflection_fingerprint(current) == made_from:
            _update(round_id, true(), reflection_pdf=with_reflection, reflection_pdf_of=made_from)
    db.session.commit()


def _update(round_id: int, condition: ColumnElement[bool], **values: object) -> None:
    db.session.execute(
        update(RoundReport).where(RoundReport.round_id == round_id, condition).values(**values),
        execution_options={"synchronize_session": False},
    )


def reflection_fingerprint(reflection: ReflectionView) -> str:
    """Every value the PDF shows of the reflection; frozen dataclasses repr the same each time."""
    return hashlib.sha256(repr(reflection).encode()).hexdigest()


def pdf_file_name(round_: Round) -> str:
    """Chosen by the server from safe parts only: the instrument and the day the round closed."""
    key = re.sub(r"[^a-z0-9]+", "-", round_.instrument_key.lower()).strip("-") or "report"
    closed_on = round_.closed_at.date().isoformat() if round_.closed_at else "open"
    return f"feedback360-report-{key}-{closed_on}.pdf"
