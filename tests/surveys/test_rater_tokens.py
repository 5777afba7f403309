"""Guessing invitation links: every guess refused, guessing slowed, tokens kept out of logs."""

from __future__ import annotations

import datetime as dt
import logging
import random
import secrets
import string
from collections import Counter
from urllib.parse import quote

import pytest
import requests
from builders import make_invitation, make_round, make_user
from freezegun import freeze_time
from sqlalchemy import func, select

from feedback360.auth.models import RateLimitHit
from feedback360.extensions import db
from feedback360.surveys import rater_links
from feedback360.web.log_redaction import RedactTokens

URLSAFE = string.ascii_letters + string.digits + "-_"
ODD = ["é", "ß", "😀", "\u200b", "Ω", "ı", " ", "%", ".", "~", "+", "=", "\x00"]


def mutations(token: str, rng: random.Random) -> list[str]:
    """Near misses of a real token: one character changed, cut, added, or made non-ASCII."""
    position = rng.randrange(len(token))
    changed = rng.choice([c for c in URLSAFE if c != token[position]])
    return [
        token[:position] + changed + token[position + 1 :],
        token[:position] + token[position + 1 :],
        token[:position] + rng.choice(URLSAFE) + token[position:],
        token[: rng.randrange(1, len(token))],
        token + "".join(rng.choices(URLSAFE, k=rng.randint(1, 60))),
        token.swapcase(),
        token[:position] + rng.choice(ODD) + token[position + 1 :],
        token[::-1],
    ]


def guesses(real: list[str], count: int, seed: int = 360) -> list[str]:
    """`count` different tokens, none of them real: near misses, random ones, and junk."""
    rng = random.Random(seed)
    made: dict[str, None] = {}  # a dict keeps the order, so a failure names the same guess
    while len(made) < count:
        kind = rng.randrange(10)
        if kind < 6:
            guess = rng.choice(mutations(rng.choice(real), rng))
        elif kind < 8:
            guess = secrets.token_urlsafe(rng.choice([16, 32, 48]))
        else:
            guess = "".join(rng.choices(URLSAFE + "".join(ODD), k=rng.randint(1, 200)))
        if guess not in real:
            made[guess] = None
    return list(made)


@pytest.fixture
def real_tokens(app) -> list[str]:
    round_ = make_round(app, make_user(app))
    return [make_invitation(app, round_)[1] for _ in range(5)]


def hits(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(RateLimitHit))


@pytest.mark.slow
def test_ten_thousand_random_and_mutated_tokens_are_all_refused_and_the_limiter_engages(
    app, real_tokens
):
    tried = guesses(real_tokens, 10_000)
    assert len(set(tried)) == 10_000 and not set(tried) & set(real_tokens)
    refused = 0
    with app.app_context():
        for number, guess in enumerate(tried):
            # Spread over 50 addresses with room to spare, so the limiter never steps in
            # here: this test is about the lookup refusing every guess by itself.
            with pytest.raises(rater_links.UnknownLink):
                rater_links.open_link(guess, f"198.51.100.{number % 50}", limit=1_000)
            refused += 1
            if number % 500 == 499:
                db.session.commit()  # as requests would: many short transactions, not one long one
        # The real links still open, from an address that has not been guessing.
        opened = [rater_links.open_link(token, "192.0.2.1", limit=30) for token in real_tokens]
        assert len({link.invitation_id for link in opened}) == len(real_tokens)
        # The same 10,000 from one address at the configured limit: the limiter engages, and
        # after it nothing is looked up at all (not even counted), so a guesser learns nothing.
        limit = app.config["TOKEN_ATTEMPTS_PER_ADDRESS"]
        outcomes: Counter[str] = Counter()
        for guess in tried:
            with pytest.raises(rater_links.LinkProblem) as problem:
                rater_links.open_link(guess, "203.0.113.9", limit=limit)
            outcomes[problem.value.kind] += 1
        db.session.commit()
    assert refused == 10_000
    assert outcomes == {"unknown": limit, "too_many": 10_000 - limit}
    assert hits(app) == 10_000 + limit


def test_a_few_hundred_guesses_over_http_all_get_the_unknown_link_page(app, client, real_tokens):
    app.config["TOKEN_ATTEMPTS_PER_ADDRESS"] = 1_000
    for guess in guesses(real_tokens, 300, seed=11):
        if not guess.strip("/ ") or "\x00" in guess:
            continue  # not a path a browser could send to a token
        response = client.get("/r/" + quote(guess, safe=""))
        assert response.status_code == 404, guess
        assert "We could not find this link" in response.get_data(as_text=True)


def test_the_limiter_engages_after_the_allowed_guesses_and_then_refuses_real_links_too(
    app, client, real_tokens
):
    limit = app.config["TOKEN_ATTEMPTS_PER_ADDRESS"]
    assert limit == 30
    with freeze_time(dt.datetime.now(dt.UTC).replace(tzinfo=None)) as frozen:
        for guess in guesses(real_tokens, limit, seed=7):
            assert client.get("/r/" + quote(guess, safe="")).status_code == 404
        response = client.get(f"/r/{secrets.token_urlsafe(32)}")
        assert response.status_code == 429
        assert "Please try again later" in response.get_data(as_text=True)
        # Once limited, even a real link is refused from that address, so a guesser
        # cannot tell a hit from a miss; someone else's address is unaffected.
        assert client.get(f"/r/{real_tokens[0]}").status_code == 429
        assert client.post(f"/r/{real_tokens[0]}/submit").status_code == 429
        other = {"REMOTE_ADDR": "192.0.2.44"}
        assert client.get(f"/r/{real_tokens[0]}", environ_base=other).status_code == 200
        assert hits(app) == limit  # limited requests are not counted again

        frozen.tick(dt.timedelta(minutes=16))
        assert client.get(f"/r/{real_tokens[0]}").status_code == 200


def test_opening_real_links_is_never_counted_as_guessing(app, client, real_tokens):
    for _ in range(40):
        assert client.get(f"/r/{real_tokens[0]}").status_code == 200
    assert hits(app) == 0


def test_request_logs_show_no_token(app, live_server, real_tokens, caplog, monkeypatch):
    # Alembic's fileConfig (the test database is migrated in this process) disables loggers
    # that already exist; a server process never runs it, so switch it back on here.
    monkeypatch.setattr(logging.getLogger("werkzeug"), "disabled", False)
    caplog.set_level(logging.INFO, logger="werkzeug")
    token = real_tokens[0]
    guess = secrets.token_urlsafe(32)
    assert requests.get(f"{live_server.url}/r/{token}", timeout=10).status_code == 200
    assert requests.get(f"{live_server.url}/r/{token}/page/1", timeout=10).status_code == 200
    assert requests.get(f"{live_server.url}/r/{guess}?x=1", timeout=10).status_code == 404
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert len(lines) == 3
    assert all("/r/[redacted]" in line for line in lines)
    assert token not in caplog.text and guess not in caplog.text


def test_redaction_also_covers_gunicorn_style_access_records(app):
    for name in ("werkzeug", "gunicorn.access"):
        assert any(isinstance(f, RedactTokens) for f in logging.getLogger(name).filters)
    record = logging.LogRecord(
        "gunicorn.access",
        logging.INFO,
        __file__,
        1,
        '%(h)s "%(r)s" %(s)s',
        ({"h": "10.0.0.1", "r": "POST /r/abcDEF123_-xyz/submit HTTP/1.1", "s": "302"},),
        None,
    )
    assert RedactTokens().filter(record)
    assert record.getMessage() == '10.0.0.1 "POST /r/[redacted]/submit HTTP/1.1" 302'


def test_share_link_tokens_are_redacted_too():
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '"GET /reports/shared/%s.pdf HTTP/1.1" 200',
        ("AbCdEf123_-xyz",),
        None,
    )
    assert RedactTokens().filter(record)
    assert "AbCdEf123" not in record.getMessage()
    assert "/reports/shared/[redacted].pdf" in record.getMessage()


def test_account_link_tokens_are_redacted():
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '"GET /account/confirm/%s HTTP/1.1" 200',
        ("eyJ1c2VyIjoxfQ.abc",),
        None,
    )
    assert RedactTokens().filter(record)
    assert record.getMessage() == '"GET /account/confirm/[redacted] HTTP/1.1" 200'
