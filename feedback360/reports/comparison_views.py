"""Compare two rounds: the worker picks two of their closed rounds and sees what moved."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_login import current_user, login_required

from ..programmes import gates as programmes
from ..surveys.models import Round, RoundStatus
from ..surveys.rounds import owned_round, rounds_of
from . import documents
from .comparison import Comparison, compare

bp = Blueprint("comparison", __name__, url_prefix="/reports/compare")


def comparable_rounds() -> list[Round]:
    """The worker's closed rounds whose reports they may read, newest first."""
    return [
        r
        for r in rounds_of(current_user)
        if r.status == RoundStatus.CLOSED and not programmes.report_waiting(r)
    ]


def _chosen(name: str) -> Round | None:
    """The round named in the query, if the worker owns it, it is closed and may be read.

    Anyone else's round, an open one or one still waiting for its debrief is not found."""
    value = request.args.get(name, "")
    if not value:
        return None
    round_ = owned_round(current_user, int(value)) if value.isdigit() else None
    if round_ is None or round_.status != RoundStatus.CLOSED or programmes.report_waiting(round_):
        abort(404)
    return round_


def _comparison(then: Round, now: Round) -> Comparison:
    try:
        return compare(documents.kept_report(then.id), documents.kept_report(now.id))
    except documents.NoReport:
        abort(404)


def _in_order(first: Round, second: Round) -> tuple[Round, Round]:
    """Earlier first, whichever way round they were picked."""
    key = lambda r: (r.closed_at, r.id)  # noqa: E731
    return (first, second) if key(first) <= key(second) else (second, first)


@bp.get("")
@login_required
def compare_page() -> str | tuple[str, int]:
    rounds = comparable_rounds()
    then, now = _chosen("then"), _chosen("now")
    if then is None or now is None:
        return render_template("reports/compare_pick.html", rounds=rounds, problem=None)
    if then.id == now.id:
        problem = "Choose two different rounds: a round compared with itself shows no change."
        page = render_template("reports/compare_pick.html", rounds=rounds, problem=problem)
        return page, 400
    then, now = _in_order(then, now)
    return render_template(
        "reports/compare.html",
        comparison=_comparison(then, now),
        pdf_url=url_for(".compare_pdf", then=then.id, now=now.id),
    )


@bp.get("/pdf")
@login_required
def compare_pdf() -> Response:
    then, now = _chosen("then"), _chosen("now")
    if then is None or now is None or then.id == now.id:
        abort(404)
    then, now = _in_order(then, now)
    pdf = documents.render_comparison_pdf(_comparison(then, now))
    response = Response(pdf, mimetype="application/pdf")
    name = f"feedback360-comparison-{then.closed_at:%Y-%m-%d}-{now.closed_at:%Y-%m-%d}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response
