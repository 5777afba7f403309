"""The worker's badge evidence page and its three downloads."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..giveaways.names import Context, name_words
from ..giveaways.reflection import check_reflection, found_in
from ..programmes import gates as programmes
from ..reports.reflection import STATEMENT_WORDS_ASKED
from ..surveys.models import Round
from ..surveys.rounds import round_or_404
from . import content, formats

bp = Blueprint("evidence", __name__, url_prefix="/reports")
MIME_TYPES = {
    "text": "text/plain; charset=utf-8",
    "markdown": "text/markdown; charset=utf-8",
    "json": "application/json",
}


def _closed_round(round_id: int) -> Round:
    """The worker's own closed round with its report released; anything else is not found."""
    round_ = round_or_404(current_user, round_id)
    if round_.is_open or programmes.report_waiting(round_):
        abort(404)
    return round_


@bp.get("/<int:round_id>/evidence")
@login_required
def evidence_page(round_id: int) -> str:
    """What the evidence holds, what it lacks, and anything in it that may point to someone."""
    _closed_round(round_id)
    saved = content.saved_evidence(round_id)
    if saved is None:
        return render_template(
            "evidence/evidence.html",
            round_id=round_id,
            evidence=None,
            words_asked=STATEMENT_WORDS_ASKED,
        )
    view, evidence = saved
    # The check runs here, in this request, and nothing about it is kept (docs/privacy.md).
    parts = check_reflection(view, Context(worker=name_words([current_user.name])))
    return render_template(
        "evidence/evidence.html",
        round_id=round_id,
        evidence=evidence,
        missing=content.missing_from(view, evidence),
        words_asked=STATEMENT_WORDS_ASKED,
        flagged=tuple(part for part in parts if part.marked.findings),
        found=found_in(parts),
    )


@bp.get("/<int:round_id>/evidence/<any(text, markdown, json):kind>")
@login_required
def download(round_id: int, kind: str) -> Response:
    """One file of the evidence. The link is the same whether or not the page warned, so not
    even a web server's access log can tell that a warning was shown."""
    _closed_round(round_id)
    saved = content.saved_evidence(round_id)
    if saved is None:
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
