"""Every setting, its default and what it means, read from the environment in one place."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# Known to everyone, so production refuses to start with it (see unsafe_for_production).
DEFAULT_SECRET_KEY = "insecure-development-key-change-me"  # noqa: S105  # nosec B105


def _bool(text: str) -> bool:
    return text.strip().lower() in {"1", "true", "yes", "on"}


def _list(text: str) -> tuple[str, ...]:
    return tuple(part.strip().lower() for part in text.split(",") if part.strip())


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    parse: Callable[[str], Any]
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "FEEDBACK360_ENV",
        "production",
        str,
        "production, development or testing. Production refuses unsafe settings.",
    ),
    Setting(
        "SECRET_KEY",
        DEFAULT_SECRET_KEY,
        str,
        "Signs sessions and CSRF tokens. Must be set to a long random value in production.",
    ),
    Setting(
        "DATABASE_URL",
        "sqlite:///feedback360.db",
        str,
        "SQLAlchemy URL. A relative SQLite path lives in instance/. "
        "PostgreSQL: postgresql+psycopg://user:pass@host/db",
    ),
    Setting(
        "BASE_URL",
        "http://127.0.0.1:5000",
        str,
        "Public address used in every emailed link (never the request's Host header).",
    ),
    Setting("DEBUG", False, _bool, "Flask debug mode. Refused in production."),
    Setting(
        "MAIL_TRANSPORT",
        "smtp",
        str,
        "smtp sends real mail; outbox keeps mail in the development outbox page only.",
    ),
    Setting("MAIL_SERVER", "localhost", str, "SMTP host."),
    Setting("MAIL_PORT", 25, int, "SMTP port."),
    Setting("MAIL_USE_TLS", False, _bool, "Use STARTTLS."),
    Setting("MAIL_USE_SSL", False, _bool, "Use SMTP over TLS from the first byte."),
    Setting("MAIL_USERNAME", None, str, "SMTP login, if the server needs one."),
    Setting("MAIL_PASSWORD", None, str, "SMTP password, if the server needs one."),
    Setting(
        "MAIL_DEFAULT_SENDER",
        "feedback360 <no-reply@localhost>",
        str,
        "The From address of every email.",
    ),
    Setting(
        "MAIL_TIMEOUT_SECONDS",
        10.0,
        float,
        "How long one SMTP conversation may take before it is abandoned and retried.",
    ),
    Setting(
        "MAIL_MAX_ATTEMPTS",
        12,
        int,
        "Temporary failures are retried with backoff up to this many times, then marked failed.",
    ),
    Setting(
        "MAIL_RETRY_BASE_SECONDS",
        30.0,
        float,
        "First retry delay; each later retry waits twice as long (capped at one hour).",
    ),
    Setting(
        "MIN_RATERS_TO_CLOSE",
        4,
        int,
        "Colleague answers needed before a worker may close a round; below 3 counts as 3.",
    ),
    Setting(
        "ROUND_DEADLINE_DAYS",
        28,
        int,
        "A round closes by itself this many days after it starts; links expire with it.",
    ),
    Setting("REMINDER_INTERVAL_HOURS", 48, int, "Shortest gap between two reminders in a round."),
    Setting(
        "ALLOWED_EMAIL_DOMAINS",
        (),
        _list,
        "Comma-separated domains colleagues may be invited at. Empty allows any.",
    ),
    Setting("SESSION_IDLE_MINUTES", 60, int, "A session unused this long ends."),
    Setting("SESSION_MAX_HOURS", 12, int, "A session ends this long after login, used or not."),
    Setting("PASSWORD_RESET_MINUTES", 30, int, "A password reset link works this long, once."),
    Setting("CONFIRM_EMAIL_DAYS", 7, int, "An email confirmation link works this long."),
    Setting("LOGIN_ATTEMPTS_PER_ACCOUNT", 5, int, "Failed logins allowed per account per 15 min."),
    Setting(
        "LOGIN_ATTEMPTS_PER_ADDRESS", 20, int, "Failed logins allowed per IP address per 15 min."
    ),
    Setting(
        "TOKEN_ATTEMPTS_PER_ADDRESS",
        30,
        int,
        "Unknown invitation or share links allowed per IP address per 15 min.",
    ),
    Setting("SHARE_LINK_DAYS", 30, int, "How long a read-only report link for a manager works."),
    Setting(
        "RETENTION_MONTHS",
        24,
        int,
        "Raw answers of closed rounds are purged after this many months; the report stays.",
    ),
    Setting("INSTRUMENTS_DIR", "", str, "Folder of instrument YAML files. Empty: instruments/."),
    Setting("WTF_CSRF_TIME_LIMIT", 3600, int, "Seconds a form's CSRF token stays valid."),
    Setting("SQLITE_BUSY_TIMEOUT_MS", 5000, int, "How long SQLite waits for a lock."),
    Setting(
        "TRUST_PROXY_HEADERS",
        0,
        int,
        "Number of reverse proxies whose X-Forwarded-* headers are trusted (0 for none).",
    ),
)


def read_settings(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Each setting from the environment, or its default."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = environ.get(setting.name)
        values[setting.name] = setting.default if raw in (None, "") else _parse(setting, raw)
    return values


def _parse(setting: Setting, raw: str) -> Any:
    """A value that cannot be read stops start-up with one line naming the setting."""
    try:
        return setting.parse(raw)
    except ValueError:
        kind = {int: "a whole number", float: "a number"}.get(setting.parse, "valid")
        raise SystemExit(
            f"feedback360 cannot start: {setting.name} must be {kind}, not {raw!r}."
        ) from None


def environment_defaults(env: str) -> dict[str, Any]:
    """Defaults that differ outside production: development mail stays in the outbox."""
    if env in {"development", "testing"}:
        return {"MAIL_TRANSPORT": "outbox"}
    return {}


def unsafe_for_production(config: Mapping[str, Any]) -> list[str]:
    """Reasons this configuration must not serve real people."""
    if config.get("FEEDBACK360_ENV") != "production":
        return []
    reasons = []
    if config.get("SECRET_KEY") in (None, "", DEFAULT_SECRET_KEY):
        reasons.append("SECRET_KEY is the built-in development key; set a long random value.")
    if config.get("DEBUG"):
        reasons.append("DEBUG is on; debug pages would show code and data to anyone.")
    if config.get("MAIL_TRANSPORT") != "smtp":
        reasons.append("MAIL_TRANSPORT must be smtp; the outbox page is for development only.")
    return reasons
