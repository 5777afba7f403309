"""Freezing at close, the one select, and the report and demo commands."""

from __future__ import annotations

import io

import pypdf
import pytest
from builders import make_round, make_user
from builders_report import add_answer_set, make_closed_round
from sqlalchemy import event, func, select

from feedback360.auth.models import User
from feedback360.extensions import db
from feedback360.reports.frames import answers_frame
from feedback360.reports.freeze import build_report, freeze_report, stored_report
from feedback360.reports.models import RoundReport
from feedback360.reports.report import to_dict
from feedback360.surveys.models import AnswerSet, Round


def test_the_kept_report_is_what_summarize_made_and_never_changes(app):
    user = make_user(app, name="Morag Campbell")
    round_id = make_closed_round(app, user)
    with app.app_context():
        round_ = db.session.get(Round, round_id)
        kept = stored_report(round_id)
        assert kept == build_report(round_)
        assert kept.worker_name == "Morag Campbell"
        assert kept.colleagues_answered == 8
    # Late rows (which the rounds code refuses anyway) and a second freeze change nothing.
    add_answer_set(app, round_id, "peer", {"vis_looks_for_better": 1})
    with app.app_context():
        before = db.session.get(RoundReport, round_id).data
        freeze_report(db.session.get(Round, round_id))
        db.session.commit()
        assert db.session.get(RoundReport, round_id).data == before
        assert to_dict(stored_report(round_id)) == before


def test_answers_come_from_one_select(app):
    user = make_user(app)
    round_ = make_round(app, user)
    add_answer_set(app, round_.id, "peer", {"vis_looks_for_better": 4, "vis_shares_purpose": None})
    add_answer_set(app, round_.id, "peer", {})
    statements = []
    with app.app_context():
        engine = db.engine

        def count(*args, **kwargs):
            statements.append(args[2])

        event.listen(engine, "before_cursor_execute", count)
        try:
            frame = answers_frame(round_.id)
        finally:
            event.remove(engine, "before_cursor_execute", count)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1
    assert len(frame) == 3  # two answers, and one row for the answer set with none
    assert str(frame["relationship"].dtype) == "category"
    assert frame["score"].isna().sum() == 2


def test_flask_report_pdf_writes_the_same_pdf_as_the_web(app, runner, tmp_path):
    round_id = make_closed_round(app, make_user(app, name="Morag Campbell"))
    target = tmp_path / "report.pdf"
    result = runner.invoke(args=["report", "pdf", str(round_id), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "KiB" in result.output
    with app.app_context():
        assert db.session.get(RoundReport, round_id).pdf == target.read_bytes()
    assert (
        "Morag Campbell" in pypdf.PdfReader(io.BytesIO(target.read_bytes())).pages[0].extract_text()
    )


def test_flask_report_pdf_refuses_a_round_without_a_report(app, runner, tmp_path):
    round_ = make_round(app, make_user(app))
    result = runner.invoke(args=["report", "pdf", str(round_.id), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1
    assert "still open" in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_flask_demo_creates_once_and_then_just_prints_the_login(app, runner, tmp_path):
    target = tmp_path / "demo.pdf"
    first = runner.invoke(args=["demo", "-o", str(target)])
    assert first.exit_code == 0, first.output
    assert "demo@example.org" in first.output and "password:" in first.output
    reader = pypdf.PdfReader(io.BytesIO(target.read_bytes()))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Jamie Robertson" in text and "Other colleagues combined" in text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AnswerSet)) == 9
        user = db.session.scalar(select(User).where(User.email == "demo@example.org"))
        assert user.confirmed_at is not None
    again = runner.invoke(args=["demo", "--quiet"])
    assert again.exit_code == 0
    assert "demo@example.org" in again.output and "Created" not in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
        assert db.session.scalar(select(func.count()).select_from(AnswerSet)) == 9


@pytest.fixture
def production_config(app_config):
    return {**app_config, "FEEDBACK360_ENV": "production", "MAIL_TRANSPORT": "smtp"}


def test_flask_demo_refuses_production(app, production_config):
    app.config.update(production_config)
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 1
    assert "not in production" in result.output


def test_flask_report_pdfs_writes_many_with_two_processes_and_names_each_failure(
    app, runner, tmp_path
):
    closed = [make_closed_round(app, make_user(app, name=f"Worker {n} Campbell")) for n in (1, 2)]
    still_open = make_round(app, make_user(app)).id
    wanted = [*closed, still_open]
    result = runner.invoke(
        args=["report", "pdfs", *map(str, wanted), "--folder", str(tmp_path), "--jobs", "2"]
    )
    assert result.exit_code == 1, result.output
    assert f"Round {still_open}: no report" in result.output
    assert "2 PDFs in" in result.output and "with 2 processes; 1 failed." in result.output
    assert not (tmp_path / f"round-{still_open}.pdf").exists()
    with app.app_context():
        for number, round_id in enumerate(closed, start=1):
            written = (tmp_path / f"round-{round_id}.pdf").read_bytes()
            assert db.session.get(RoundReport, round_id).pdf == written  # kept, as the web does
            text = pypdf.PdfReader(io.BytesIO(written)).pages[0].extract_text()
            assert f"Worker {number} Campbell" in text


def test_flask_report_pdfs_without_round_ids_writes_every_closed_round(app, runner, tmp_path):
    round_id = make_closed_round(app, make_user(app))
    make_round(app, make_user(app))  # open: not a report yet
    folder = tmp_path / "pdfs"
    result = runner.invoke(args=["report", "pdfs", "--folder", str(folder), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == [f"round-{round_id}.pdf"]
    assert "1 PDFs in" in result.output
