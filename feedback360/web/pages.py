"""The public pages: what feedback360 is and how it keeps answers anonymous."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..instruments.registry import instruments

bp = Blueprint("pages", __name__)


@bp.get("/")
def home() -> str:
    """What the tool does, for whom, and how anonymity works."""
    return render_template("home.html", instruments=instruments().values())
