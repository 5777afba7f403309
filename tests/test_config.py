"""Settings: defaults, the environment, and refusing unsafe production starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedback360 import create_app
from feedback360.config import DEFAULT_SECRET_KEY, SETTINGS, read_settings, unsafe_for_production

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_is_documented():
    documented = (ROOT / "docs" / "configuration.md").read_text()
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in documented]
    assert missing == []


def test_environment_overrides_defaults_with_types():
    values = read_settings(
        {"MIN_RATERS_TO_CLOSE": "6", "DEBUG": "yes", "ALLOWED_EMAIL_DOMAINS": "A.org, b.org"}
    )
    assert values["MIN_RATERS_TO_CLOSE"] == 6
    assert values["DEBUG"] is True
    assert values["ALLOWED_EMAIL_DOMAINS"] == ("a.org", "b.org")
    assert read_settings({})["ROUND_DEADLINE_DAYS"] == 28


def test_production_with_default_secret_refuses_to_start(database_url):
    with pytest.raises(SystemExit) as refused:
        create_app(
            {
                "FEEDBACK360_ENV": "production",
                "SECRET_KEY": DEFAULT_SECRET_KEY,
                "DATABASE_URL": database_url,
                "MAIL_TRANSPORT": "smtp",
            }
        )
    assert "SECRET_KEY" in str(refused.value)
    assert "\n" not in str(refused.value)


def test_production_with_debug_refuses_to_start(database_url):
    with pytest.raises(SystemExit) as refused:
        create_app(
            {
                "FEEDBACK360_ENV": "production",
                "SECRET_KEY": "a-real-secret-" * 4,
                "DEBUG": True,
                "DATABASE_URL": database_url,
                "MAIL_TRANSPORT": "smtp",
            }
        )
    assert "DEBUG" in str(refused.value)


def test_production_with_safe_settings_starts(database_url):
    app = create_app(
        {
            "FEEDBACK360_ENV": "production",
            "SECRET_KEY": "a-real-secret-" * 4,
            "DATABASE_URL": database_url,
            "MAIL_TRANSPORT": "smtp",
        }
    )
    assert app.config["FEEDBACK360_ENV"] == "production"
    assert "outbox" not in app.blueprints


def test_development_keeps_mail_in_the_outbox(database_url, monkeypatch):
    monkeypatch.delenv("MAIL_TRANSPORT", raising=False)
    app = create_app({"FEEDBACK360_ENV": "development", "DATABASE_URL": database_url})
    assert app.config["MAIL_TRANSPORT"] == "outbox"
    assert unsafe_for_production(app.config) == []


@pytest.mark.parametrize(
    ("name", "raw", "kind"),
    [("MAIL_PORT", "abc", "a whole number"), ("MAIL_TIMEOUT_SECONDS", "soon", "a number")],
)
def test_a_setting_that_cannot_be_read_stops_start_up_with_one_line(name, raw, kind):
    with pytest.raises(SystemExit) as stopped:
        read_settings({name: raw})
    assert str(stopped.value) == f"feedback360 cannot start: {name} must be {kind}, not {raw!r}."
