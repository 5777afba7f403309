"""The processes a browser test talks to: the app under gunicorn, the worker, an SMTP inbox."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from feedback360.config import SETTINGS

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LINK = re.compile(r"https?://[^\s<>\"')]+")


def app_environment(database_url: str, base_url: str, smtp_port: int) -> dict[str, str]:
    """The settings the server and the worker run with; none leak in from the shell."""
    names = {setting.name for setting in SETTINGS}
    env = {key: value for key, value in os.environ.items() if key not in names}
    env.update(
        FEEDBACK360_ENV="testing",
        SECRET_KEY="e2e-secret-key-not-for-production",
        DATABASE_URL=database_url,
        BASE_URL=base_url,
        MAIL_TRANSPORT="smtp",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(smtp_port),
        MAIL_DEFAULT_SENDER="feedback360 <no-reply@feedback360.test>",
        MAIL_TIMEOUT_SECONDS="5",
        MAIL_RETRY_BASE_SECONDS="1",
        # As deployed: the worker beside the server makes the PDFs (testing's default is 0).
        PDF_RENDER_WAIT_SECONDS="60",
        PYTHONUNBUFFERED="1",
    )
    return env


def migrate(env: dict[str, str]) -> None:
    """Create the schema with the same command an operator runs."""
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    result = subprocess.run(
        [*flask, "db", "upgrade"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    if result.returncode != 0:
        raise RuntimeError(f"flask db upgrade failed:\n{result.stdout}\n{result.stderr}")


@dataclass
class Process:
    """One child process whose output goes to a log file we can show when a test fails."""

    name: str
    argv: list[str]
    log_path: Path
    popen: subprocess.Popen | None = None

    def start(self, env: dict[str, str]) -> None:
        log = self.log_path.open("wb")
        self.popen = subprocess.Popen(  # noqa: S603 (our own commands, no shell)
            self.argv, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()

    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def stop(self) -> None:
        if not self.running():
            return
        assert self.popen is not None
        self.popen.terminate()
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(timeout=5)

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        status = "running" if self.running() else f"exited ({self.popen and self.popen.poll()})"
        tail = "\n".join(text.splitlines()[-lines:])
        return f"--- {self.name} ({status}), last lines of {self.log_path}:\n{tail}"


@dataclass
class AppServer:
    """The real app under gunicorn on a loopback port, with the background worker beside it."""

    url: str
    web: Process
    worker: Process

    def start(self, env: dict[str, str]) -> None:
        for process in (self.web, self.worker):
            process.start(env)
        self._wait_until_serving()

    def stop(self) -> None:
        for process in (self.worker, self.web):
            process.stop()

    def logs(self) -> str:
        return "\n".join(process.log_tail() for process in (self.web, self.worker))

    def _wait_until_serving(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.web.running():
                break
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2):  # noqa: S310 (loopback)
                    return
            except urllib.error.HTTPError:
                return  # it answers; the page itself is another test's business
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"The app server did not start.\n{self.logs()}")


def build_app_server(port: int, log_dir: Path) -> AppServer:
    """Gunicorn with two workers (as deployed) and `flask worker` sending mail, making PDFs."""
    # Gunicorn 27 opens a control socket at one fixed path; two test runs would collide.
    options = "-w 2 --graceful-timeout 2 --timeout 60 --access-logfile - --no-control-socket"
    web = Process(
        "gunicorn",
        [str(BIN / "gunicorn"), *options.split(), "-b", f"127.0.0.1:{port}", "wsgi:app"],
        log_dir / "gunicorn.log",
    )
    worker = Process(
        "worker (mail and PDFs)",
        [str(BIN / "flask"), "--app", "wsgi", "worker", "--interval", "0.5"],
        log_dir / "worker.log",
    )
    return AppServer(f"http://127.0.0.1:{port}", web, worker)


class Mailbox:
    """Waits for the messages the real SMTP server received."""

    def __init__(self, received, server: AppServer) -> None:
        self.received = received
        self.server = server

    def wait_for(self, address: str, subject: str = "", timeout: float = 60.0) -> EmailMessage:
        """The newest message to `address` whose subject contains `subject`, once it arrives."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [
                m for m in self.received.to(address) if subject.lower() in m["Subject"].lower()
            ]
            if found:
                return found[-1]
            if not self.server.worker.running():
                raise AssertionError(f"The worker has stopped.\n{self.server.logs()}")
            time.sleep(0.1)
        seen = [(m["To"], m["Subject"]) for m in self.received.messages]
        raise AssertionError(
            f"No email to {address} with {subject!r} in the subject within {timeout:.0f} s. "
            f"Received so far: {seen}\n{self.server.logs()}"
        )

    def count_to(self, address: str) -> int:
        return len(self.received.to(address))


def text_of(message: EmailMessage) -> str:
    """The plain-text part, which every email must have."""
    part = message.get_body(preferencelist=("plain",))
    assert part is not None, f"Email {message['Subject']!r} has no plain-text part"
    return part.get_content()


def link_in(message: EmailMessage, base_url: str, path_part: str = "") -> str:
    """The link into the app (whose path contains `path_part`) that an email carries."""
    links = [
        link.rstrip(".,;")
        for link in LINK.findall(text_of(message))
        if link.startswith(base_url) and path_part in link[len(base_url) :]
    ]
    assert links, (
        f"No link to {base_url}…{path_part} in {message['Subject']!r}:\n{text_of(message)}"
    )
    return links[0]
