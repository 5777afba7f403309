"""The worker's badge evidence page and its three downloads."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..giveaways.names import Context, name_words
from ..giveaways.reflection import check_reflection, found_in
from ..programmes import gates as programmes
from ..reports.documents import NoReport, kept_report
from ..reports.reflection import STATEMENT_WORDS_ASKED
from ..reports.report import Report
from ..surveys.rounds import round_or_404
from . import content, formats
from .quotes import quoted_in

bp = Blueprint("evidence", __name__, url_prefix="/reports")
MIME_TYPES = {
    "text": "text/plain; charset=utf-8",
    "markdown": "text/markdown; charset=utf-8",
    "json": "application/json",
}


def _not_ready(round_id: int) -> str | None:
    """The page to show instead while the round is open or its report waits for a debrief."""
    round_ = round_or_404(current_user, round_id)  # another worker's round is not found
    if round_.is_open:
        return render_template("reports/not_ready.html", round_id=round_id)
    if programmes.report_waiting(round_):
        return render_template("programmes/report_waiting.html")
    return None


@bp.get("/<int:round_id>/evidence")
@login_required
def evidence_page(round_id: int) -> str:
    """What the evidence holds, what it lacks, and anything in it that may point to someone."""
    not_ready = _not_ready(round_id)
    if not_ready is not None:
        return not_ready
    saved = content.saved_evidence(round_id)
    if saved is None:
        return render_template(
            "evidence/evidence.html",
            round_id=round_id,
            evidence=None,
            words_asked=STATEMENT_WORDS_ASKED,
        )
    view, evidence = saved
    # The checks run here, in this request, and nothing about them is kept (docs/privacy.md).
    parts = check_reflection(view, Context(worker=name_words([current_user.name])))
    quotes = quoted_in(tuple(part.text for part in evidence.parts), _report_of(round_id))
    return render_template(
        "evidence/evidence.html",
        round_id=round_id,
        evidence=evidence,
        missing=content.missing_from(view, evidence),
        words_asked=STATEMENT_WORDS_ASKED,
        flagged=tuple(part for part in parts if part.marked.findings),
        quotes=quotes,
        found=found_in(parts) + len(quotes),
    )


def _report_of(round_id: int) -> Report:
    """The kept report, as the reflection page needs it: a closed round without one is not found."""
    try:
        return kept_report(round_id)
    except NoReport:
        abort(404)


@bp.get("/<int:round_id>/evidence.txt")
@login_required
def download_text(round_id: int) -> Response:
    """The evidence as plain text, to paste into the application form."""
    return _download(round_id, "text")


@bp.get("/<int:round_id>/evidence.md")
@login_required
def download_markdown(round_id: int) -> Response:
    """The evidence as Markdown, for a blog or portfolio."""
    return _download(round_id, "markdown")


@bp.get("/<int:round_id>/evidence.json")
@login_required
def download_json(round_id: int) -> Response:
    """The evidence as an Open Badges Evidence object."""
    return _download(round_id, "json")


def _download(round_id: int, kind: str) -> Response:
    """One file of the evidence. The link is the same whether or not the page warned, so not
    even a web server's access log can tell that a warning was shown."""
    saved = None if _not_ready(round_id) is not None else content.saved_evidence(round_id)
    if saved is None:  # the page says why there is nothing to download yet
        return redirect(url_for("evidence.evidence_page", round_id=round_id))
    response = Response(_file_body(saved[1], kind), mimetype=MIME_TYPES[kind])
    name = formats.FILE_NAMES[kind]
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _file_body(evidence: content.Evidence, kind: str) -> str:
    if kind == "json":
        return json.dumps(formats.as_open_badges(evidence), ensure_ascii=False, indent=2) + "\n"
    return formats.as_markdown(evidence) if kind == "markdown" else formats.as_text(evidence)
