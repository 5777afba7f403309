"""`flask mail send` and `flask mail worker`."""

from __future__ import annotations

import os
import signal
import threading
import time

from sqlalchemy.exc import OperationalError

import feedback360.mail.sender
from feedback360.mail.models import OutboxStatus
from feedback360.mail.sender import SendResult


def test_mail_send_sends_what_is_due_and_prints_the_counts(runner, add_messages, outbox):
    add_messages(3)

    result = runner.invoke(args=["mail", "send"])

    assert result.exit_code == 0
    assert result.output == "Sent 3, will retry 0, failed 0.\n"
    assert {r.status for r in outbox()} == {OutboxStatus.SENT}


def test_mail_send_reports_a_server_that_is_down(app, runner, add_messages, smtp_settings):
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app.config.update(smtp_settings("127.0.0.1", port))
    add_messages(3)

    result = runner.invoke(args=["mail", "send"])

    assert result.output == "Sent 0, will retry 1, failed 0.\n"


def test_the_worker_keeps_passing_until_its_loop_limit(runner, add_messages, outbox, monkeypatch):
    add_messages(3)
    calls = []
    real_send_due = feedback360.mail.sender.send_due

    def counting_send_due(**kwargs):
        calls.append(kwargs)
        return real_send_due(**kwargs)

    monkeypatch.setattr(feedback360.mail.sender, "send_due", counting_send_due)

    result = runner.invoke(args=["mail", "worker", "--interval", "0", "--max-loops", "3"])

    assert result.exit_code == 0
    assert "Sent 3, will retry 0, failed 0." in result.output
    assert result.output.endswith("Stopped after 3 passes.\n")
    assert len(calls) == 3
    assert {r.status for r in outbox()} == {OutboxStatus.SENT}


def test_the_worker_stops_cleanly_on_sigterm(runner):
    original = signal.getsignal(signal.SIGTERM)

    def terminate_once_the_worker_listens() -> None:
        deadline = time.monotonic() + 5
        while signal.getsignal(signal.SIGTERM) is original and time.monotonic() < deadline:
            time.sleep(0.01)
        if signal.getsignal(signal.SIGTERM) is not original:  # never kill pytest itself
            os.kill(os.getpid(), signal.SIGTERM)

    killer = threading.Thread(target=terminate_once_the_worker_listens)
    killer.start()
    # The loop limit only bounds the test should the signal never come.
    result = runner.invoke(args=["mail", "worker", "--interval", "0.05", "--max-loops", "200"])
    killer.join()

    assert result.exit_code == 0
    assert "Stopped after" in result.output
    assert int(result.output.split("Stopped after ")[1].split()[0]) < 200
    assert signal.getsignal(signal.SIGTERM) is original


def test_the_worker_stops_cleanly_on_ctrl_c(runner, monkeypatch):
    def interrupted(**_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(feedback360.mail.sender, "send_due", interrupted)

    result = runner.invoke(args=["mail", "worker", "--interval", "0"])

    assert result.exit_code == 0
    assert result.output.endswith("Interrupted.\n")


def test_the_worker_survives_the_database_being_unavailable(runner, monkeypatch):
    answers = iter([OperationalError("SELECT", {}, Exception("database is locked"))])

    def flaky(**_kwargs):
        answer = next(answers, None)
        if answer is not None:
            raise answer
        return SendResult(sent=1)

    monkeypatch.setattr(feedback360.mail.sender, "send_due", flaky)

    result = runner.invoke(args=["mail", "worker", "--interval", "0", "--max-loops", "2"])

    assert result.exit_code == 0
    assert "Sent 1, will retry 0, failed 0." in result.output
    assert result.output.endswith("Stopped after 2 passes.\n")
