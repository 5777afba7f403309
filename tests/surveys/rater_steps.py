"""Steps a colleague takes through the rater pages, shared by the rater tests."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from flask import Flask
from sqlalchemy import MetaData, select

from feedback360.extensions import db
from feedback360.instruments.model import Instrument
from feedback360.instruments.snapshots import instrument_from_dict
from feedback360.surveys import rater_links
from feedback360.surveys.forms import NOT_OBSERVED, comment_field_name, field_name
from feedback360.surveys.models import Invitation, Round
from feedback360.surveys.rater_links import Link

CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def found(token: str) -> Link | None:
    """What a link leads to, looked up as every rater page does (the hit count is not wanted)."""
    return rater_links.hits_and_link("a test's bucket", token)[1]


def link_to(invitation_id: int) -> Link:
    """What the send reads for this invitation, as it stands now (tests hold ids, not tokens)."""
    invitation = db.session.get_one(Invitation, invitation_id)
    round_ = invitation.round
    return Link(
        invitation.id,
        round_.id,
        invitation.relationship,
        invitation.status,
        round_.status,
        round_.deadline_at,
        round_.instrument_snapshot,
    )


def instrument_for(app: Flask, round_: Round) -> Instrument:
    with app.app_context():
        return instrument_from_dict(db.session.get(Round, round_.id).instrument_snapshot)


def page_answers(instrument: Instrument, number: int) -> dict[str, str]:
    """A full page: the first statement "not observed", the rest scored 4, and a comment."""
    if number > len(instrument.capabilities):
        return {
            comment_field_name(q.key): f"Overall answer to {q.key}" for q in instrument.questions
        }
    capability = instrument.capabilities[number - 1]
    answers = {field_name(item.key): "4" for item in capability.items}
    answers[field_name(capability.items[0].key)] = NOT_OBSERVED
    answers[comment_field_name(capability.key)] = f"A comment on {capability.name}"
    return answers


def answer_page(client, token: str, instrument: Instrument, number: int, **extra: str):
    """Open a page, then post it full with any extra fields; returns the POST's response."""
    html = client.get(f"/r/{token}/page/{number}").get_data(as_text=True)
    form: dict[str, Any] = {"csrf_token": csrf_from(html), "action": "next"}
    form.update(page_answers(instrument, number))
    form.update(extra)
    return client.post(f"/r/{token}/page/{number}", data=form)


def answer_every_page(client, token: str, instrument: Instrument, **extra: str) -> None:
    for number in range(1, len(instrument.capabilities) + 2):
        response = answer_page(client, token, instrument, number, **extra)
        assert response.status_code == 302, response.get_data(as_text=True)


def submit(client, token: str, **extra: str):
    html = client.get(f"/r/{token}/review").get_data(as_text=True)
    return client.post(f"/r/{token}/submit", data={"csrf_token": csrf_from(html), **extra})


def every_row(app: Flask) -> dict[str, list[tuple]]:
    """Every row of every table, to prove that a request wrote nothing at all."""
    with app.app_context():
        metadata = MetaData()
        metadata.reflect(db.engine)
        return {
            name: sorted(map(tuple, db.session.execute(select(table)).all()), key=repr)
            for name, table in metadata.tables.items()
        }


class _FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.checked: dict[str, str] = {}
        self.texts: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("type") == "radio" and "checked" in found:
            self.checked[found["name"] or ""] = found["value"] or ""
        if tag == "textarea":
            self._textarea = found["name"]
            self.texts[self._textarea or ""] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self.texts[self._textarea] += data


def shown_answers(html: str) -> dict[str, str]:
    """The answers a page shows: checked radios and the text in each comment box."""
    reader = _FormReader()
    reader.feed(html)
    texts = {name: text.strip() for name, text in reader.texts.items() if text.strip()}
    return {**reader.checked, **texts}
