"""SMTP: one message, one connection with a timeout, and what the server's answer means."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
from dataclasses import dataclass

from flask import Flask, current_app
from flask_mail import BadHeaderError, Connection, Message

from ..extensions import mail
from .models import OutboxStatus

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Flask-Mail holds the MAIL_* settings that TimedConnection connects with."""
    mail.init_app(app)


@dataclass(frozen=True, slots=True)
class Claimed:
    """A claimed message as plain values, so sending needs no database session."""

    id: int
    recipient: str
    subject: str
    text_body: str
    html_body: str | None
    attempts: int
    created_at: dt.datetime
    claimed_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one message; connection_lost ends the rest of the batch."""

    status: OutboxStatus
    error: str | None = None
    connection_lost: bool = False


def send_one(connection: TimedConnection, claimed: Claimed) -> Outcome:
    """Hand one message to the server and say what its answer means."""
    try:
        connection.send(build_message(claimed))
    except smtplib.SMTPRecipientsRefused as error:
        code, text = next(iter(error.recipients.values()))
        return _by_code(code, text)
    except smtplib.SMTPSenderRefused as error:
        # Our own From address refused is a server or settings problem, not this message's.
        return Outcome(OutboxStatus.PENDING, describe_error(error), connection_lost=True)
    except smtplib.SMTPResponseException as error:
        return _by_code(error.smtp_code, error.smtp_error)
    except BadHeaderError:
        return Outcome(OutboxStatus.FAILED, "The address or subject has a line break.")
    except (smtplib.SMTPException, OSError) as error:  # disconnects and timeouts included
        return Outcome(OutboxStatus.PENDING, describe_error(error), connection_lost=True)
    except Exception as error:
        # Unforeseen: count an attempt (so it ends as "failed", not in an endless loop) and
        # start again on a new connection, as this one's state is unknown.
        log.exception("Outbox message %s could not be sent.", claimed.id)
        return Outcome(OutboxStatus.PENDING, describe_error(error), connection_lost=True)
    return Outcome(OutboxStatus.SENT)


def _by_code(code: int, text: bytes | str) -> Outcome:
    error = _short(f"{code} {_text(text)}")
    if code >= 500:
        return Outcome(OutboxStatus.FAILED, error)
    # 421 means the server is closing the connection; smtplib has already closed its end.
    return Outcome(OutboxStatus.PENDING, error, connection_lost=code == 421 or code < 400)


def describe_error(error: BaseException) -> str:
    """A short reason for the log and the row: the server's answer, never our settings."""
    if isinstance(error, smtplib.SMTPResponseException):
        return _short(f"{error.smtp_code} {_text(error.smtp_error)}")
    # smtplib reports a read timeout as a disconnect; the timeout is in the context.
    if isinstance(error, TimeoutError) or isinstance(error.__context__, TimeoutError):
        return "The mail server did not answer in time."
    if isinstance(error, ConnectionRefusedError):
        return "The mail server refused the connection."
    return _short(f"{type(error).__name__}: {error}")


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _short(text: str) -> str:
    return " ".join(text.split())[:200]


def build_message(claimed: Claimed) -> Message:
    """One recipient, a text body and an HTML alternative."""
    message = Message(
        subject=claimed.subject,
        recipients=[claimed.recipient],
        body=claimed.text_body,
        html=claimed.html_body,
        # RFC 3834: tells autoresponders (out-of-office) not to reply.
        extra_headers={"Auto-Submitted": "auto-generated"},
    )
    # A stable Message-ID: if a crash makes us send again, mail programs can see it is the same.
    message.msgId = f"<outbox.{claimed.id}.{claimed.created_at:%Y%m%d%H%M%S%f}@{_domain()}>"
    return message


def _domain() -> str:
    sender = str(current_app.extensions["mail"].default_sender or "")
    return sender.rsplit("@", 1)[-1].strip("> ") if "@" in sender else "localhost"


def _tls() -> ssl.SSLContext:
    # smtplib checks no certificate unless given a context. A default one checks the
    # certificate and the host name, so no one in between can read the links we send.
    return ssl.create_default_context()


class TimedConnection(Connection):
    """Flask-Mail's connection with a timeout on every socket operation (it sets none).

    MAIL_TRANSPORT decides whether mail is sent; Flask-Mail's MAIL_SUPPRESS_SEND (on whenever
    TESTING is) plays no part, so tests can send to a real SMTP server.
    """

    @classmethod
    def open(cls) -> TimedConnection:
        connection = cls(current_app.extensions["mail"])
        connection.host = connection.configure_host()
        return connection

    def __enter__(self) -> TimedConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def configure_host(self) -> smtplib.SMTP:
        state, timeout = self.mail, float(current_app.config["MAIL_TIMEOUT_SECONDS"])
        if state.use_ssl:
            host = smtplib.SMTP_SSL(state.server, state.port, timeout=timeout, context=_tls())
        else:
            host = smtplib.SMTP(state.server, state.port, timeout=timeout)
        try:
            # Greeting, TLS and login happen now, so their refusals count as "server
            # unreachable" (try later) rather than as one message's permanent failure.
            host.ehlo_or_helo_if_needed()
            if state.use_tls:
                host.starttls(context=_tls())
                host.ehlo()
            if state.username and state.password:
                host.login(state.username, state.password)
        except BaseException:
            host.close()
            raise
        return host

    def close(self) -> None:
        host, self.host = self.host, None
        if host is None:
            return
        try:
            host.quit()
        except (smtplib.SMTPException, OSError):
            host.close()
