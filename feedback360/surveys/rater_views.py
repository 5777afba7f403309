"""Views of the rater blueprint (being built)."""

from flask import Blueprint

bp = Blueprint("rater", __name__, url_prefix="/r")
