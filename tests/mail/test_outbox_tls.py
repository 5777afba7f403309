"""STARTTLS checks the mail server's certificate: a server we cannot verify gets no mail."""

from __future__ import annotations

import shutil
import ssl
import subprocess

import pytest
from needs import require

from feedback360.columns import utcnow
from feedback360.mail.models import OutboxStatus
from feedback360.mail.sender import SendResult, send_due


@pytest.fixture
def self_signed_smtp(tmp_path, scripted_smtp):
    """The scripted server again, now offering STARTTLS with a certificate nobody signed."""
    require(shutil.which("openssl") is not None, "openssl is needed to make a test certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    scripted_smtp.stop()
    from aiosmtpd.controller import Controller

    controller = Controller(
        scripted_smtp.handler, hostname="127.0.0.1", port=scripted_smtp.port, tls_context=context
    )
    controller.start()
    yield scripted_smtp
    controller.stop()


@pytest.fixture
def app_config(app_config, scripted_smtp, smtp_settings):
    settings = smtp_settings(scripted_smtp.host, scripted_smtp.port, MAIL_USE_TLS=True)
    return {**app_config, **settings}


def test_a_certificate_that_cannot_be_verified_means_nothing_is_sent(
    app, self_signed_smtp, add_messages, outbox
):
    add_messages(2)

    with app.app_context():
        result = send_due(now=utcnow())

    assert result == SendResult(retried=1)
    assert self_signed_smtp.handler.rcpt_calls == {}
    rows = outbox()
    assert [r.status for r in rows] == [OutboxStatus.PENDING] * 2
    assert "CERTIFICATE_VERIFY_FAILED" in rows[0].last_error
