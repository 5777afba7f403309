"""A colleague's comment pasted into the evidence is pointed out before download."""

from __future__ import annotations

import pytest
from builders import login_as, make_user
from builders_report import make_closed_round
from evidence_steps import STATEMENT, save_reflection

from feedback360.evidence.quotes import quoted_passages

COMMENT = "Always makes time to listen when the rota falls apart."


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (f"They said: {COMMENT}", ("Always makes time to listen when the rota falls apart",)),
        ("My team says I always makes time to listen.", ()),  # five in a row: a phrase
        ("When the rota falls apart I stay calm.", ()),
        ("I make time to listen, even when the rota is short.", ()),
        (
            "I ALWAYS make time to listen when the rota falls apart.",
            ("time to listen when the rota falls apart",),
        ),
        (
            "Quoted: makes time to listen when the rota falls.",
            ("makes time to listen when the rota falls",),
        ),
    ],
)
def test_six_words_in_a_row_from_a_comment_count_as_quoting_it(text, found):
    assert quoted_passages(text, (COMMENT,)) == found


def test_a_short_comment_counts_only_when_all_of_it_is_repeated():
    assert quoted_passages("People say I am calm in a crisis.", ("Calm in a crisis",)) == (
        "calm in a crisis",
    )
    assert quoted_passages("I am kind.", ("Kind.",)) == ()  # too short to tell a quotation


@pytest.fixture
def worker(app, client):
    user = make_user(app, name="Morag Campbell")
    login_as(client, user)
    return user


def test_the_page_points_out_a_comment_from_the_report(app, client, worker):
    round_id = make_closed_round(app, worker, comment=COMMENT)
    save_reflection(app, round_id, statement=f"{STATEMENT} A colleague wrote: {COMMENT}")
    page = client.get(f"/reports/{round_id}/evidence").get_data(as_text=True)
    assert "Words from your colleagues' comments" in page
    assert "&ldquo;Always makes time to listen when the rota falls apart&rdquo;" in page
    assert "Before you download: 1 thing to look at" in page


def test_own_words_alone_are_not_pointed_out(app, client, worker):
    round_id = make_closed_round(app, worker, comment=COMMENT)
    save_reflection(app, round_id)
    page = client.get(f"/reports/{round_id}/evidence").get_data(as_text=True)
    assert "Words from your colleagues" not in page and "Before you download" not in page
