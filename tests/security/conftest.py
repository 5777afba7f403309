"""Shared pieces for the SECURITY.md tests: other test folders' helpers, and a full second worker.

The helpers of tests/surveys, tests/reports and tests/mail are imported by name, as their own
tests do, so their folders go on sys.path here (pytest only adds a folder it collects from).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent.parent
for folder in ("surveys", "reports"):
    if str(TESTS / folder) not in sys.path:
        sys.path.insert(0, str(TESTS / folder))

from builders import make_invitation, make_round, make_user  # noqa: E402
from builders_report import make_closed_round  # noqa: E402

from feedback360.columns import utcnow  # noqa: E402
from feedback360.extensions import db  # noqa: E402
from feedback360.reports.models import Reflection, ShareLink  # noqa: E402
from feedback360.surveys.models import Relationship  # noqa: E402
from feedback360.web.links import new_token  # noqa: E402


@dataclass(frozen=True)
class Victim:
    """Bruce: a worker with one open and one closed round, and something in every table."""

    user_id: int
    open_round: int
    closed_round: int
    share_link: int
    share_token: str
    invitation_token: str
    secrets: tuple[str, ...]


@pytest.fixture
def victim(app) -> Victim:
    bruce = make_user(app, email="bruce.shaw@example.org", name="Bruce Shaw")
    open_round = make_round(app, bruce, "manager")
    _, invitation_token = make_invitation(
        app, open_round, Relationship.PEER, email="whistle@example.org", name="Wendy Whistle"
    )
    closed_round = make_closed_round(app, bruce, comment="Bruce's secret comment")
    token, token_hash = new_token()
    with app.app_context():
        link = ShareLink(
            round_id=closed_round, token_hash=token_hash, expires_at=utcnow().replace(year=2999)
        )
        db.session.add(link)
        db.session.add(Reflection(round_id=closed_round, statement="Bruce's private reflection"))
        db.session.commit()
        link_id = link.id
    return Victim(
        user_id=bruce.id,
        open_round=open_round.id,
        closed_round=closed_round,
        share_link=link_id,
        share_token=token,
        invitation_token=invitation_token,
        secrets=(
            "Bruce",
            "bruce.shaw@example.org",
            "whistle@example.org",
            "Wendy Whistle",
            "secret comment",
            "private reflection",
        ),
    )
