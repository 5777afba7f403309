"""`flask instruments check` as an author runs it, and an app that will not start on a bad file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from feedback360 import create_app

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "instruments"
MALFORMED = sorted(p.name for p in FIXTURES.glob("*.yaml") if p.name != "valid_small.yaml")


def flask_check(*files: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FEEDBACK360_ENV": "development", "DATABASE_URL": "sqlite://"}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "instruments", "check", *files],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_with_no_files_summarises_each_shipped_instrument_and_exits_0():
    done = flask_check()
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["frontline", "manager"]
    for line in lines:
        assert "6 capabilities" in line and "indicators" in line and "items" in line


def test_check_of_every_malformed_file_prints_path_line_message_and_exits_1():
    files = [str(FIXTURES / name) for name in MALFORMED]
    done = flask_check(*files)
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for path in files:  # each file named, each with a line number and a message
        mine = [line for line in lines if line.startswith(f"{path}:")]
        assert mine, path
        for line in mine:
            number, message = line[len(path) + 1 :].split(": ", 1)
            assert number.isdigit() and message.strip()


def test_the_app_refuses_to_start_on_a_broken_instrument_with_the_same_lines(tmp_path):
    shutil.copy(ROOT / "instruments" / "frontline.yaml", tmp_path / "frontline.yaml")
    shutil.copy(FIXTURES / "unknown_indicator.yaml", tmp_path / "broken.yaml")
    with pytest.raises(SystemExit) as stopped:
        create_app({"FEEDBACK360_ENV": "testing", "INSTRUMENTS_DIR": str(tmp_path)})
    message = str(stopped.value)
    assert message.startswith("feedback360 cannot start: an instrument is invalid.")
    assert f"{tmp_path / 'broken.yaml'}:" in message
    expected = flask_check(str(tmp_path / "broken.yaml")).stdout.strip()
    assert expected and expected in message
