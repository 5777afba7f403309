"""Fixtures for browser tests: the app under gunicorn, a real SMTP server, headless Chromium.

Everything is real and runs in its own process, as in production: the app is served by
gunicorn on a loopback port, `flask worker` sends the outbox over SMTP to aiosmtpd in this
process, and Debian's Chromium is driven by Playwright. One server serves the whole session.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from needs import require

from .harness import AppServer, Mailbox, app_environment, build_app_server, migrate
from .page_checks import DESKTOP, PageChecker, watch_for_errors


def _shared_conftest() -> ModuleType:
    """tests/conftest.py, loaded by path: the bare name "conftest" is whichever conftest.py
    pytest imported last (tests/mail has one too), so `from conftest import` is unreliable."""
    name = "feedback360_tests_conftest"
    if name not in sys.modules:
        path = Path(__file__).resolve().parent.parent / "conftest.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


shared = _shared_conftest()
POSTGRES_URL, free_port = shared.POSTGRES_URL, shared.free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator:
    """Debian's Chromium; Playwright's own download is never used (it cannot download here)."""
    require(shutil.which(CHROMIUM) is not None, f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def smtp_inbox() -> Iterator[tuple[int, object]]:
    """A real SMTP server that keeps every message it is sent."""
    try:
        from aiosmtpd.controller import Controller
    except ImportError:
        require(False, "aiosmtpd is not installed, so no SMTP server can receive the emails")
    received = shared.ReceivedMail()
    port = free_port()
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, received
    controller.stop()


@pytest.fixture(scope="session")
def e2e_database_url(request: pytest.FixtureRequest, tmp_path_factory) -> str:
    """A fresh database: PostgreSQL when TEST_DATABASE_URL names one, else a new SQLite file."""
    if POSTGRES_URL:
        url = request.getfixturevalue("migrated_postgres")
        shared._truncate_postgres(url)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'feedback360.db'}"


@pytest.fixture(scope="session")
def app_server(e2e_database_url: str, smtp_inbox, tmp_path_factory) -> Iterator[AppServer]:
    """The app under gunicorn plus the worker (mail and PDFs), migrated with `flask db upgrade`."""
    port = free_port()
    server = build_app_server(port, tmp_path_factory.mktemp("logs"))
    env = app_environment(e2e_database_url, server.url, smtp_inbox[0])
    if not POSTGRES_URL:
        migrate(env)
    server.start(env)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def mailbox(app_server: AppServer, smtp_inbox) -> Mailbox:
    return Mailbox(smtp_inbox[1], app_server)


@pytest.fixture
def checker() -> PageChecker:
    return PageChecker()


@pytest.fixture
def new_context(chromium, app_server: AppServer, checker: PageChecker) -> Iterator[Callable]:
    """Opens fresh browser contexts (separate cookies: separate people); closes them after."""
    contexts = []

    def open_context(viewport: dict | None = None, **options):
        context = chromium.new_context(
            base_url=app_server.url,
            viewport=viewport or DESKTOP,
            locale="en-GB",
            accept_downloads=True,
            **options,
        )
        # A guard against a hung page, not a speed check: generous, as CI runs the SQLite and
        # PostgreSQL suites side by side on two cores.
        context.set_default_timeout(30_000)
        watch_for_errors(context, checker.problems)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A failed browser test shows what the server and the worker said."""
    report = yield
    server = getattr(item, "funcargs", {}).get("app_server")
    if report.failed and isinstance(server, AppServer):
        report.sections.append(("app server and worker logs", server.logs()))
    checker = getattr(item, "funcargs", {}).get("checker")
    if report.failed and isinstance(checker, PageChecker) and checker.problems:
        report.sections.append(("page problems found so far", checker.report()))
    return report
