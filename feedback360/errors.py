"""Friendly pages for the errors a person can meet."""

from __future__ import annotations

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

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


def init_app(app: Flask) -> None:
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
