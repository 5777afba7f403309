"""What can go wrong for a person using their account, each with a message for them."""

from __future__ import annotations


class AccountError(Exception):
    """An error a person can cause; str(error) is the message to show them."""

    message = "Something was not right. Please try again."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)


class LoginFailed(AccountError):
    # One message whether or not the email has an account, so the page tells nobody which.
    message = "That email and password do not match an account. Please check them and try again."


class TooManyAttempts(AccountError):
    message = (
        "There have been too many attempts, so for your safety we have paused this for "
        "15 minutes. Please try again later."
    )


class WrongPassword(AccountError):
    message = "That is not your current password. Please type it again."


class LinkNotValid(AccountError):
    message = "This link is not right. Please use the link in the newest email we sent you."


class LinkExpired(LinkNotValid):
    message = "This link has expired. You can ask for a new one below."


class LinkUsed(LinkNotValid):
    message = "This link has already been used. You can ask for a new one below."
