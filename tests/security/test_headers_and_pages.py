"""SECURITY.md, "Headers and pages" (lines 13 and 14).

Every GET page in the URL map is requested (as its owner, as a stranger, over HTTP and HTTPS),
so a page added later is checked without anyone listing it. The start-up refusals are checked
in real processes, as an operator would meet them.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from builders import login_as

from feedback360 import create_app
from feedback360.auth.models import User
from feedback360.config import DEFAULT_SECRET_KEY
from feedback360.extensions import db
from feedback360.mail.models import OutboxMessage

ROOT = Path(__file__).resolve().parents[2]
CSP_DIRECTIVES = (
    "default-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
)


def get_urls(app, victim, message_id: int) -> list[str]:
    """A real URL for every GET rule but the static files."""
    tokens = {"rater.": victim.invitation_token, "reports.shared": victim.share_token}
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
            continue
        round_id = victim.closed_round if rule.endpoint.startswith("reports.") else None
        token = next((t for prefix, t in tokens.items() if rule.endpoint.startswith(prefix)), None)
        values = {
            "round_id": round_id or victim.open_round,
            "page": 1,
            "number": 1,
            "token": token or "not-a-real-token",
            "message_id": message_id,
            # Programme pages answer "not found" to a worker outside them: headers all the same.
            "programme_id": 1,
            "member_id": 1,
        }
        unknown = set(rule.arguments) - set(values)
        assert not unknown, f"{rule.rule}: teach this walk about {unknown}"
        urls.append(rule.build({k: v for k, v in values.items() if k in rule.arguments})[1])
    return urls


@pytest.fixture
def pages(app, victim) -> list[str]:
    with app.app_context():
        message = OutboxMessage(recipient="bruce.shaw@example.org", subject="s", text_body="b")
        db.session.add(message)
        db.session.commit()
        message_id = message.id
    return [*get_urls(app, victim, message_id), "/no-such-page"]


def header_problems(response, *, https: bool) -> list[str]:
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    problems = [f"CSP lacks {d}" for d in CSP_DIRECTIVES if d not in csp]
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no nosniff")
    if headers.get("Referrer-Policy") != "same-origin":
        problems.append(f"Referrer-Policy {headers.get('Referrer-Policy')}")
    if headers.get("Cache-Control") != "no-store":
        problems.append(f"Cache-Control {headers.get('Cache-Control')}")
    hsts = headers.get("Strict-Transport-Security", "")
    if https and "max-age=" not in hsts:
        problems.append("no HSTS over HTTPS")
    if not https and hsts:
        problems.append("HSTS over plain HTTP")
    return problems


@pytest.mark.parametrize("who", ["owner", "logged out"])
@pytest.mark.parametrize("scheme", ["http", "https"])
def test_every_page_carries_the_security_headers(app, client, victim, pages, who, scheme):
    if who == "owner":
        with app.app_context():
            bruce = db.session.get(User, victim.user_id)
            db.session.expunge(bruce)
        login_as(client, bruce)
    problems, statuses = {}, set()
    for url in pages:
        response = client.get(url, base_url=f"{scheme}://feedback360.test")
        statuses.add(response.status_code)
        found = header_problems(response, https=scheme == "https")
        if found:
            problems[url] = found
    assert problems == {}
    assert len(pages) >= 25
    if who == "owner" and scheme == "http":
        assert 200 in statuses and 404 in statuses  # real pages and the error page alike


def test_the_pdfs_and_the_data_download_are_not_kept_by_browsers(app, client, victim):
    with app.app_context():
        bruce = db.session.get(User, victim.user_id)
        db.session.expunge(bruce)
    login_as(client, bruce)
    for url in (
        f"/reports/{victim.closed_round}.pdf",
        f"/reports/shared/{victim.share_token}.pdf",
        "/account/data/download",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
        assert response.headers["X-Content-Type-Options"] == "nosniff", url
        assert response.headers["Content-Disposition"].startswith("attachment;"), url


# --- line 14: production -------------------------------------------------------------------


def production_env(database_url: str, **changes: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FEEDBACK360_", "SECRET_KEY", "DEBUG", "MAIL_", "FLASK_"))
    }
    env.update(
        FEEDBACK360_ENV="production",
        SECRET_KEY="a-long-random-production-secret-" * 2,
        DATABASE_URL=database_url,
        BASE_URL="https://feedback.example.org",
    )
    env.update(changes)
    return env


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY is the built-in development key"),
        ({"SECRET_KEY": DEFAULT_SECRET_KEY}, "SECRET_KEY is the built-in development key"),
        ({"DEBUG": "1"}, "DEBUG is on"),
        ({"MAIL_TRANSPORT": "outbox"}, "MAIL_TRANSPORT must be smtp"),
    ],
)
def test_production_refuses_to_start_unsafe_in_a_real_process(database_url, changes, reason):
    flask = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", "routes"]
    result = subprocess.run(  # noqa: S603 (our own executable, fixed arguments)
        flask,
        cwd=ROOT,
        env=production_env(database_url, **changes),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert f"feedback360 will not start in production: {reason}" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_starts_with_safe_settings_in_a_real_process(database_url):
    flask = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", "routes"]
    result = subprocess.run(  # noqa: S603
        flask, cwd=ROOT, env=production_env(database_url), capture_output=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert b"outbox" not in result.stdout  # the development outbox page does not exist


def test_gunicorn_refuses_to_boot_with_the_default_secret(database_url):
    gunicorn = [str(ROOT / ".venv" / "bin" / "gunicorn"), "--no-control-socket"]
    gunicorn += ["--bind", "127.0.0.1:0", "wsgi:app"]
    result = subprocess.run(  # noqa: S603
        gunicorn,
        cwd=ROOT,
        env=production_env(database_url, SECRET_KEY=""),
        capture_output=True,
        text=True,
        timeout=30,
    )
    # It stops at once: a refusal with any other exit code makes gunicorn start worker after
    # worker for ever, and this test would time out.
    assert result.returncode == 3
    assert "feedback360 will not start in production: SECRET_KEY" in result.stderr
    assert "Worker failed to boot" in result.stderr


@pytest.fixture
def production_app(database_url):
    app = create_app(
        {
            "FEEDBACK360_ENV": "production",
            "SECRET_KEY": "a-long-random-production-secret-" * 2,
            "DATABASE_URL": database_url,
            "MAIL_TRANSPORT": "smtp",
        }
    )

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom: SELECT password_hash FROM user_account")

    yield app
    with app.app_context():
        db.engine.dispose()


def test_production_shows_no_traceback_or_debugger(production_app, caplog):
    assert production_app.debug is False and not production_app.testing
    response = production_app.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in body
    for leak in ("Traceback", "kaboom", "password_hash", "RuntimeError", "Werkzeug Debugger"):
        assert leak not in body
    assert response.headers["Content-Security-Policy"]
    assert "kaboom" in caplog.text  # the operator still gets the details, in the log
