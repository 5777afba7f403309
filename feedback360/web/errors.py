"""Friendly pages for the errors a person can meet."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

MESSAGES = {
    400: ("Something in that request was not right", "Please go back and try again."),
    403: ("You cannot see this page", "It belongs to someone else, or you need to log in."),
    404: ("Page not found", "The address may be mistyped, or the page no longer exists."),
    405: ("That did not work", "Please go back and use the buttons on the page."),
    413: ("That was too much to send", "Please shorten what you wrote and try again."),
    429: (
        "Too many attempts",
        "For your safety we have paused this for a few minutes. Please try again later.",
    ),
    500: (
        "Something went wrong on our side",
        "Nothing you did caused this. Please try again in a moment.",
    ),
}


# The CSRF check refuses a form whose token has run out, most often on a page left open for
# over an hour. Nothing in the form was used; these say so, and what to do.
EXPIRED_TITLE = "This page was open too long"
EXPIRED_ADVICE = (
    "For your safety we could not accept it, so nothing was changed. "
    "Please go back, reload the page and send it again."
)
PRESS_AGAIN = (
    "This page was open too long, so for your safety we could not accept it. "
    "Please press the button again."
)

Page = str | Response | tuple[str, int]
View = TypeVar("View", bound=Callable[..., object])


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, render_csrf_error)
    app.register_error_handler(HTTPException, render_http_error)
    app.register_error_handler(Exception, render_unexpected_error)


def render_http_error(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    title, advice = MESSAGES.get(code, (error.name, error.description or ""))
    return render_template("errors/error.html", code=code, title=title, advice=advice), code


def render_unexpected_error(error: Exception) -> tuple[str, int]:
    from flask import current_app

    if isinstance(error, HTTPException):
        return render_http_error(error)
    current_app.logger.exception("Unhandled error")
    title, advice = MESSAGES[500]
    return render_template("errors/error.html", code=500, title=title, advice=advice), 500


def shown_again_when_expired(
    template: str, form: type[FlaskForm], unless: Callable[..., Page | None] | None = None
) -> Callable[[View], View]:
    """Mark a view whose page comes back filled in when the CSRF check refuses its form.

    The template gets `form` (built from what was posted, never validated), `expired=True` and
    the view's URL arguments; password fields are never filled in again. `unless`, given the
    URL arguments, may return another page instead (a reset link that has died meanwhile).
    """

    def mark(view: View) -> View:
        view.shown_again_when_expired = (template, form, unless)  # type: ignore[attr-defined]
        return view

    return mark


def render_csrf_error(error: CSRFError) -> Page:
    """A form the CSRF check refused: nothing was done; bring back what was typed if we can."""
    # Only a form from one of our pages carries a token field; anything else gets the plain page.
    if "csrf_token" in request.form:
        view = current_app.view_functions.get(request.endpoint or "")
        marked = getattr(view, "shown_again_when_expired", None)
        if marked is not None:
            return _shown_again(*marked)
        again = _page_with_the_button()
        if again is not None:
            flash(PRESS_AGAIN, "error")
            return redirect(again, code=303)
    return render_template(
        "errors/error.html", code=400, title=EXPIRED_TITLE, advice=EXPIRED_ADVICE
    ), 400


def _shown_again(
    template: str, form: type[FlaskForm], unless: Callable[..., Page | None] | None
) -> Page:
    context = request.view_args or {}
    instead = unless(**context) if unless else None
    if instead is not None:
        return instead
    # Built from what was posted and never validated: it is only shown, never used.
    return render_template(template, form=form(), expired=True, **context), 400


def _page_with_the_button() -> str | None:
    """For a form that is only a button, the page it was on, if that page has the same address.

    Nothing was typed there, so showing the page again with a note loses nothing.
    """
    if request.files or set(request.form) - {"csrf_token"}:
        return None
    adapter = current_app.create_url_adapter(request)
    try:
        endpoint, values = adapter.match(request.path, method="GET")  # type: ignore[union-attr]
    except HTTPException:
        return None
    return url_for(endpoint, **values)
