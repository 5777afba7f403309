"""Views of the outbox blueprint (being built)."""

from flask import Blueprint

bp = Blueprint("outbox", __name__, url_prefix="/dev/outbox")
