"""Colleagues' pages offer no account; error lists name their statement; long text is kept whole."""

from __future__ import annotations

import html
import re

import pytest
from builders import login_as, make_invitation, make_round, make_user
from rater_steps import csrf_from, instrument_for
from worker_steps import invite

from feedback360.surveys.models import Relationship

ACCOUNT_LINKS = ("Log in", "Create an account", "Log out", "My feedback")


@pytest.fixture
def invited(app):
    round_ = make_round(app, make_user(app, name="Morag Campbell"))
    _, token = make_invitation(app, round_, Relationship.PEER, email="ali@example.org")
    return round_, token


def header_of(page: str) -> str:
    return page[page.index("<header") : page.index("</header>")]


def test_a_colleagues_pages_offer_no_account(client, invited):
    _, token = invited
    for path in (f"/r/{token}", f"/r/{token}/page/1", f"/r/{token}/decline", "/r/no-such-link-x"):
        header = header_of(client.get(path).get_data(as_text=True))
        for words in ACCOUNT_LINKS:
            assert words not in header, f"{path} offers {words!r}"
    home = header_of(client.get("/").get_data(as_text=True))
    assert "Log in" in home and "Create an account" in home  # everyone else still has them


def test_each_link_in_the_error_list_names_its_statement(app, client, invited):
    round_, token = invited
    statements = instrument_for(app, round_).capabilities[0].items
    page = client.get(f"/r/{token}/page/1").get_data(as_text=True)
    response = client.post(
        f"/r/{token}/page/1", data={"csrf_token": csrf_from(page), "action": "next"}
    )
    assert response.status_code == 400
    summary = html.unescape(response.get_data(as_text=True).split('class="error-summary"')[1])
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary.split("</div>")[0])
    assert len(links) == len(statements) >= 3
    assert len({text for _, text in links}) == len(links)  # no two alike
    for number, (item, (anchor, text)) in enumerate(zip(statements, links, strict=True), 1):
        assert anchor == f"item-{item.key}"
        assert text.startswith(f"Statement {number} (\u201c{item.colleague_text}\u201d): ")


def test_the_self_assessment_error_list_names_its_statements_too(app, client):
    user = make_user(app)
    round_ = make_round(app, user)
    login_as(client, user)
    path = f"/rounds/{round_.id}/self/2"
    page = client.get(path).get_data(as_text=True)
    response = client.post(path, data={"csrf_token": csrf_from(page), "action": "continue"})
    first = instrument_for(app, round_).capabilities[1].items[0]
    number = len(instrument_for(app, round_).capabilities[0].items) + 1
    assert f"Statement {number} (\u201c{first.self_text}\u201d)" in html.unescape(
        response.get_data(as_text=True)
    )


def test_a_pasted_300_character_name_is_kept_whole_with_a_clear_message(app, client):
    user = make_user(app, email="morag@example.org")
    round_ = make_round(app, user)
    login_as(client, user)
    page = client.get(f"/rounds/{round_.id}/invite").get_data(as_text=True)
    assert "maxlength" not in page  # a browser would cut a paste at the limit, silently
    name = "Alexandra " * 30
    response = invite(client, round_.id, "alex@example.org", name=name)
    shown = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "Please keep the name to 100 characters or fewer. This one has 299." in shown
    assert f'value="{name.strip()}"' in shown  # nothing lost


def test_no_form_tells_the_browser_to_cut_what_is_typed(app, client, invited):
    """Registration, the questionnaire's comment boxes, the reflection: no maxlength anywhere."""
    _, token = invited
    for path in ("/account/register", f"/r/{token}/page/1", f"/r/{token}/page/7"):
        page = client.get(path)
        assert page.status_code == 200 and "<textarea" in page.get_data(as_text=True) or (
            "register" in path
        )
        assert "maxlength" not in page.get_data(as_text=True), path
    response = client.post(
        "/account/register",
        data={
            "csrf_token": csrf_from(client.get("/account/register").get_data(as_text=True)),
            "name": "N" * 300,
            "email": "n@example.org",
            "password": "sunlit meadow lantern",
            "confirm": "sunlit meadow lantern",
        },
    )
    shown = response.get_data(as_text=True)
    assert "at most 100 characters. This one has 300." in shown and "N" * 300 in shown
