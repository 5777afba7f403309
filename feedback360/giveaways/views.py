"""The worker's page for checking their reflection; the colleague's side is in rater_views.py."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from ..reports import reflection
from ..surveys.rounds import round_or_404
from .names import Context, name_words
from .reflection import check_reflection, found_in

bp = Blueprint("giveaways", __name__, url_prefix="/reports")


@bp.get("/<int:round_id>/reflection/check")
@login_required
def reflection_check(round_id: int) -> str:
    """The saved reflection, with anything that may name or point to someone else marked."""
    round_ = round_or_404(current_user, round_id)
    # An open round has no reflection yet: it is written after the report, at the close.
    saved = reflection.reflection_view(reflection.reflection_of(round_.id))
    # Names given for invitations are deleted at the close, so only the worker's own is known.
    context = Context(worker=name_words([current_user.name]))
    parts = () if saved is None else check_reflection(saved, context)
    return render_template(
        "giveaways/reflection_check.html",
        round_id=round_id,
        is_open=round_.is_open,
        parts=parts,
        found=found_in(parts),
    )
