"""The downloaded evidence: the worker's own words only, in three files, one of them Open Badges."""

from __future__ import annotations

import json
import re

import pytest
from builders import login_as, make_user
from builders_report import make_closed_round
from evidence_steps import STATEMENT, STRENGTHS, save_reflection
from open_badges_shapes import OB2_EVIDENCE, OB3_EVIDENCE, OURS, problems

from feedback360.evidence.content import NAME, Evidence, Part
from feedback360.evidence.formats import as_markdown, as_open_badges, as_text
from feedback360.extensions import db
from feedback360.reports.models import RoundReport

COMMENT = "Always makes time to listen when the rota falls apart."
NAMING = "Fiona says the handovers run late on Thursdays."
KINDS = ("text", "markdown", "json")
FILES = {"text": "evidence.txt", "markdown": "evidence.md", "json": "evidence.json"}


@pytest.fixture
def worker(app, client):
    user = make_user(app, name="Morag Campbell")
    login_as(client, user)
    return user


@pytest.fixture
def round_id(app, worker):
    """Colleagues' comments, and two groups too small to show: their figures are held back."""
    sizes = {"line_manager": 1, "peer": 3, "direct_report": 2, "other": 1}
    found = make_closed_round(app, worker, colleagues=sizes, comment=COMMENT, name_comment=NAMING)
    with app.app_context():
        kept = json.dumps(db.session.get(RoundReport, found).data)
    assert COMMENT in kept and NAMING in kept  # the report shows them: the evidence must not
    return found


def download(client, round_id: int, kind: str) -> str:
    response = client.get(f"/reports/{round_id}/{FILES[kind]}")
    assert response.status_code == 200, kind
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_data(as_text=True)


def test_the_files_hold_the_worker_s_words_and_nothing_of_colleagues_or_figures(
    app, client, round_id
):
    save_reflection(app, round_id)
    for kind in KINDS:
        body = download(client, round_id, kind)
        words = json.loads(body)["narrative"] if kind == "json" else body
        assert STATEMENT in words and STRENGTHS in words, kind
        assert "Fiona" not in body and "rota" not in body and "handovers" not in body, kind
        # Not a single figure: past the title ("Thing 4 and Thing 11"), the only number is the
        # priority's own, in the worker's plan.
        assert re.findall(r"\d+(?:\.\d+)?", words.replace(NAME, "")) == ["1"], kind


def test_each_file_names_itself_and_keeps_the_plan_in_order(app, client, round_id):
    save_reflection(app, round_id)
    disposition = client.get(f"/reports/{round_id}/evidence.json").headers["Content-Disposition"]
    assert disposition == 'attachment; filename="evidence.json"'
    text = download(client, round_id, "text")
    assert text.index("My reflective statement") < text.index("My strengths")
    assert "Priority 1\nTalk about our aims\n\nHow I will do it: At every team meeting" in text
    assert "By when" not in text  # an empty detail is left out, not shown blank
    markdown = download(client, round_id, "markdown")
    assert markdown.startswith("# Thing 4 and Thing 11")
    assert "### Priority 1\n\nTalk about our aims\n\n**How I will do it:** At every" in markdown


def test_evidence_json_is_an_open_badges_3_and_2_evidence_object(app, client, round_id):
    evidence_id = save_reflection(app, round_id)
    evidence = json.loads(download(client, round_id, "json"))
    assert problems(evidence, OB3_EVIDENCE) == []
    assert problems(evidence, OB2_EVIDENCE) == []
    assert problems(evidence, OURS) == []
    assert evidence["id"] == f"urn:uuid:{evidence_id}"
    assert evidence["type"] == ["Evidence"] and evidence["genre"] == "Reflective statement"


def test_the_shapes_refuse_what_either_spec_would_refuse():
    """The shape check itself can fail: each of these breaks one rule of one spec."""
    good = as_open_badges(Evidence("urn:uuid:0" * 1, "A name", (Part("Heading", "Words"),)))
    assert problems({**good, "id": "not a uri"}, OB3_EVIDENCE)
    assert problems({**good, "type": "Evidence"}, OB3_EVIDENCE)  # 3.0 wants an array
    assert problems({**good, "type": "Evidence"}, OB2_EVIDENCE) == []  # 2.0 takes the string
    assert problems({**good, "type": ["Assertion"]}, OB2_EVIDENCE)
    assert problems({**good, "score": 4.2}, OB2_EVIDENCE)
    assert problems({**good, "narrative": 3}, OB3_EVIDENCE)
    assert problems({k: v for k, v in good.items() if k != "type"}, OB3_EVIDENCE)
    assert problems({**good, "id": "urn:uuid:x"}, OURS)


def test_the_evidence_id_stays_the_same_across_downloads_and_edits(app, client, round_id):
    save_reflection(app, round_id)
    first = json.loads(download(client, round_id, "json"))
    with app.app_context():
        from feedback360.reports.models import Reflection

        db.session.get(Reflection, round_id).statement = "Changed after the first download."
        db.session.commit()
    again = json.loads(download(client, round_id, "json"))
    assert again["id"] == first["id"] and again["narrative"] != first["narrative"]


def test_markdown_and_text_from_the_same_parts():
    evidence = Evidence(
        "urn:uuid:x",
        "Name",
        (Part("My strengths", "I listen.\n\nI stay calm."), Part("My development plan", "")),
    )
    assert (
        as_text(evidence)
        == "Name\n\nMy strengths\nI listen.\n\nI stay calm.\n\nMy development plan\n"
    )
    assert as_markdown(evidence) == (
        "# Name\n\n## My strengths\n\nI listen.\n\nI stay calm.\n\n## My development plan\n"
    )
