"""Views of the worker blueprint (being built)."""

from flask import Blueprint, abort

bp = Blueprint("worker", __name__, url_prefix="/rounds")


@bp.get("/")
def dashboard():
    abort(404)
