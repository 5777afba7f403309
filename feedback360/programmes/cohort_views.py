"""The lead's cohort report: on screen, as CSV and as PDF, all from the same rows."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_login import current_user, login_required

from . import cohort_data
from .access import led_programme_or_404
from .cohort import BAND_LABELS, MIN_WORKERS, CohortReport, cohort_report
from .models import Programme

bp = Blueprint("cohort", __name__, url_prefix="/lead")
REFUSED = (
    "That view is not offered: it would show fewer than {n} workers, or differ from another "
    "view by fewer than {n} workers, which could let someone work out a few people's figures."
)


class ViewRefused(Exception):
    pass


def _report(programme: Programme) -> CohortReport:
    chosen = cohort_data.parse_filter(request.args.get("view"))
    try:
        if chosen is None:
            raise KeyError(request.args.get("view"))
        return cohort_report(cohort_data.contributions(programme), chosen)
    except KeyError:
        raise ViewRefused() from None


def _context(programme: Programme, report: CohortReport) -> dict[str, object]:
    return {
        "programme": programme,
        "report": report,
        "rows": cohort_data.rows(report),
        "bands": BAND_LABELS,
        "minimum": MIN_WORKERS,
        "cell": cohort_data.cell,
        "filter_label": cohort_data.filter_label,
        "filter_value": cohort_data.filter_value,
    }


@bp.get("/<int:programme_id>/cohort")
@login_required
def cohort_page(programme_id: int) -> tuple[str, int] | str:
    """Per capability, colleagues' and self scores across workers, and the gaps."""
    programme = led_programme_or_404(current_user, programme_id)
    try:
        report = _report(programme)
    except ViewRefused:
        everyone = cohort_report(cohort_data.contributions(programme))
        page = render_template(
            "programmes/cohort.html",
            refused=REFUSED.format(n=MIN_WORKERS),
            **_context(programme, everyone),
        )
        return page, 400
    return render_template("programmes/cohort.html", refused=None, **_context(programme, report))


def _download(body: bytes | str, mimetype: str, name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<int:programme_id>/cohort.csv")
@login_required
def cohort_csv(programme_id: int) -> Response | tuple[str, int]:
    """The same rows as the page, with the same figures held back."""
    programme = led_programme_or_404(current_user, programme_id)
    try:
        report = _report(programme)
    except ViewRefused:
        return REFUSED.format(n=MIN_WORKERS), 400
    return _download(cohort_data.csv_text(report), "text/csv", f"cohort-{programme.id}.csv")


@bp.get("/<int:programme_id>/cohort.pdf")
@login_required
def cohort_pdf(programme_id: int) -> Response | tuple[str, int]:
    """The same page as a PDF (WeasyPrint, fetching nothing)."""
    from ..reports.documents import print_css
    from ..reports.pdf import render_pdf

    programme = led_programme_or_404(current_user, programme_id)
    try:
        report = _report(programme)
    except ViewRefused:
        return REFUSED.format(n=MIN_WORKERS), 400
    html = render_template(
        "programmes/cohort_pdf.html", css=print_css(), **_context(programme, report)
    )
    return _download(render_pdf(html), "application/pdf", f"cohort-{programme.id}.pdf")
