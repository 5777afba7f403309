"""SECURITY.md, "Supply chain" (line 21): bandit finds nothing, and no dependency is too old.

pip-audit cannot reach its advisory databases from here, so the floors that close known
advisories are written down below, each with what it closes, and checked against both what is
installed and what pyproject.toml lets a fresh install choose.
"""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from needs import require
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "feedback360"

# package: (lowest safe version, what the versions below it got wrong)
FLOORS: dict[str, tuple[str, str]] = {
    "weasyprint": ("70", "earlier URL fetchers could be bypassed to read files or the network"),
    "werkzeug": (
        "3.0.6",
        "debugger reachable from untrusted hosts; multipart parsing memory exhaustion; "
        "safe_join escapes on Windows",
    ),
    "flask": ("3.1.1", "SECRET_KEY_FALLBACKS: sessions were signed with a fallback key"),
    "jinja2": ("3.1.6", "sandbox escapes through str.format, |attr and xmlattr"),
    "sqlalchemy": ("1.3.0", "SQL injection through text passed to order_by and group_by"),
    "pyyaml": ("5.4", "full_load and FullLoader could run arbitrary code"),
    "gunicorn": ("23.0", "HTTP request smuggling through Transfer-Encoding headers"),
    "idna": ("3.7", "a crafted name made encode() take quadratic time (denial of service)"),
    "certifi": ("2024.7.4", "trusted root certificates that had since been withdrawn"),
    "pillow": ("10.3.0", "a buffer overflow in its colour-management module"),
    "urllib3": ("2.5.0", "redirects that ignored the caller's settings in some set-ups"),
    "requests": ("2.32.4", "verify=False stuck to a session; .netrc credentials leaked"),
    "aiosmtpd": ("1.4.6", "SMTP smuggling and command injection after STARTTLS"),
}


def installed(name: str) -> Version | None:
    try:
        return Version(version(name))
    except PackageNotFoundError:
        return None


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_installed_versions_are_at_or_above_their_floors(name):
    floor, closes = FLOORS[name]
    found = installed(name)
    require(found is not None, f"{name} is not installed here")
    assert found >= Version(floor), f"{name} {found} is below {floor}: {closes}"


def declared_minimums() -> dict[str, Version]:
    """The lowest version pyproject.toml allows for each package it names."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    minimums = {}
    for text in requirements:
        requirement = Requirement(text)
        lows = [Version(s.version) for s in requirement.specifier if s.operator in (">=", "==")]
        minimums[requirement.name.lower()] = max(lows) if lows else Version("0")
    return minimums


def test_pyproject_never_allows_a_version_below_a_floor():
    """A fresh install must not be able to pick a version with a known advisory."""
    declared = declared_minimums()
    too_low = {
        name: f"pyproject allows {declared[name]}, needs >={floor}: {closes}"
        for name, (floor, closes) in FLOORS.items()
        if name in declared and declared[name] < Version(floor)
    }
    assert too_low == {}
    # The direct dependencies that matter most are really named there.
    assert {"weasyprint", "werkzeug", "flask", "jinja2", "sqlalchemy", "pyyaml"} <= set(declared)


def run_bandit() -> dict:
    result = subprocess.run(  # noqa: S603 (our own tool, fixed arguments)
        [str(ROOT / ".venv" / "bin" / "bandit"), "-q", "-r", "feedback360"]
        + ["-c", "pyproject.toml", "-f", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout, result.stderr
    return json.loads(result.stdout)


def test_bandit_finds_nothing_in_the_package():
    report = run_bandit()
    findings = [
        f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}"
        for r in report["results"]
    ]
    assert findings == []
    assert report["errors"] == []
    scanned = report["metrics"]["_totals"]["loc"]
    assert scanned > 3000  # the whole package was read, not an empty folder


NOSEC = re.compile(r"#\s*nosec\b(?P<rest>.*)")


def nosec_lines() -> list[tuple[Path, int, list[str]]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines):
            if NOSEC.search(line):
                found.append((path, number, lines))
    return found


def test_every_nosec_names_its_check_and_says_why():
    """An exception to bandit is explained where it is made: no silent, blanket `# nosec`."""
    unexplained = []
    for path, number, lines in nosec_lines():
        line = lines[number]
        rest = NOSEC.search(line).group("rest")
        names_a_check = re.match(r"\s+B\d{3}\b", rest) is not None
        reason_after = "#" in rest
        reason_above = number > 0 and lines[number - 1].strip().startswith("#")
        if not (names_a_check and (reason_after or reason_above)):
            unexplained.append(f"{path.relative_to(ROOT)}:{number + 1}: {line.strip()}")
    assert unexplained == []
    assert len(nosec_lines()) >= 1  # the check above really looked at something
