"""SECURITY.md, "Mail" (lines 15 and 16), end to end: invitations typed on the real pages meet a
real SMTP server that fails on demand.

tests/mail proves each sender rule on its own (backoff, the 30-minute outage with 300 messages,
two senders, timeouts); this module proves the whole path a worker's invitation takes, for each
kind of fault: nothing lost, nothing sent twice, and no page slowed or broken while it lasts.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import threading
from pathlib import Path

import pytest
from builders import login_as, make_round, make_user
from sqlalchemy import select
from worker_steps import invite

from feedback360.columns import utcnow
from feedback360.extensions import db
from feedback360.mail.models import OutboxMessage, OutboxStatus
from feedback360.mail.sender import SendResult, send_due


def _mail_helpers():
    """tests/mail's scripted SMTP server and silent server, without its fixtures."""
    path = Path(__file__).resolve().parents[1] / "mail" / "conftest.py"
    spec = importlib.util.spec_from_file_location("mail_test_helpers", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


helpers = _mail_helpers()
COLLEAGUES = [f"colleague{n}@example.org" for n in range(3)]
FAULTS = ["connection refused", "421 on RCPT", "451 on DATA", "550 for one", "never answers"]


@pytest.fixture
def scripted():
    server = helpers.ScriptedSMTP(helpers._free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def silent():
    server = helpers.SilentServer()
    yield server
    server.close()


@pytest.fixture
def app_config(app_config, scripted):
    settings = helpers._smtp_settings(scripted.host, scripted.port, MAIL_TIMEOUT_SECONDS=5.0)
    return {**app_config, **settings}


def start_fault(app, fault: str, scripted, silent) -> None:
    handler = scripted.handler
    if fault == "connection refused":
        scripted.stop()
    elif fault == "421 on RCPT":
        for address in COLLEAGUES:
            handler.refuse(address, "421 4.3.2 Service shutting down")
    elif fault == "451 on DATA":
        handler.data_replies.extend(["451 4.3.0 Local error, try later"] * 3)
    elif fault == "550 for one":
        handler.always_refuse[COLLEAGUES[0]] = "550 5.1.1 No such mailbox here"
    elif fault == "never answers":
        point_mail_at(app, silent.port)


def end_fault(app, fault: str, scripted) -> None:
    if fault == "connection refused":
        scripted.start()
    point_mail_at(app, scripted.port)


def point_mail_at(app, port: int) -> None:
    """Move the sender to another port, as an operator changing MAIL_PORT and restarting would."""
    app.config["MAIL_PORT"] = port
    app.extensions["mail"].port = port  # Flask-Mail copied the setting when the app was made


def send_in_thread(app, now: dt.datetime) -> threading.Thread:
    def run() -> None:
        with app.app_context():
            send_due(now=now)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def send_until_quiet(app, start: dt.datetime) -> None:
    """The mail worker keeps passing; time moves on an hour a pass, past any backoff."""
    for hour in range(1, 30):
        with app.app_context():
            if send_due(now=start + dt.timedelta(hours=hour)) == SendResult():
                return
    raise AssertionError("the outbox never became quiet")


def statuses(app) -> dict[str, OutboxStatus]:
    with app.app_context():
        rows = db.session.execute(select(OutboxMessage.recipient, OutboxMessage.status)).all()
    return {recipient: status for recipient, status in rows}


@pytest.mark.timing
@pytest.mark.parametrize("fault", FAULTS)
def test_a_failing_mail_server_loses_nothing_sends_nothing_twice_and_slows_no_page(
    app, client, scripted, silent, fault
):
    worker = make_user(app, email="morag@example.org")
    round_ = make_round(app, worker)
    login_as(client, worker)
    start_fault(app, fault, scripted, silent)

    for address in COLLEAGUES:
        assert invite(client, round_.id, address).status_code == 302
    # Inviting only queues: no page opened a connection to the mail server.
    assert scripted.handler.received() == {} and silent.connections() == 0
    sender = send_in_thread(app, utcnow())
    for path in (f"/rounds/{round_.id}", f"/rounds/{round_.id}/invite", "/rounds/"):
        assert client.get(path).status_code == 200, path
    if fault == "never answers":
        # Each page was answered while the sender still waited on the silent server: no page
        # waits on mail, shown by order of events rather than by a clock.
        assert silent.connections() == 1 and sender.is_alive()
    sender.join(timeout=10)
    assert not sender.is_alive()
    assert scripted.handler.received() == (
        {a: 1 for a in COLLEAGUES[1:]} if fault == "550 for one" else {}
    )
    if fault == "550 for one":  # failed at once, on the first try
        assert statuses(app)[COLLEAGUES[0]] is OutboxStatus.FAILED

    end_fault(app, fault, scripted)
    send_until_quiet(app, utcnow())

    refused = {COLLEAGUES[0]} if fault == "550 for one" else set()
    assert scripted.handler.received() == {a: 1 for a in COLLEAGUES if a not in refused}
    expected = {a: OutboxStatus.FAILED if a in refused else OutboxStatus.SENT for a in COLLEAGUES}
    assert statuses(app) == expected
    page = client.get(f"/rounds/{round_.id}/invite").get_data(as_text=True)
    assert page.count("Could not be delivered") == len(refused)
    if refused:  # never tried again, and shown against that colleague
        assert scripted.handler.rcpt_calls[COLLEAGUES[0]] == 1
        row = page[page.index(COLLEAGUES[0]) :]
        assert row.index("Could not be delivered") < row.index(COLLEAGUES[1])


def test_a_name_with_a_bcc_header_is_refused_on_the_page_and_nothing_reaches_the_server(
    app, client, scripted
):
    """Line 15 through the real server: refused by validation, nothing queued or sent."""
    worker = make_user(app, email="morag@example.org")
    round_ = make_round(app, worker)
    login_as(client, worker)
    response = invite(
        client, round_.id, "alex@example.org", name="Alex\r\nBcc: everyone@evil.example"
    )
    assert response.status_code == 400
    assert "Names cannot contain line breaks" in response.get_data(as_text=True)
    send_until_quiet(app, utcnow())
    assert scripted.handler.received() == {} and statuses(app) == {}
