"""PDFs made in the background: asked for at close, made by a worker, read back on download.

A download before the worker is done gets a page that refreshes itself; after, the kept file.
Workers side by side never make one round's PDFs twice (the same tests run on PostgreSQL when
TEST_DATABASE_URL is set; one more is PostgreSQL's own: a locked row is skipped, not waited on).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time

import pytest
from builders import login_as, make_round, make_user
from builders_report import make_closed_round
from needs import require
from sqlalchemy import select, text, update

from feedback360.columns import utcnow
from feedback360.extensions import db
from feedback360.reports import documents, pdf_jobs, rendering
from feedback360.reports.models import PdfJob, RoundReport

WAITING = "The PDF is nearly ready"


@pytest.fixture
def app_config(app_config: dict) -> dict:
    """As deployed: a worker is expected, so a download waits for it a while."""
    return {**app_config, "PDF_RENDER_WAIT_SECONDS": 60.0}


@pytest.fixture
def renders(monkeypatch) -> list[int]:
    """Every PDF rendered, by round; the PDF is a stand-in, so hundreds cost nothing."""
    made: list[int] = []
    lock = threading.Lock()

    def fake_render(report, reflection) -> bytes:
        time.sleep(0.02)  # long enough for another worker to try the same row meanwhile
        with lock:
            made.append(report.worker_name)
        return b"%PDF-1.7 " + report.worker_name.encode()

    monkeypatch.setattr(documents, "render_report_pdf", fake_render)
    return made


def jobs(app) -> dict[int, PdfJob]:
    with app.app_context():
        found = {job.round_id: job for job in db.session.scalars(select(PdfJob))}
        db.session.expunge_all()
        return found


def worker_pass(app) -> int:
    with app.app_context():
        return rendering.render_due()


def test_closing_asks_for_the_pdf_and_a_worker_pass_keeps_it(app, renders):
    round_id = make_closed_round(app, make_user(app, name="Morag Campbell"))
    assert list(jobs(app)) == [round_id]
    assert worker_pass(app) == 1
    assert renders == ["Morag Campbell"] and jobs(app) == {}
    with app.app_context():
        assert db.session.get(RoundReport, round_id).pdf == b"%PDF-1.7 Morag Campbell"
    assert worker_pass(app) == 0  # nothing left to do


def test_a_download_before_the_worker_gets_a_page_that_refreshes_itself(app, client, renders):
    user = make_user(app)
    round_id = make_closed_round(app, user)
    login_as(client, user)

    response = client.get(f"/reports/{round_id}.pdf")

    assert response.status_code == 202 and response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Retry-After"] == "5"
    page = " ".join(response.get_data(as_text=True).split())
    assert WAITING in page and "downloads by itself as soon as it is ready" in page
    assert re.search(r'<meta http-equiv="refresh" content="5">', page)
    assert f'href="/reports/{round_id}.pdf?auto=no"' in page  # the refresh can be turned off
    assert f'href="/reports/{round_id}"' in page
    assert renders == []  # the request made nothing: it did not wait

    stopped = client.get(f"/reports/{round_id}.pdf?auto=no").get_data(as_text=True)
    assert WAITING in stopped and "http-equiv" not in stopped


def test_after_the_worker_the_first_download_is_the_kept_file(app, client, renders):
    user = make_user(app, name="Morag Campbell")
    round_id = make_closed_round(app, user)
    worker_pass(app)
    login_as(client, user)
    response = client.get(f"/reports/{round_id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data == b"%PDF-1.7 Morag Campbell"
    assert renders == ["Morag Campbell"]  # the worker's render, none in the request


def test_a_shared_link_waits_the_same_way_and_leads_back_to_the_shared_report(
    app, client, renders
):
    from feedback360.reports import sharing
    from feedback360.surveys.models import Round

    round_id = make_closed_round(app, make_user(app))
    with app.app_context():
        _, token = sharing.create_share_link(db.session.get(Round, round_id))
        db.session.commit()
    response = client.get(f"/reports/shared/{token}.pdf")
    assert response.status_code == 202
    assert f'href="/reports/shared/{token}"' in response.get_data(as_text=True)
    worker_pass(app)
    assert client.get(f"/reports/shared/{token}.pdf").mimetype == "application/pdf"


def test_a_saved_reflection_asks_for_its_pdf_and_the_worker_makes_only_that(
    app, client, renders
):
    from test_report_views import csrf_from, reflection_form

    user = make_user(app, name="Morag Campbell")
    round_id = make_closed_round(app, user)
    worker_pass(app)
    login_as(client, user)
    token = csrf_from(client.get(f"/reports/{round_id}/reflection").get_data(as_text=True))
    form = reflection_form(token, statement="Listening first", include_in_pdf="y")
    assert client.post(f"/reports/{round_id}/reflection", data=form).status_code == 302
    assert list(jobs(app)) == [round_id]
    assert client.get(f"/reports/{round_id}.pdf").status_code == 202
    worker_pass(app)
    assert renders == ["Morag Campbell", "Morag Campbell"]  # at close, then with the reflection
    with app.app_context():
        kept = db.session.get(RoundReport, round_id)
        assert kept.reflection_pdf is not None and kept.reflection_pdf_of is not None
    assert client.get(f"/reports/{round_id}.pdf").status_code == 200


def test_with_no_worker_running_a_download_makes_the_pdf_itself(app, client, renders):
    """Nobody took the job within PDF_RENDER_WAIT_SECONDS: no worker runs, so no one will."""
    user = make_user(app, name="Morag Campbell")
    round_id = make_closed_round(app, user)
    login_as(client, user)
    assert client.get(f"/reports/{round_id}.pdf").status_code == 202
    with app.app_context():
        long_ago = utcnow() - dt.timedelta(seconds=61)
        db.session.execute(update(PdfJob).values(requested_at=long_ago))
        db.session.commit()
    response = client.get(f"/reports/{round_id}.pdf")
    assert response.status_code == 200 and response.data == b"%PDF-1.7 Morag Campbell"
    assert jobs(app) == {}


def test_a_download_never_makes_a_pdf_a_worker_is_making(app, client, renders):
    user = make_user(app)
    round_id = make_closed_round(app, user)
    with app.app_context():
        held = pdf_jobs.claim_next()
        long_ago = utcnow() - dt.timedelta(seconds=61)
        db.session.execute(update(PdfJob).values(requested_at=long_ago))
        db.session.commit()
    assert held is not None
    login_as(client, user)
    assert client.get(f"/reports/{round_id}.pdf").status_code == 202
    assert renders == []


def test_two_workers_side_by_side_make_each_rounds_pdf_exactly_once(app, renders):
    names = [f"Worker {n}" for n in range(12)]
    first = make_closed_round(app, make_user(app, name=names[0]))
    for name in names[1:]:
        closed_copy(app, first, name)
    start = threading.Barrier(3)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            while worker_pass(app):
                pass
        except BaseException as error:  # surfaced below; a thread cannot fail the test itself
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(renders) == sorted(names)
    assert jobs(app) == {}


def closed_copy(app, round_id: int, name: str) -> int:
    """Another worker's closed round with the same report, asked for as the close would."""
    other = make_round(app, make_user(app, name=name))
    with app.app_context():
        data = dict(db.session.get(RoundReport, round_id).data, worker_name=name)
        db.session.add(RoundReport(round_id=other.id, data=data))
        db.session.flush()
        pdf_jobs.request_pdfs(other.id)
        db.session.commit()
    return other.id


def test_asking_again_while_a_worker_renders_leaves_the_job_for_another_pass(app, renders):
    round_id = make_closed_round(app, make_user(app))
    with app.app_context():
        claim = pdf_jobs.claim_next()
        pdf_jobs.request_pdfs(round_id)  # a reflection saved meanwhile
        db.session.commit()
        pdf_jobs.finish(claim)
    job = jobs(app)[round_id]
    assert (job.claimed_by, job.requests) == (None, 2)
    assert worker_pass(app) == 1 and jobs(app) == {}


def test_a_job_left_by_a_worker_that_died_is_taken_over_after_the_lease(app, renders):
    round_id = make_closed_round(app, make_user(app))
    started = utcnow()
    with app.app_context():
        dead = pdf_jobs.claim_next(started)
        assert pdf_jobs.claim_next(started + pdf_jobs.LEASE) is None
        later = pdf_jobs.claim_next(started + pdf_jobs.LEASE + dt.timedelta(seconds=1))
        assert later is not None and later.token != dead.token
        pdf_jobs.finish(dead)  # too late: the row is no longer the dead worker's
        assert jobs(app)[round_id].claimed_by == later.token
        pdf_jobs.finish(later)
    assert jobs(app) == {}


def test_a_failing_render_is_retried_later_then_left_to_the_download(app, client, monkeypatch):
    def broken(report, reflection) -> bytes:
        raise RuntimeError("fonts missing")

    monkeypatch.setattr(documents, "render_report_pdf", broken)
    user = make_user(app)
    round_id = make_closed_round(app, user)
    assert worker_pass(app) == 1
    job = jobs(app)[round_id]
    assert (job.attempts, job.claimed_by) == (1, None)
    assert job.last_error == "RuntimeError: fonts missing"
    assert job.due_at > utcnow()  # not again at once
    with app.app_context():
        db.session.execute(update(PdfJob).values(attempts=pdf_jobs.MAX_ATTEMPTS))
        db.session.commit()
        assert pdf_jobs.claim_next(utcnow() + dt.timedelta(days=1)) is None  # workers give up
    monkeypatch.setattr(documents, "render_report_pdf", lambda report, reflection: b"%PDF-1.7")
    login_as(client, user)
    assert client.get(f"/reports/{round_id}.pdf").data == b"%PDF-1.7"  # the download tries


def test_the_worker_commands_make_pdfs(app, runner, renders):
    make_closed_round(app, make_user(app, name="Morag Campbell"))
    result = runner.invoke(args=["report", "worker", "--max-loops", "1"])
    assert result.exit_code == 0, result.output
    assert "Made the PDFs of a closed round" in result.output
    make_closed_round(app, make_user(app, name="Sam Lee"))
    result = runner.invoke(args=["worker", "--max-loops", "1"])
    assert result.exit_code == 0, result.output
    assert renders == ["Morag Campbell", "Sam Lee"]


@pytest.mark.postgres
def test_postgres_workers_skip_a_job_another_holds_locked(app, renders):
    """FOR UPDATE SKIP LOCKED: a worker in the middle of claiming blocks no other worker."""
    require(db_dialect(app) == "postgresql", "a PostgreSQL database (TEST_DATABASE_URL)")
    first = make_closed_round(app, make_user(app, name="First"))
    second = closed_copy(app, first, "Second")
    with app.app_context():
        locked = db.engine.connect()
        transaction = locked.begin()
        locked.execute(
            text("SELECT round_id FROM pdf_job WHERE round_id = :r FOR UPDATE"), {"r": first}
        )
        try:
            started = time.monotonic()
            claim = pdf_jobs.claim_next()
            assert time.monotonic() - started < 2  # no wait on the locked row
            assert claim is not None and claim.round_id == second
        finally:
            transaction.rollback()
            locked.close()


def db_dialect(app) -> str:
    with app.app_context():
        return db.engine.dialect.name


def test_a_database_that_cannot_be_reached_never_stops_the_worker(app, monkeypatch, caplog):
    from sqlalchemy.exc import OperationalError

    round_id = make_closed_round(app, make_user(app))

    def unreachable(*args, **kwargs):
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    monkeypatch.setattr(documents, "make_pdfs", unreachable)
    assert worker_pass(app) == 0  # logged, not raised: the loop goes on
    assert "could not be read or updated" in caplog.text
    assert jobs(app)[round_id].attempts == 0  # not this round's fault: no attempt counted
    monkeypatch.setattr(pdf_jobs, "claim_next", unreachable)
    assert worker_pass(app) == 0
