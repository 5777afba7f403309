"""The worker's own data: a page saying what is kept and for how long, and the JSON download."""

from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, render_template
from flask_login import current_user, login_required

from ..columns import utcnow
from .export import export_user_data
from .retention import FINISHED_MAIL_DAYS

bp = Blueprint("privacy", __name__, url_prefix="/account/data")


@bp.get("/")
@login_required
def overview() -> str:
    """What feedback360 keeps about the worker, for how long, and a button to download it."""
    return render_template(
        "privacy/data.html",
        retention_months=current_app.config["RETENTION_MONTHS"],
        mail_days=FINISHED_MAIL_DAYS,
    )


@bp.get("/download")
@login_required
def download() -> Response:
    """Everything stored about the worker, as one JSON file."""
    now = utcnow()
    data = export_user_data(current_user, now)
    response = Response(json.dumps(data, ensure_ascii=False, indent=2), mimetype="application/json")
    name = f"feedback360-my-data-{now.date().isoformat()}.json"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response
