"""Logging in again from a page that kept what was posted when the login had run out.

The self-assessment, the reflection and the invitation form all log in again through this. A
view marked `keeps_posted_answers` is reached by a POST whose
session has expired (sessions.py). With nobody logged in, it calls `log_in_again`: the first
time, that answers with a log-in page carrying the posted fields as hidden inputs, posting back
to the same address; when the page comes back with the right password, it logs in and returns
the carried fields with a form token from the new session, for the view to save as usual.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, render_template, request
from flask_wtf.csrf import generate_csrf
from werkzeug.datastructures import MultiDict

from ..extensions import db
from ..surveys.invite_forms import ReloginForm
from .errors import AccountError
from .models import User
from .service import authenticate
from .sessions import begin_session, posted_from_another_site

# The log-in fields are prefixed so they never meet a page's own (the invitation has "email").
PREFIX = "relogin"
# Only so many fields travel through the log-in page.
CARRIED_MAX = 200


@dataclass(frozen=True, slots=True)
class Wording:
    """What the log-in page says about what it keeps."""

    heading: str
    lead: str  # what is kept, and what logging in will do with it
    button: str


class LoginNeeded(Exception):
    """Nobody is logged in: the log-in page to show instead, still carrying what was posted."""

    def __init__(self, page: str, status: int) -> None:
        super().__init__("log in again")
        self.page = page
        self.status = status


def log_in_again(wording: Wording, check_owner: Callable[[User], object]) -> MultiDict:
    """Log in from the page that kept the post; return what it carried, with a fresh token.

    Raises LoginNeeded until the right password comes back with the page. check_owner (which
    aborts with 404) runs before logging in, so nobody logs in through another worker's page.
    """
    if posted_from_another_site():
        abort(403)  # nothing another site sent is shown, carried or saved
    if f"{PREFIX}-password" not in request.form:
        raise LoginNeeded(_page(ReloginForm(formdata=None, prefix=PREFIX), wording), 401)
    form = ReloginForm(prefix=PREFIX)
    if not form.validate():
        raise LoginNeeded(_page(form, wording), 400)
    email = (form.email.data or "").strip().lower()
    try:
        user = authenticate(email, form.password.data, request.remote_addr or "")
    except AccountError as error:
        db.session.commit()  # the failed attempt counts towards the login throttle
        form.password.errors.append(str(error))
        raise LoginNeeded(_page(form, wording), 400) from None
    check_owner(user)
    begin_session(user)
    # The page form checks its own token, which must come from the new session.
    carried = carried_fields(request.form)
    carried["csrf_token"] = generate_csrf()
    return carried


def carried_fields(posted: MultiDict) -> MultiDict:
    """The page's own fields: neither its old token nor the log-in form."""
    kept = [
        (key, value)
        for key, value in posted.items(multi=True)
        if key != "csrf_token" and not key.startswith(PREFIX + "-")
    ]
    return MultiDict(kept[:CARRIED_MAX])


def _page(form: ReloginForm, wording: Wording) -> str:
    return render_template(
        "auth/relogin.html",
        form=form,
        wording=wording,
        carried=list(carried_fields(request.form).items(multi=True)),
        action=request.path,
    )
