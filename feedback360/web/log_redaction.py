"""Secret links never reach a request log: their tokens are rewritten as [redacted]."""

from __future__ import annotations

import logging
import re

# Colleague links, manager share links, programme join links, and the account links (which
# carry a signed payload).
TOKEN_IN_PATH = re.compile(
    # Signed account tokens contain dots, so a share link's ".pdf" is kept by lookahead instead.
    r"(/r/|/reports/shared/|/account/confirm/|/account/reset-password/|/programme/join/)"
    r"[^/\s?#\"']+?(?=\.pdf\b|[/\s?#\"']|$)"
)
REDACTED_LOGGERS = ("werkzeug", "gunicorn.access")


class RedactTokens(logging.Filter):
    """Rewrites the token part of secret-link paths in request log lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = TOKEN_IN_PATH.sub(r"\1[redacted]", message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def install_token_redaction() -> None:
    """Add the filter to the request loggers (Werkzeug's and gunicorn's), once."""
    for name in REDACTED_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
