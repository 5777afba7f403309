"""SECURITY.md line 17, with real processes: gunicorn workers killed with SIGKILL mid-submit.

The app runs under gunicorn (two workers, as deployed) on a fresh SQLite file migrated with
`flask db upgrade`. Client threads send colleagues' answers through the real submit; meanwhile
a gunicorn worker is killed at random moments, many times. Afterwards every answer set is whole
(one answer per item of its round's instrument) or absent, every used invitation has exactly
one answer set, and every unused one still has its saved draft, so the colleague can send again.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from builders import make_round, make_user
from sqlalchemy import func, select

from feedback360 import create_app
from feedback360.extensions import db
from feedback360.instruments.snapshots import instrument_from_dict
from feedback360.surveys.models import (
    Answer,
    AnswerSet,
    Comment,
    Invitation,
    InvitationStatus,
    RaterDraft,
    Relationship,
    Round,
)
from feedback360.web.links import new_token

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
INVITATIONS = 1500
KILLS = 15
CLIENTS = 6
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

pytestmark = pytest.mark.slow


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the database, prepared as an operator would, then seeded ------------------------------


def environment(database_url: str, base_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FEEDBACK360_", "MAIL_"))}
    env.update(
        FEEDBACK360_ENV="testing",
        SECRET_KEY="fault-injection-secret-key",
        DATABASE_URL=database_url,
        BASE_URL=base_url,
        TOKEN_ATTEMPTS_PER_ADDRESS="100000",
    )
    return env


def migrate(env: dict[str, str]) -> None:
    subprocess.run(  # noqa: S603 (our own executable, fixed arguments)
        [str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


def seed(app) -> list[str]:
    """One open round and its invitations, each with a complete saved draft; returns tokens."""
    round_ = make_round(app, make_user(app))
    tokens = []
    with app.app_context():
        instrument = instrument_from_dict(db.session.get(Round, round_.id).instrument_snapshot)
        scores = {item.key: (n % 5) + 1 for n, item in enumerate(instrument.items)}
        scores[instrument.items[0].key] = None  # "not observed" is an answer too
        comments = {c.key: f"About {c.name}" for c in instrument.capabilities}
        for number in range(INVITATIONS):
            token, token_hash = new_token()
            invitation = Invitation(
                round_id=round_.id,
                email=f"colleague{number}@example.org",
                relationship=Relationship.PEER,
                token_hash=token_hash,
            )
            db.session.add(invitation)
            db.session.flush()
            draft = {"scores": scores, "comments": comments}
            db.session.add(RaterDraft(invitation_id=invitation.id, data=draft))
            tokens.append(token)
        db.session.commit()
    return tokens


# --- gunicorn and its workers ---------------------------------------------------------------


def start_gunicorn(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    command = [str(BIN / "gunicorn"), "-w", "2", "--no-control-socket", "--timeout", "30"]
    command += ["--graceful-timeout", "1", "-b", f"127.0.0.1:{port}", "wsgi:app"]
    with log.open("wb") as output:
        server = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=env, stdout=output, stderr=output, start_new_session=True
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            requests.get(f"http://127.0.0.1:{port}/", timeout=10)
            return server
        except requests.RequestException:  # not listening yet, or a worker still booting
            time.sleep(0.1)
    stop_gunicorn(server)
    raise AssertionError(f"gunicorn did not start:\n{log.read_text()}")


def workers_of(master: int) -> list[int]:
    """The master's child processes, oldest first, read from /proc (psutil is not a dependency)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        if int(fields[1]) == master:
            children.append((int(fields[19]), int(stat.parent.name)))  # start time, pid
    return [pid for _, pid in sorted(children)]


def stop_gunicorn(server: subprocess.Popen) -> None:
    """The whole process group, master and workers: nothing is left running."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            return
        try:
            server.wait(timeout=5)
            return
        except subprocess.TimeoutExpired:
            continue


# --- the load and the killing ---------------------------------------------------------------


@dataclass
class Load:
    url: str
    tokens: list[str]
    # Never sent: its review page gives each browser session a form token.
    spare: str
    stop: threading.Event = field(default_factory=threading.Event)
    outcomes: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_token(self) -> str | None:
        with self.lock:
            return self.tokens.pop() if self.tokens and not self.stop.is_set() else None

    def record(self, token: str, outcome: str) -> None:
        with self.lock:
            self.outcomes[token] = outcome

    def answered(self) -> int:
        with self.lock:
            return len(self.outcomes)


def submit(session: requests.Session, url: str, token: str, csrf: str) -> str:
    """One colleague's Send: "stored", "already used", or "interrupted" if the worker died."""
    try:
        response = session.post(
            f"{url}/r/{token}/submit", data={"csrf_token": csrf}, allow_redirects=False, timeout=30
        )
    except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
        # Refused, reset, or cut off partway through the answer: the worker died under it.
        return "interrupted"
    except requests.Timeout:
        return "timed out"  # counted, not raised: a raise would end this client's thread
    if response.status_code == 302 and response.headers["Location"].endswith("/thanks"):
        return "stored"
    if response.status_code == 410:
        return "already used"
    return f"HTTP {response.status_code}"


def form_token(session: requests.Session, load: Load) -> str:
    """A form token from one page serves every submit in this browser session.

    The killing may start before every page has come back: as a browser would, ask again.
    """
    for _ in range(50):
        try:
            page = session.get(f"{load.url}/r/{load.spare}/review", timeout=30).text
        except requests.RequestException:  # the worker serving it was killed
            time.sleep(0.1)
            continue
        return CSRF.search(page).group(1)
    raise AssertionError("the review page never came back")


def client(load: Load) -> None:
    session = requests.Session()
    csrf = form_token(session, load)
    while (token := load.next_token()) is not None:
        load.record(token, submit(session, load.url, token, csrf))


def killer(master: int, load: Load, rng: random.Random) -> list[int]:
    """Kill a worker, KILLS times, at random moments while submits are in flight.

    A worker just started may still be importing the app (for seconds on a busy machine), and
    killing it would interrupt nothing: so each kill waits until submits are answered again,
    and takes the oldest worker, the one that was answering them.
    """
    killed = []
    while len(killed) < KILLS and not load.stop.is_set():
        wait_for_answers(load, CLIENTS)
        time.sleep(rng.uniform(0.5, 1.5))
        workers = [pid for pid in workers_of(master) if pid not in killed]
        if workers:
            victim = workers[0]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)
    return killed


def wait_for_answers(load: Load, count: int, timeout: float = 30) -> None:
    """Until `count` more submits are answered, or none are left to send."""
    target = load.answered() + count
    deadline = time.monotonic() + timeout
    while load.answered() < target and load.tokens and time.monotonic() < deadline:
        time.sleep(0.05)


# --- the checks -----------------------------------------------------------------------------


def database_state(app) -> dict[str, object]:
    with app.app_context():
        round_ = db.session.scalars(select(Round)).one()
        items = len(instrument_from_dict(round_.instrument_snapshot).items)
        answers_per_set = db.session.execute(
            select(AnswerSet.id, func.count(Answer.item_key))
            .outerjoin(Answer, Answer.answer_set_id == AnswerSet.id)
            .group_by(AnswerSet.id)
        ).all()
        comments_per_set = Counter(db.session.scalars(select(Comment.answer_set_id)))
        submitted = set(
            db.session.scalars(
                select(Invitation.id).where(Invitation.status == InvitationStatus.SUBMITTED)
            )
        )
        drafts = set(db.session.scalars(select(RaterDraft.invitation_id)))
        every_invitation = set(db.session.scalars(select(Invitation.id)))
    return {
        "items": items,
        "answers_per_set": [count for _, count in answers_per_set],
        "comments_per_set": [comments_per_set[set_id] for set_id, _ in answers_per_set],
        "submitted": submitted,
        "drafts": drafts,
        "pending": every_invitation - submitted,
    }


def test_killing_gunicorn_workers_mid_submit_leaves_whole_answer_sets_or_none(tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    database_url = f"sqlite:///{tmp_path / 'fault.db'}"
    env = environment(database_url, url)
    migrate(env)
    app = create_app({"FEEDBACK360_ENV": "testing", "DATABASE_URL": database_url})
    tokens = seed(app)
    load = Load(url, tokens[1:], tokens[0])
    server = start_gunicorn(env, port, tmp_path / "gunicorn.log")
    try:
        threads = [threading.Thread(target=client, args=(load,)) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        killed = killer(server.pid, load, random.Random())
        load.stop.set()
        for thread in threads:
            thread.join(timeout=60)
        stuck = sum(thread.is_alive() for thread in threads)
        # Interrupted colleagues send again once the workers are back: nothing is stuck.
        retried = retry_interrupted(load)
        log = (tmp_path / "gunicorn.log").read_text()
    finally:
        stop_gunicorn(server)

    outcomes = Counter(load.outcomes.values())
    # Every assertion says what happened: a failure in CI is read from its message alone.
    seen = f"kills {len(killed)}, sends {dict(outcomes)}, retries {dict(retried)}"
    seen += f", clients still sending {stuck}"
    assert len(killed) == KILLS and server.poll() is not None and not stuck, seen
    assert set(outcomes) <= {"stored", "interrupted"}, f"{seen}\n{log[-3000:]}"
    assert outcomes["interrupted"] >= 1, seen  # some kills really landed on a submit in flight
    assert log.count("exited with code") + log.count("was sent SIGKILL") >= 1, seen

    state = database_state(app)
    with app.app_context():
        db.engine.dispose()
    seen += f"\nsubmitted {len(state['submitted'])}, pending {len(state['pending'])}"
    # Whole or absent: every stored answer set has one answer per item, and all its comments.
    assert set(state["answers_per_set"]) == {state["items"]}, seen
    assert set(state["comments_per_set"]) == {6}, seen
    # Used state agrees: one answer set per used invitation, never two, never none.
    assert len(state["answers_per_set"]) == len(state["submitted"]), seen
    # A used invitation's draft went with the submit; an unused one kept its draft.
    assert state["drafts"] == state["pending"], seen
    # Every colleague who pressed Send is stored exactly once, after a retry if interrupted;
    # those who never did (the rest, and the spare) are untouched.
    assert set(retried) <= {"stored", "already used"}, seen
    assert len(state["submitted"]) == len(load.outcomes), seen
    assert len(state["pending"]) == INVITATIONS - len(load.outcomes), seen


def retry_interrupted(load: Load) -> Counter[str]:
    """Each interrupted colleague presses Send again: stored now, or told it already was."""
    session = requests.Session()
    csrf = form_token(session, load)
    interrupted = [t for t, outcome in load.outcomes.items() if outcome == "interrupted"]
    return Counter(submit(session, load.url, t, csrf) for t in interrupted)
