"""Views of the auth blueprint (being built)."""

from flask import Blueprint, abort

bp = Blueprint("auth", __name__, url_prefix="/account")


@bp.route("/login", methods=["GET", "POST"])
def login():
    abort(404)


@bp.route("/register", methods=["GET", "POST"])
def register():
    abort(404)


@bp.post("/logout")
def logout():
    abort(404)
