"""The rules over comments labelled by hand, and the check's own promises (order, no overlap)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from labelled import INVITED, PLAIN, PLAIN_HELD_OUT, TO_FLAG, TO_FLAG_HELD_OUT, WORKER

from feedback360.giveaways.check import _candidates, _resolve, find_giveaways, find_in_reflection
from feedback360.giveaways.marks import mark
from feedback360.giveaways.names import Context, name_words
from feedback360.giveaways.rules import REFLECTION_WORDING, RULES, Kind

ROUND = Context(known=name_words(INVITED), worker=name_words([WORKER]))
PACKAGE = Path(__file__).resolve().parents[2] / "feedback360" / "giveaways"


def found(text: str, context: Context = ROUND) -> list[tuple[str, str]]:
    """(rule, phrase) for each finding: what a failing assertion should show."""
    return [(f.rule, f.phrase(text)) for f in find_giveaways(text, context)]


def test_there_are_at_least_sixty_labelled_comments_of_both_kinds():
    assert len(ALL_TO_FLAG) + len(PLAIN) + len(PLAIN_HELD_OUT) >= 60
    assert len(ALL_TO_FLAG) >= 30 and len(PLAIN) >= 30 and len(PLAIN_HELD_OUT) >= 30


ALL_TO_FLAG = TO_FLAG + TO_FLAG_HELD_OUT


@pytest.mark.parametrize(("text", "kind", "phrase"), ALL_TO_FLAG, ids=[t[2] for t in ALL_TO_FLAG])
def test_each_comment_that_gives_its_writer_away_is_flagged_where_it_does(text, kind, phrase):
    start = text.index(phrase)
    end = start + len(phrase)
    findings = find_giveaways(text, ROUND)
    assert any(f.kind is kind and f.start < end and start < f.end for f in findings), found(text)


@pytest.mark.parametrize("plain", [PLAIN, PLAIN_HELD_OUT, PLAIN + PLAIN_HELD_OUT])
def test_at_most_one_in_twenty_plain_comments_is_flagged(plain):
    flagged = {text: found(text) for text in plain if find_giveaways(text, ROUND)}
    assert len(flagged) * 20 <= len(plain), flagged


def test_every_rule_in_the_table_is_shown_at_work_by_a_labelled_comment():
    used = {f.rule for text, _, _ in TO_FLAG for f in find_giveaways(text, ROUND)}
    assert {rule.name for rule in RULES} - used == set()


def test_each_finding_says_why_and_what_to_do_in_a_line():
    for rule in RULES:
        assert rule.reason.endswith(".") and rule.suggestion.endswith((".", "?")), rule.name
        assert "\n" not in rule.reason + rule.suggestion
    for reason, suggestion in REFLECTION_WORDING.values():
        assert reason.endswith(".") and suggestion.endswith((".", "?"))


def test_the_issue_s_own_example_names_a_day():
    text = "We covered the night shift last Tuesday."
    day = [f for f in find_giveaways(text) if f.phrase(text) == "last Tuesday"]
    assert day and day[0].reason == "This names a day."
    assert day[0].suggestion == "Could you describe what happened without when?"


@pytest.mark.parametrize(
    "text",
    [
        "She is there for us 24/7 and never complains.",  # round-the-clock care, not a date
        "This may help her to delegate more.",  # "may" as a verb
        "Will she take on the deputy role? I hope so.",  # "Will" starting a question
        "Grace under pressure is what she shows.",  # a word, not the colleague called Grace
        "Tea money is £1.50 a week and she never forgets it.",  # money, not a time
        "The only thing I would change is how often she takes a break.",
        "Morag Campbell leads well and Morag's team knows it.",  # the worker's own name
        "Over the past year she has grown in confidence.",
    ],
)
def test_these_look_like_give_aways_but_are_not(text):
    assert found(text) == []


def test_a_colleague_s_name_is_found_in_lower_case_only_when_it_is_not_an_everyday_word():
    context = Context(known=name_words(["Ailsa Will", "Jo Young"]), worker=frozenset())
    assert found("thanks ailsa", context) == [("given-name", "ailsa")]
    assert found("she will help and she is young at heart", context) == []
    assert found("Will she help? Thanks, Will.", context) == [("name", "Will")]


def test_without_names_given_only_capitals_and_known_first_names_count():
    assert found("Fiona helped me.", Context()) == [("name", "Fiona")]
    assert found("oksana helped me.", Context()) == []  # a limit, documented in docs/giveaways.md


def test_the_earliest_then_longest_phrase_wins_and_findings_never_overlap():
    text = "As your manager I saw it last Tuesday on the night shift at Rowan House."
    findings = find_giveaways(text)
    assert [f.phrase(text) for f in findings] == [
        "As your manager", "last Tuesday", "on the night shift", "at Rowan House",
    ]  # fmt: skip
    ends = [f.end for f in findings]
    assert all(end <= f.start for end, f in zip(ends, findings[1:], strict=False))


def test_the_reflection_check_leaves_the_worker_s_own_roles_and_dates_alone():
    text = "Support from my manager in supervision by the end of March, as Fiona suggested."
    findings = find_in_reflection(text, Context(worker=name_words([WORKER])))
    assert [(f.kind, f.phrase(text)) for f in findings] == [(Kind.NAME, "Fiona")]
    assert "name no one else" in findings[0].reason


def test_marks_cut_a_text_into_paragraphs_that_give_it_back_whole():
    text = "First line names Fiona.\n\nSecond line is plain.\nThird, last Tuesday."
    marked = mark("k", text, find_giveaways(text))
    lines = ["".join(piece.text for piece in paragraph) for paragraph in marked.paragraphs]
    assert lines == ["First line names Fiona.", "Second line is plain.", "Third, last Tuesday."]
    numbers = [p.number for paragraph in marked.paragraphs for p in paragraph if p.number]
    assert numbers == [1, 2] and [f.phrase for f in marked.findings] == ["Fiona", "last Tuesday"]


SCRAPS = st.sampled_from(list("aAfFiIoOnTt MmRr0123456789/.:@+-'’\n"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=SCRAPS, max_size=200))
def test_any_text_gives_ordered_findings_inside_it_and_marks_that_keep_every_line(text):
    findings = find_giveaways(text, ROUND)
    previous_end = 0
    for finding in findings:
        assert previous_end <= finding.start < finding.end <= len(text)
        previous_end = finding.end
    marked = mark("k", text, findings)
    lines = [line for line in text.splitlines() if line.strip()]
    assert ["".join(p.text for p in paragraph) for paragraph in marked.paragraphs] == lines


def every_rule_awake(text: str) -> list[tuple[str, str]]:
    findings = _resolve(_candidates(text, ROUND, RULES, use_cues=False))
    return [(f.rule, f.phrase(text)) for f in findings]


def test_cues_only_save_work_and_never_lose_a_finding():
    texts = [text for text, _, _ in ALL_TO_FLAG] + PLAIN + PLAIN_HELD_OUT
    for text in texts:
        assert found(text) == every_rule_awake(text), text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([t for t, _, _ in TO_FLAG] + PLAIN), min_size=1, max_size=4))
def test_cues_never_lose_a_finding_in_comments_put_together(parts):
    text = " ".join(parts)
    assert found(text) == every_rule_awake(text)


def test_the_check_cannot_store_or_log_anything():
    """The rules and the check import no database, no logging and no Flask: they can only read."""
    pure = ["check.py", "rules.py", "names.py", "marks.py", "words.py", "reflection.py"]
    banned = {"logging", "flask", "flask_login", "sqlalchemy", "feedback360.extensions"}
    for name in pure:
        tree = ast.parse((PACKAGE / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""] if node.level == 0 else [f".{node.module}"]
            else:
                continue
            assert not any(m.split(".")[0] in banned or m in banned for m in modules), name
            assert ".extensions" not in modules and "..extensions" not in modules, name
